"""Query-count baselines: list pages, the organisation page and the master-file imports do not grow queries with their
rows (no N+1)."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kechuang.orgs.models import AnnualFigures, Certificate, PoolMembership


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


def _import_queries(kind: str, rows: list, actor, *, update: bool) -> int:
    from kechuang.core.importkit import run_import
    from tests.core.test_importkit import xlsx

    with CaptureQueriesContext(connection) as ctx:
        run_import(kind, actor=actor, raw=xlsx(rows), filename=f"{kind}.xlsx", update=update)
    return len(ctx.captured_queries)


IMPORT_ROWS = {
    "figures": (["统一社会信用代码", "年度", "职工总数"], lambda org, n: [org.uscc, 2023, n]),
    "certificates": (
        ["统一社会信用代码", "类型", "认定名称", "年度", "级别"],
        lambda org, n: [org.uscc, "其他认定", "瞪羚企业", 2023, "国家级" if n == 1 else "市级"],
    ),
    "pools": (
        ["统一社会信用代码", "培育库", "入库年度", "入库理由"],
        lambda org, n: [org.uscc, "hte-reserve", 2023, f"理由{n}"],
    ),
}


@pytest.mark.parametrize("kind", sorted(IMPORT_ROWS))
def test_imports_by_a_county_user_cost_the_same_for_2_and_20_organisations(kind, make_org, make_user):
    """The scope check of each row reads its organisation's region: loaded with the organisations, not per row, both
    when the rows create records and when they update them."""
    from kechuang.orgs.reference import load_pools

    load_pools()
    ContentType.objects.get_for_models(AnnualFigures, Certificate, PoolMembership)  # cached before counting
    header, row = IMPORT_ROWS[kind]
    staff = make_user("bureau_staff", region="450223")
    few = [make_org(f"企业{i}", region="450223100") for i in range(2)]
    many = [make_org(f"企业{i}", region="450223100") for i in range(2, 20)]
    created = _import_queries(kind, [header, *(row(o, 1) for o in few)], staff, update=False)
    assert _import_queries(kind, [header, *(row(o, 1) for o in many)], staff, update=False) == created
    updated = _import_queries(kind, [header, *(row(o, 2) for o in few)], staff, update=True)
    assert _import_queries(kind, [header, *(row(o, 2) for o in many)], staff, update=True) == updated
