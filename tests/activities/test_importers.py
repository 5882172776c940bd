"""The activities import kind: template round trip, every error at once, --update, export round trip."""

import datetime
from decimal import Decimal

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from kechuang.activities.models import Activity
from kechuang.core.importkit import ImportRefused, get_schema, run_import
from kechuang.core.models import AuditLog
from tests.carriers.conftest import template_rows, xlsx

D = datetime.date
pytestmark = pytest.mark.django_db


def row(title="第四届鹿寨县创新创业大赛", kind="创新创业大赛", region="鹿寨镇", start="2020-10-15", **cells):
    c = {"end": "", "organiser": "鹿寨县科学技术局", "org": "", "people": "", "entries": "", "awards": "",
         "trainees": "", "spending": "", "notes": "", **cells}  # fmt: skip
    return [kind, title, region, start, c["end"], c["organiser"], c["org"], c["people"], c["entries"], c["awards"],
            c["trainees"], c["spending"], c["notes"]]  # fmt: skip


def test_kinds_are_listed_in_the_fixed_order():
    from kechuang.core.importkit import registry

    kinds = list(registry())
    assert kinds.index("carriers") < kinds.index("tenants") < kinds.index("activities")
    assert get_schema("activities").model is Activity


def test_template_round_trip(bureau, make_org):
    host = make_org(name="鹿寨县众创科技服务有限公司", region="450223100")
    raw = template_rows(
        "activities",
        [
            row(end="2020-10-16", org=host.uscc, people=420, entries=46, awards=15, spending="15"),
            row("高新技术企业认定政策培训会", "培训", "450223", "2020年5月21日", trainees=120, spending="0.9"),
        ],
    )
    report = run_import("activities", actor=bureau, raw=raw, filename="a.xlsx")
    assert (report.rows, report.created) == (2, 2)
    contest = Activity.objects.get(kind="competition")
    assert (contest.organisation, contest.entries, contest.awards, contest.spending) == (
        host,
        46,
        15,
        Decimal("150000.00"),
    )
    training = Activity.objects.get(kind="training")
    assert (training.region.code, training.start_date, training.trainees) == ("450223", D(2020, 5, 21), 120)
    assert AuditLog.objects.filter(content_type__model="activity", action="create").count() == 2


def test_errors_are_all_reported_and_nothing_is_written(bureau):
    raw = template_rows(
        "activities",
        [
            row(entries=10, awards=12),
            row("培训", "培训", entries=5),
            row("柳城活动", "科普活动", "450222"),
            row("活动", "科普活动", "不存在的镇"),
            row("周", "科技活动周", start="2020-05-16", end="2020-05-01"),
            row("某活动", "科普活动", "鹿寨镇", "2020-09-19"),
            row("某活动", "科普活动", "450223100", "2020-09-19"),
            row("无主办", "科普活动", organiser=""),
        ],
    )
    with pytest.raises(ImportRefused) as refused:
        run_import("activities", actor=bureau, raw=raw, filename="a.xlsx")
    assert refused.value.messages == [
        "第2行 获奖项目数：获奖项目数不能多于参赛项目数（10）",
        "第3行 参赛项目数：参赛项目数只适用于创新创业大赛，培训请留空",
        "第4行 举办地区划：不在您的管辖范围内",
        "第5行 举办地区划：“不存在的镇”找不到（或名称不唯一，请改填代码）",
        "第6行 结束日期：结束日期不能早于开始日期（2020-05-16）",
        "第8行 活动名称：与第7行重复",
        "第9行 主办单位：必填项不能为空",
    ]
    assert not Activity.objects.exists()


def test_update_and_a_second_run_changes_nothing(bureau):
    raw = template_rows("activities", [row(entries=40, awards=12)])
    run_import("activities", actor=bureau, raw=raw, filename="a.xlsx")
    with pytest.raises(ImportRefused, match="该记录已存在"):
        run_import("activities", actor=bureau, raw=raw, filename="a.xlsx")
    changed = template_rows("activities", [row(entries=46, awards=15, spending="15.5")])
    assert run_import("activities", actor=bureau, raw=changed, filename="a.xlsx", update=True).updated == 1
    again = run_import("activities", actor=bureau, raw=changed, filename="a.xlsx", update=True)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 1)
    assert Activity.objects.get().spending == Decimal("155000.00")


def test_messy_file(bureau):
    raw = xlsx(
        [
            ["2020年科技活动汇总"],
            ["活动类型", "活动名称*", "举办地区划", "开始日期", "主办单位", "活动经费（元）", "参与人次"],
            ["科普活动", " 全国科普日 ", "４５０２２３", 44093, "鹿寨县科学技术协会", "40,000", "２，６００"],
        ]
    )
    assert run_import("activities", actor=bureau, raw=raw, filename="m.xlsx").created == 1
    saved = Activity.objects.get()
    assert (saved.title, saved.region.code, saved.start_date) == ("全国科普日", "450223", D(2020, 9, 19))
    assert (saved.spending, saved.participants) == (Decimal("40000.00"), 2600)


def test_export_imports_back_unchanged(bureau, make_activity, make_org, tmp_path):
    host = make_org(name="鹿寨县众创科技服务有限公司", region="450223100")
    make_activity("大赛", kind="competition", entries=46, awards=15, spending=Decimal("150000"), organisation=host)
    make_activity("培训", kind="training", region="450223", trainees=120, notes="第一期")
    make_activity("柳城活动", kind="popularisation", region="450222")
    path = tmp_path / "a.xlsx"
    call_command("export", "activities", str(path), "--user", bureau.username, "--year", "2020")
    rows = list(load_workbook(path).active.iter_rows(values_only=True))
    assert len(rows) == 3 and all("柳城" not in str(cell) for r in rows for cell in r)
    report = run_import("activities", actor=bureau, raw=path.read_bytes(), filename=path.name, update=True)
    assert (report.created, report.updated, report.unchanged) == (0, 0, 2)
