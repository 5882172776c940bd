"""Hostile input to the scoring pages and API: years out of range, numbers too large to show or not numbers at all,
band bounds beyond any figure. Each is refused with a message (400 / the form's error), never a server error."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from kechuang.accounts.choices import Role
from kechuang.scoring import services
from kechuang.scoring.engine import format_number
from kechuang.scoring.models import ScoringModel
from tests.permission_table import signed_in

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("year", ["0", "10000", "99999999999", "-1"])
def test_the_api_refuses_a_year_out_of_range(shubiao, make_user, year):
    response = signed_in(make_user(Role.BUREAU_STAFF)).get(f"/api/v1/scoring/models/{shubiao.pk}/evaluate?year={year}")
    assert response.status_code in (400, 422)


@pytest.mark.parametrize("value", ["1e30", "NaN", "Infinity", "-1e30"])
def test_the_api_refuses_entered_values_too_large_or_not_numbers(make_user, value):
    project = ScoringModel.objects.get(code="luzhai-project")
    body = [{"name": "甲项目", "values": {"innovation": value, "feasibility": 80, "benefit": 70, "team": 1}}]
    response = signed_in(make_user(Role.BUREAU_ADMIN)).send(
        "post", f"/api/v1/scoring/models/{project.pk}/evaluate", body
    )
    assert response.status_code in (400, 422)


@pytest.mark.parametrize("cell", ["1e30", "NaN", "sNaN", "Infinity"])
def test_the_project_page_refuses_values_too_large_or_not_numbers(bureau, cell):
    project = ScoringModel.objects.get(code="luzhai-project")
    response = signed_in(bureau).post(f"/scoring/{project.pk}/evaluate/", {"entries": f"甲项目,{cell},80,70,60"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "第 1 行指标“innovation”的值" in html and ("不是数字" in html or "的数字太大" in html)


def test_a_band_bound_too_large_is_refused_on_the_form(bureau):
    form = {"code": "huge", "name": "极大档位", "subject": "enterprise", "purpose": "", "total": "100",
            "pass_score": "", "c-TOTAL_FORMS": "1", "c-INITIAL_FORMS": "0", "c-MIN_NUM_FORMS": "0",
            "c-MAX_NUM_FORMS": "1000", "c-0-code": "rev", "c-0-name": "销售收入", "c-0-field": "revenue",
            "c-0-weight": "100", "c-0-unit": "points", "c-0-bands": ">= 1000000000000000000000000000000 : 100",
            "c-0-order": "0"}  # fmt: skip
    response = signed_in(bureau).post("/scoring/new/", form)
    assert response.status_code == 200
    assert "的数字太大：绝对值应小于 1,000,000,000,000,000" in response.content.decode()
    assert not ScoringModel.objects.filter(code="huge").exists()


@pytest.mark.parametrize(
    ("band", "message"),
    [
        ({"lower": "1e16", "value": "10"}, "第 1 档的下限或分值太大"),
        ({"lower": "abc", "value": "10"}, "第 1 档缺少下限或分值，或不是数字"),
        ({"value": "10"}, "第 1 档缺少下限或分值，或不是数字"),
    ],
)
def test_the_service_refuses_bands_that_are_not_numbers_in_range(bureau, band, message):
    criterion = {
        "code": "rev",
        "name": "销售收入",
        "field": "revenue",
        "weight": 100,
        "unit": "points",
        "bands": [band],
    }
    with pytest.raises(ValidationError) as error:
        services.model_create(actor=bureau, data={"code": "x", "name": "x", "subject": "enterprise"},
                              criteria=[criterion])  # fmt: skip
    assert any(message in text for text in error.value.messages)


def test_format_number_shows_figures_beyond_the_default_precision():
    assert format_number(Decimal("123456789012345678901234567890.123456")) == "123456789012345678901234567890.1235"
    assert format_number(Decimal("2.50000")) == "2.5" and format_number(Decimal("0.00004")) == "0"
