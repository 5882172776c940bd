"""``kechuang report monitoring``: uses the current assessment or runs one, writes Word and/or xlsx."""

import io

import pytest
from django.core.management import CommandError, call_command
from docx import Document
from openpyxl import load_workbook

from kechuang.accounts.choices import Role
from kechuang.plans.models import Assessment

from .conftest import INDICATORS, PLAN_CODE, PLAN_NAME, YEAR


def report(*args) -> str:
    out = io.StringIO()
    call_command("report", "monitoring", "--plan", PLAN_CODE, "--year", str(YEAR), *args, stdout=out)
    return out.getvalue()


def rows_in(path) -> int:
    return sum(len(table.rows) - 1 for table in Document(str(path)).tables)


def test_runs_the_assessment_when_there_is_none_and_writes_word_and_xlsx(plan, tmp_path):
    docx, xlsx = tmp_path / "报告.docx", tmp_path / "表格.xlsx"
    output = report("--out", str(docx), "--xlsx", str(xlsx))
    assert "尚无评估结果，先运行评估" in output
    assert f"{PLAN_NAME} {YEAR}年度监测评估报告" in output and "提前完成 1" in output
    assert Assessment.objects.filter(plan=plan, year=YEAR, current=True).count() == 1
    assert rows_in(docx) == len(INDICATORS)
    assert load_workbook(xlsx).worksheets[0].max_row == 2 + len(INDICATORS)


def test_uses_the_current_assessment(assessment, tmp_path):
    output = report("--out", str(tmp_path / "r.docx"))
    assert "先运行评估" not in output
    assert Assessment.objects.filter(plan=assessment.plan, year=YEAR).count() == 1


def test_out_as_xlsx_writes_only_xlsx(assessment, tmp_path):
    report("--out", str(tmp_path / "r.xlsx"))
    assert [p.name for p in tmp_path.iterdir()] == ["r.xlsx"]
    assert load_workbook(tmp_path / "r.xlsx").worksheets[0].max_row == 2 + len(INDICATORS)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--out", "r.pdf"], "--out 须以 .docx 或 .xlsx 结尾"),
        (["--out", "r.docx", "--xlsx", "r.csv"], "--xlsx 须以 .xlsx 结尾"),
        (["--out", "/no/such/folder/r.docx"], "目录不存在"),
        (["--out", "r.docx", "--region", "999999"], "区划代码“999999”不存在"),
        (["--out", "r.docx", "--region", "450222"], "柳城县不在规划所属的鹿寨县范围内"),
        (["--out", "r.docx", "--user", "nobody"], "账号“nobody”不存在或已停用"),
    ],
)
def test_refusals(plan, tmp_path, monkeypatch, args, message):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(CommandError, match=message):
        report(*args)
    assert list(tmp_path.iterdir()) == []


def test_unknown_plan_lists_the_plans(plan, tmp_path):
    with pytest.raises(CommandError, match=f"没有代码为“nope”的规划；已有：{PLAN_CODE}"):
        call_command("report", "monitoring", "--plan", "nope", "--year", "2023", "--out", str(tmp_path / "r.docx"))


def test_as_a_user_within_their_scope_and_rights(assessment, make_user, tmp_path):
    leader = make_user(Role.LEADER, username="leader-luzhai")
    report("--out", str(tmp_path / "r.docx"), "--user", leader.username)
    assert rows_in(tmp_path / "r.docx") == len(INDICATORS)
    outsider = make_user(Role.BUREAU_ADMIN, region="450222", username="admin-liucheng")
    with pytest.raises(CommandError, match="不在账号的管辖范围内"):
        report("--out", str(tmp_path / "s.docx"), "--user", outsider.username)


def test_a_leader_cannot_run_a_missing_assessment(plan, make_user, tmp_path):
    leader = make_user(Role.LEADER, username="leader-luzhai")
    with pytest.raises(CommandError, match="无权新增"):
        report("--out", str(tmp_path / "r.docx"), "--user", leader.username)
    assert not Assessment.objects.exists()
