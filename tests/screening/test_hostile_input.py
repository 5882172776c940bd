"""Hostile input to the screening pages and API: a day whose year-later is no date, a run asked for by a user who
may not start one (refused before any pool or region code is looked up)."""

import pytest

from kechuang.accounts.choices import Role
from kechuang.screening.models import ScreeningRun
from tests.permission_table import signed_in

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("day", ["9999-12-31", "2101-01-01", "0001-01-01"])
def test_the_expiring_page_refuses_a_day_out_of_range_and_shows_today(county, make_user, login, day):
    response = login(make_user(Role.BUREAU_STAFF)).get("/screening/expiring/", {"day": day})
    assert response.status_code == 200
    assert "起算日期不能" in response.content.decode()
    assert response.context["day"].isoformat() != day


@pytest.mark.parametrize("day", ["9999-12-31", "2101-01-01", "0001-01-01"])
def test_the_expiring_api_refuses_a_day_out_of_range(county, make_user, day):
    response = signed_in(make_user(Role.BUREAU_STAFF)).get(f"/api/v1/screening/expiring?day={day}")
    assert response.status_code == 422


@pytest.mark.parametrize("payload", [{"pool": "no-such-pool", "year": 2024}, {"pool": "gazelle", "year": 2024,
                                                                              "region": "000000"}])  # fmt: skip
def test_a_user_who_may_not_run_is_refused_before_the_codes_are_looked_up(county, pools, make_user, payload):
    response = signed_in(make_user(Role.LEADER)).send("post", "/api/v1/screening/runs", payload)
    assert response.status_code == 403 and "无权发起年度筛选" in response.json()["detail"]
    assert not ScreeningRun.objects.exists()


def test_a_refusal_names_the_action_and_the_record(county, make_user, login):
    response = login(make_user(Role.ENTERPRISE, organisation=county["first"])).get("/screening/?export=xlsx")
    assert response.status_code == 403 and "无权查看筛选批次" in response.content.decode()


def test_candidate_ids_beyond_any_key_change_nothing(county, pools, make_user, login):
    from kechuang.regions.models import Region
    from kechuang.screening.services import screening_run

    run = screening_run(actor=None, pool=pools["hte-reserve"], year=2024, region=Region.objects.get(code="450223"))
    huge = "9" * 30
    user = make_user(Role.BUREAU_STAFF)
    response = login(user).post(f"/screening/runs/{run.pk}/decide/", {"decision": "confirmed", "candidate": [huge]})
    assert response.status_code == 302
    response = signed_in(user).send(
        "post", f"/api/v1/screening/runs/{run.pk}/decisions", {"decision": "confirmed", "candidates": [int(huge)]}
    )
    assert response.status_code in (200, 422)
    assert not run.candidates.exclude(decision="pending").exists()
