"""``kechuang evaluate hte|tsme --input FILE [--format json|table]`` and its templates, as enterprises and consultants
run them: without an account and without a database."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from tests.evaluation.test_hte import firm as hte_firm
from tests.evaluation.test_tsme import firm as tsme_firm

KEYS = ["uscc", "verdict", "conditions", "scores", "total", "route", "rd_method", "missing", "gaps"]


def as_json(record: dict) -> dict:
    """An input record as its JSON form: amounts as numbers, dates in ISO."""
    return json.loads(json.dumps(record, default=lambda v: v.isoformat() if hasattr(v, "isoformat") else float(v)))


def write(tmp_path: Path, records: list[dict], name: str = "firms.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps([as_json(r) for r in records], ensure_ascii=False), encoding="utf-8")
    return path


def kechuang(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    """The console script in a process of its own whose database cannot be opened: any query would fail it."""
    env = os.environ | {
        "DATABASE_URL": f"sqlite:///{tmp_path}/no-such-folder/kechuang.sqlite3",
        "KECHUANG_VAR_DIR": str(tmp_path / "var"),
        "DJANGO_SETTINGS_MODULE": "kechuang.settings",
    }
    command = [sys.executable, "-m", "kechuang.cli", *args]
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=120, check=False)


def test_standalone_json_without_a_database(tmp_path):
    path = write(tmp_path, [hte_firm(), hte_firm(uscc="91450223MA5KFDKX2W", violation_last_year=True)])
    done = kechuang(tmp_path, "evaluate", "hte", "--input", str(path))
    assert done.returncode == 0, done.stderr
    results = json.loads(done.stdout)
    assert [list(r) for r in results] == [KEYS, KEYS]
    assert [r["verdict"] for r in results] == ["borderline", "fails"]
    assert [c["code"] for c in results[0]["conditions"]] == [
        "registered_1y", "core_ip", "domain", "st_staff_ratio", "rd_ratio", "rd_domestic_ratio", "hitech_revenue_ratio",
        "no_violation", "innovation_score",
    ]  # fmt: skip
    assert list(results[0]["scores"]) == [
        "ip_advancement", "ip_core_support", "ip_quantity", "ip_acquisition", "ip_standards_bonus", "ip", "conversion",
        "rd_management", "growth_net_assets", "growth_sales", "growth",
    ]  # fmt: skip
    assert results[1]["gaps"] == ["申请前一年内不得发生重大安全、重大质量事故或严重环境违法行为"]


def test_standalone_templates_without_a_database(tmp_path):
    for kind in ("evaluation-hte", "evaluation-tsme"):
        done = kechuang(tmp_path, "template", kind, str(tmp_path / f"{kind}.xlsx"))
        assert done.returncode == 0, done.stderr
        assert "数据" in load_workbook(tmp_path / f"{kind}.xlsx").sheetnames


def test_tsme_json_keys_and_route(tmp_path):
    path = write(tmp_path, [tsme_firm(), tsme_firm(uscc="91450223MA5KFDKX2W", st_staff=0, hte_valid=True)])
    call_command("evaluate", "tsme", "--input", str(path), stdout=(out := _Out()))
    results = json.loads(out.text)
    assert [list(r) for r in results] == [KEYS, KEYS]
    assert [(r["verdict"], r["route"], r["rd_method"]) for r in results] == [
        ("qualifies", "score", "sales"),
        ("qualifies", "hte", "sales"),
    ]
    assert [c["code"] for c in results[0]["conditions"]] == [
        "resident", "audit_taxation", "size", "not_excluded_industry", "no_violation", "score", "st_staff_nonzero",
    ]  # fmt: skip
    assert results[0]["scores"] == {"st_staff": [20, 20], "rd": [50, 50], "ip": [30, 30]}


def test_table_format_reads_as_chinese(tmp_path):
    path = write(tmp_path, [tsme_firm(st_staff=5)])
    call_command("evaluate", "tsme", "--input", str(path), "--format", "table", stdout=(out := _Out()))
    text = out.text
    assert "结论：不符合" in text and "✘ 科技人员指标得分不为 0" in text
    assert "差距：科技人员须增加 5 人（职工总数不变），使科技人员占比达到 10%" in text


@pytest.mark.parametrize(
    ("records", "message"),
    [
        ([tsme_firm(uscc="91450223MA5KFDKX1P")], "第1家企业 uscc：校验码错误：第18位应为“R”，实际为“P”"),
        ([hte_firm(class1_ip=0, class2_ip=3, expert_scores={"ip_quantity": 8})],
         "第1家企业 expert_scores.ip_quantity：专家评分 8 不在按数据所属档次的分值范围 3–4 内"),
    ],
)  # fmt: skip
def test_bad_input_is_refused_with_the_enterprise_and_key(tmp_path, records, message):
    kind = "hte" if "years" in records[0] else "tsme"
    with pytest.raises(CommandError, match=message):
        call_command("evaluate", kind, "--input", str(write(tmp_path, records)))


def test_a_missing_file_is_named(tmp_path):
    with pytest.raises(CommandError, match="找不到文件"):
        call_command("evaluate", "hte", "--input", str(tmp_path / "nope.json"))


class _Out:
    def __init__(self):
        self.text = ""

    def write(self, text: str) -> None:
        self.text += text

    def flush(self) -> None:
        pass
