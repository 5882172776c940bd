"""Query-count baselines: list pages and the organisation page do not grow queries with their rows (no N+1)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kechuang.orgs.models import AnnualFigures, Certificate


def count_queries(client, url) -> int:
    client.get(url)  # warm the caches (content types, session) so only the page's own queries are compared
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("url", ["/orgs/", "/orgs/figures/", "/orgs/certificates/", "/orgs/?export=xlsx"])
def test_lists_cost_the_same_for_2_and_20_rows(url, make_org, bureau, login):
    client = login(bureau)

    def add(n):
        for i in range(n):
            org = make_org(f"企业{i}-{url}", region="450223100")
            AnnualFigures.objects.create(organisation=org, year=2024, sales_revenue=1)
            Certificate.objects.create(organisation=org, kind="other", name="瞪羚企业", year=2024)

    add(2)
    few = count_queries(client, url)
    add(18)
    assert count_queries(client, url) == few


def test_organisation_page_cost_does_not_grow_with_its_records(make_org, bureau, login):
    from kechuang.orgs import services

    client = login(bureau)
    org = make_org(region="450223100")
    services.figures_save(actor=bureau, organisation=org, year=2020, data={})
    few = count_queries(client, f"/orgs/{org.pk}/")
    for year in range(2010, 2020):
        services.figures_save(actor=bureau, organisation=org, year=year, data={"staff_total": 5})
    assert count_queries(client, f"/orgs/{org.pk}/") == few
