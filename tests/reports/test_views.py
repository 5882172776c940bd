"""Report downloads on the web: who may, within which regions, and that a GET never runs an assessment."""

import io
import logging
from urllib.parse import unquote

import pytest
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook

from kechuang.accounts.choices import Role
from kechuang.plans.models import Assessment

from .conftest import INDICATORS, PLAN_CODE, YEAR

QUERY = {"plan": PLAN_CODE, "year": YEAR, "region": "450223"}
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def security(caplog):
    """Warnings of the security log (which does not propagate to the root logger caplog listens on)."""
    logger = logging.getLogger("kechuang.security")
    logger.addHandler(caplog.handler)
    yield caplog
    logger.removeHandler(caplog.handler)


@pytest.mark.parametrize("role", [Role.BUREAU_ADMIN, Role.BUREAU_STAFF, Role.LEADER])
def test_bureau_roles_and_leaders_download_word_and_xlsx(assessment, make_user, login, role):
    client = login(make_user(role))
    response = client.get(reverse("reports:monitoring_docx"), QUERY)
    assert response.status_code == 200 and response["Content-Type"] == DOCX
    disposition = unquote(response["Content-Disposition"])
    assert disposition.endswith(f"鹿寨县十四五科技示范规划{YEAR}年度监测评估报告.docx")
    document = Document(io.BytesIO(response.content))
    assert sum(len(t.rows) - 1 for t in document.tables) == len(INDICATORS)
    assert len(document.inline_shapes) == 4
    response = client.get(reverse("reports:monitoring_xlsx"), QUERY)
    assert response.status_code == 200 and response["Content-Type"] == XLSX
    assert load_workbook(io.BytesIO(response.content)).worksheets[0].max_row == 2 + len(INDICATORS)


def test_region_defaults_to_the_plans_and_a_city_leader_reaches_the_county(assessment, make_user, login):
    client = login(make_user(Role.LEADER, region="450200"))
    response = client.get(reverse("reports:monitoring_xlsx"), {"plan": PLAN_CODE, "year": YEAR})
    assert response.status_code == 200


@pytest.mark.parametrize("role", [Role.ENTERPRISE, Role.EXPERT, Role.SYSADMIN])
def test_other_roles_are_refused(assessment, make_user, make_org, login, role):
    organisation = make_org() if role == Role.ENTERPRISE else None
    client = login(make_user(role, organisation=organisation))
    for name in ("reports:monitoring_docx", "reports:monitoring_xlsx"):
        assert client.get(reverse(name), QUERY).status_code == 403


def test_anonymous_is_sent_to_sign_in(assessment, client):
    response = client.get(reverse("reports:monitoring_docx"), QUERY)
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


@pytest.mark.parametrize(
    ("user_region", "query"),
    [
        ("450222", QUERY),  # a bureau of another county
        ("450223", QUERY | {"region": "450222"}),  # a county outside the plan's region
        ("450223", QUERY | {"region": "450200"}),  # the city above the plan's region
        ("450223", QUERY | {"region": "999999"}),  # no such region
        ("450223", QUERY | {"plan": "nope"}),  # no such plan
    ],
)
def test_out_of_scope_or_unknown_is_not_found_and_logged(assessment, make_user, login, security, user_region, query):
    client = login(make_user(Role.BUREAU_ADMIN, region=user_region))
    response = client.get(reverse("reports:monitoring_docx"), query)
    assert response.status_code == 404
    assert any("report refused" in r.getMessage() and r.levelno == logging.WARNING for r in security.records)


def test_without_an_assessment_the_user_is_told_to_run_one_and_nothing_is_written(plan, make_user, login):
    client = login(make_user(Role.BUREAU_ADMIN))
    for name in ("reports:monitoring_docx", "reports:monitoring_xlsx"):
        response = client.get(reverse(name), QUERY)
        assert response.status_code == 400
        assert "请先在评估页面运行评估" in response.content.decode()
        assessment_page = reverse("plans:assessment", args=[PLAN_CODE]) + f"?region=450223&amp;year={YEAR}"
        assert assessment_page in response.content.decode()
    assert not Assessment.objects.exists()


def test_missing_plan_or_year_is_a_clear_message(assessment, make_user, login):
    client = login(make_user(Role.BUREAU_ADMIN))
    response = client.get(reverse("reports:monitoring_docx"), {"plan": PLAN_CODE, "year": "二〇二三"})
    assert response.status_code == 400 and "请指定规划（plan）和评估年份（year）" in response.content.decode()


def test_a_year_outside_the_plan_is_a_clear_message(assessment, make_user, login):
    client = login(make_user(Role.LEADER))
    response = client.get(reverse("reports:monitoring_docx"), QUERY | {"year": "2030"})
    assert response.status_code == 400 and "只能评估 2021—2025 年" in response.content.decode()


def test_only_get(assessment, make_user, login):
    client = login(make_user(Role.BUREAU_ADMIN))
    assert client.post(reverse("reports:monitoring_docx") + f"?plan={PLAN_CODE}&year={YEAR}").status_code == 405
