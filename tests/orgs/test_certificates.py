"""High-tech certificate validity: three years from the issue date, computed, leap days included."""

import datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kechuang.core.dates import add_years
from kechuang.orgs.models import Certificate
from kechuang.orgs.selectors import hte_valid_q


@pytest.mark.parametrize(
    ("issued", "last_valid_day"),
    [
        (datetime.date(2020, 12, 1), datetime.date(2023, 11, 30)),
        (datetime.date(2020, 2, 29), datetime.date(2023, 2, 28)),
        (datetime.date(2021, 3, 1), datetime.date(2024, 2, 29)),
        (datetime.date(2021, 1, 1), datetime.date(2023, 12, 31)),
    ],
)
def test_valid_until(issued, last_valid_day):
    cert = Certificate(kind="hte", issue_date=issued, year=issued.year)
    assert cert.compute_valid_until() == last_valid_day
    assert cert.is_valid_on(last_valid_day) and not cert.is_valid_on(last_valid_day + datetime.timedelta(days=1))
    assert cert.is_valid_on(issued) and not cert.is_valid_on(issued - datetime.timedelta(days=1))


def test_add_years_maps_29_february_to_1_march():
    assert add_years(datetime.date(2024, 2, 29), 1) == datetime.date(2025, 3, 1)
    assert add_years(datetime.date(2024, 2, 29), 4) == datetime.date(2028, 2, 29)
    assert add_years(datetime.date(2023, 6, 15), -3) == datetime.date(2020, 6, 15)


def test_home_page_and_filters_work_on_a_leap_day(login, bureau, make_org, monkeypatch):
    from django.utils import timezone

    leap_day = datetime.date(2024, 2, 29)
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: leap_day)
    client = login(bureau)
    assert client.get("/").status_code == 200
    for status in ("hte_valid", "hte_expiring", "hte_none"):
        assert client.get("/orgs/", {"certificate": status}).status_code == 200


dates = st.dates(min_value=datetime.date(2008, 1, 1), max_value=datetime.date(2030, 12, 31))


@pytest.fixture
def org(make_org):
    return make_org()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(issued=dates, day=dates, revoked=st.one_of(st.none(), dates))
def test_query_and_model_agree(org, issued, day, revoked):
    # The organisation is shared by the examples (only reads of it); each example's certificate is removed.
    cert = Certificate.objects.create(
        organisation=org, kind="hte", year=issued.year, issue_date=issued, revoked_date=revoked
    )
    in_query = Certificate.objects.filter(hte_valid_q(day), pk=cert.pk).exists()
    assert in_query == cert.is_valid_on(day)
    cert.delete()
