"""Import kinds achievements, conversions and contracts: template → fill → import, every error at once with nothing
written, --update idempotence, scope, and export → import --update changing nothing."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from openpyxl import Workbook, load_workbook

from kechuang.accounts.choices import Role
from kechuang.achievements.models import Achievement, AchievementUnit, Conversion, TechContract
from kechuang.core.importkit import ImportRefused, get_schema, run_import, write_template
from kechuang.core.models import AuditLog

KINDS = ("achievements", "conversions", "contracts")


def xlsx(rows) -> bytes:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def template_rows(kind: str, data_rows) -> bytes:
    """Fill the generated template's data sheet, as a user would."""
    buffer = io.BytesIO()
    write_template(get_schema(kind), buffer)
    workbook = load_workbook(io.BytesIO(buffer.getvalue()))
    for row in data_rows:
        workbook["数据"].append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def headers(kind: str) -> list[str]:
    workbook = io.BytesIO()
    write_template(get_schema(kind), workbook)
    return [cell.value for cell in load_workbook(io.BytesIO(workbook.getvalue()))["数据"][1]]


@pytest.fixture
def orgs(make_org):
    return {
        "a": make_org(name="鹿寨甲科技有限公司", region="450223100"),
        "a2": make_org(name="鹿寨乙材料有限公司", region="450223101"),
        "b": make_org(name="柳城丙机械有限公司", region="450222"),
    }


def achievement_row(orgs, number="2020450223A001", **changes) -> list:
    row = {
        "number": number, "title": "蚕茧自动分级与智能烘干关键技术研究", "kind": "应用技术",
        "hitech_domain": "先进制造与自动化", "discipline": "", "uscc": orgs["a"].uscc, "org_name": orgs["a"].name,
        "units": f"{orgs['a2'].name}、广西大学、{orgs['b'].uscc}", "registration_date": "2020年11月18日",
        "evaluation_method": "评价", "evaluation_conclusion": "国内先进", "evaluation_date": "2020/10/30",
        "people": "韦建华、覃丽萍，黄志强", "summary": "",
    } | changes  # fmt: skip
    return list(row.values())


def test_templates_name_the_columns_and_mark_the_required_ones():
    assert headers("achievements")[:3] == ["登记号*", "成果名称*", "成果类型"]
    assert "成果登记号" in headers("conversions") and "转化金额（万元）" in headers("conversions")
    assert "合同成交额（万元）*" in headers("contracts") and "技术交易额（万元）*" in headers("contracts")
    buffer = io.BytesIO()
    write_template(get_schema("achievements"), buffer)
    workbook = load_workbook(io.BytesIO(buffer.getvalue()))
    assert workbook["数据"].data_validations.dataValidation  # dropdowns for the choices
    assert "填写说明" in workbook.sheetnames


def test_achievement_round_trip(orgs, bureau):
    report = run_import("achievements", actor=bureau, raw=template_rows("achievements", [achievement_row(orgs)]),
                        filename="a.xlsx")  # fmt: skip
    assert (report.created, report.updated) == (1, 0)
    achievement = Achievement.objects.get()
    assert (achievement.organisation, achievement.hitech_domain, achievement.evaluation_conclusion) == (
        orgs["a"],
        8,
        "domestic_advanced",
    )
    assert achievement.registration_date == datetime.date(2020, 11, 18)
    assert achievement.people == ["韦建华", "覃丽萍", "黄志强"]
    assert [(u.position, u.display_name) for u in achievement.units.all()] == [
        (2, orgs["a2"].name), (3, "广西大学"), (4, orgs["b"].name)
    ]  # fmt: skip
    assert AuditLog.objects.filter(content_type__model="achievement", action="create").count() == 1
    assert AuditLog.objects.filter(content_type__model="achievementunit", action="create").count() == 3


def test_conversion_and_contract_round_trip(orgs, bureau):
    run_import("achievements", actor=bureau, raw=template_rows("achievements", [achievement_row(orgs)]),
               filename="a.xlsx")  # fmt: skip
    conversions = template_rows("conversions", [
        ["2020450223a001", "", 2020, "自行实施", "", "", "120", "是", "年新增产值超过5000万元"],
        ["", "发明专利：一种滑石粉的改性方法", 2020, "转让", orgs["a2"].uscc, orgs["a2"].name, "35.5", "否", ""],
    ])  # fmt: skip
    assert run_import("conversions", actor=bureau, raw=conversions, filename="c.xlsx").created == 2
    own = Conversion.objects.get(achievement__isnull=False)
    assert (own.amount, own.major, own.implementer) == (Decimal("1200000.00"), True, orgs["a"])
    patent = Conversion.objects.get(achievement__isnull=True)
    assert (patent.organisation, patent.amount, patent.major) == (orgs["a2"], Decimal("355000.00"), False)
    contracts = template_rows("contracts", [
        ["2020450223000123", "改性滑石粉表面处理技术开发", "技术开发", orgs["a"].uscc, "", "", "柳州某塑料有限公司",
         "柳州市", "150", "120", "2020-05-12", "2020-06-03"],
        ["2020450223000124", "检测技术服务", "技术服务", orgs["a"].uscc, "", orgs["a2"].uscc, "", "", "8.5", "8.5",
         "2020-07-01", "2020-07-02"],
    ])  # fmt: skip
    assert run_import("contracts", actor=bureau, raw=contracts, filename="t.xlsx").created == 2
    first = TechContract.objects.get(number="2020450223000123")
    assert (first.amount, first.technical_income, first.buyer_region.code) == (
        Decimal("1500000.00"), Decimal("1200000.00"), "450200"
    )  # fmt: skip
    assert TechContract.objects.get(number="2020450223000124").buyer == orgs["a2"]


def test_every_error_is_reported_and_nothing_is_written(orgs, bureau):
    before = (Achievement.objects.count(), AchievementUnit.objects.count(), AuditLog.objects.count())
    raw = xlsx([
        headers("achievements"),
        achievement_row(orgs, "2020450223A001", evaluation_date="2020-12-30"),  # evaluated after registration
        achievement_row(orgs, "2020450223A002", uscc=orgs["b"].uscc),  # first unit outside the county
        achievement_row(orgs, "2020450223A003", units="91450223MA5N7B2T5X"),  # a code not in the register
        achievement_row(orgs, "2020450223a001"),  # the same number as row 2, in lower case
        achievement_row(orgs, "2020450223A005", units=orgs["a"].name),  # the first unit listed again
        achievement_row(orgs, "2020450223A006", hitech_domain="", kind="理论"),
    ])  # fmt: skip
    with pytest.raises(ImportRefused) as refused:
        run_import("achievements", actor=bureau, raw=raw, filename="bad.xlsx")
    messages = refused.value.messages
    assert any(m.startswith("第2行 评价日期：") and "须先评价后登记" in m for m in messages), messages
    assert "第3行 第一完成单位统一社会信用代码：该单位不存在或不在您的管辖范围内（请先导入单位）" in messages
    assert any(m.startswith("第4行 其他完成单位：") and "不在单位档案中" in m for m in messages)
    assert "第5行 登记号：与第2行重复" in messages
    assert any(m.startswith("第6行 其他完成单位：") and "重复出现" in m for m in messages)
    assert any(m.startswith("第7行 成果类型：") for m in messages)
    assert (Achievement.objects.count(), AchievementUnit.objects.count(), AuditLog.objects.count()) == before


def test_conversion_and_contract_errors(orgs, bureau):
    raw = xlsx([
        headers("conversions"),
        ["2099450223A999", "", 2020, "自行实施", "", "", "", "否", ""],  # unknown achievement
        ["", "", 2020, "转让", orgs["a"].uscc, "", "", "否", ""],  # neither achievement nor subject
        ["", "某专利", 2020, "转让", orgs["a"].uscc, "", "", "是", ""],  # major without a reason
        ["", "某专利", 2020, "转让", orgs["a"].uscc, "", "", "否", ""],  # repeats row 4
    ])  # fmt: skip
    with pytest.raises(ImportRefused) as refused:
        run_import("conversions", actor=bureau, raw=raw, filename="c.xlsx")
    messages = refused.value.messages
    assert any(m.startswith("第2行 成果登记号：") and "不存在" in m for m in messages), messages
    assert any(m.startswith("第3行 转化对象：") for m in messages)
    assert any(m.startswith("第4行 重大转化认定理由：") for m in messages)
    assert "第5行 成果登记号：与第4行重复" in messages
    raw = xlsx([
        headers("contracts"),
        ["1", "合同甲", "技术开发", orgs["a"].uscc, "", "", "买方甲", "", "100", "120", "2020-05-12", "2020-06-03"],
        ["2020450222000001", "合同乙", "技术开发", orgs["b"].uscc, "", "", "买方乙", "", "100", "90", "2020-05-12",
         "2020-06-03"],
        ["2020450223000003", "合同丙", "技术开发", orgs["a"].uscc, "", "", "", "火星", "100", "90", "2020-05-12",
         "2020-04-03"],
    ])  # fmt: skip
    with pytest.raises(ImportRefused) as refused:
        run_import("contracts", actor=bureau, raw=raw, filename="t.xlsx")
    messages = refused.value.messages
    assert any(m.startswith("第2行 合同登记号：") for m in messages), messages
    assert any(m.startswith("第2行 技术交易额：技术交易额不能大于合同成交额") for m in messages)
    assert any(m.startswith("第3行 卖方统一社会信用代码：该单位不存在或不在您的管辖范围内") for m in messages)
    assert any(m.startswith("第4行 买方所在地区：“火星”找不到") for m in messages)
    assert not TechContract.objects.exists()


def test_update_upserts_and_a_second_run_changes_nothing(orgs, bureau):
    raw = template_rows("achievements", [achievement_row(orgs)])
    run_import("achievements", actor=bureau, raw=raw, filename="a.xlsx")
    with pytest.raises(ImportRefused, match="已存在"):
        run_import("achievements", actor=bureau, raw=raw, filename="a.xlsx")
    audits = AuditLog.objects.count()
    again = run_import("achievements", actor=bureau, raw=raw, filename="a.xlsx", update=True)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 1) and AuditLog.objects.count() == audits
    changed = template_rows("achievements", [achievement_row(orgs, units="广西科技大学")])
    assert run_import("achievements", actor=bureau, raw=changed, filename="b.xlsx", update=True).updated == 1
    assert [u.display_name for u in Achievement.objects.get().units.all()] == ["广西科技大学"]
    assert AuditLog.objects.filter(content_type__model="achievementunit", action="delete").count() == 3
    again = run_import("achievements", actor=bureau, raw=changed, filename="b.xlsx", update=True)
    assert again.unchanged == 1


def test_an_enterprise_user_may_not_import(orgs, make_user):
    from kechuang.core.exceptions import AccessDenied

    user = make_user(Role.ENTERPRISE, organisation=orgs["a"])
    with pytest.raises(AccessDenied):
        run_import("achievements", actor=user, raw=template_rows("achievements", [achievement_row(orgs)]),
                   filename="a.xlsx")  # fmt: skip


@pytest.fixture
def filled(orgs, bureau):
    run_import("achievements", actor=bureau, raw=template_rows("achievements", [
        achievement_row(orgs),
        achievement_row(orgs, "2019450223B001", kind="基础理论", hitech_domain="", discipline="木材科学",
                        evaluation_method="未评价", evaluation_conclusion="", evaluation_date="", units="",
                        registration_date="2019-03-01"),
    ]), filename="a.xlsx")  # fmt: skip
    run_import("conversions", actor=bureau, raw=template_rows("conversions", [
        ["2020450223A001", "", 2020, "许可", orgs["a2"].uscc, "", "12.3456", "否", ""],
        ["", "发明专利：一种滑石粉的改性方法", 2020, "转让", orgs["a2"].uscc, "", "", "是", "填补县内空白"],
        ["2020450223A001", "", 2020, "自行实施", "", "", "", "否", ""],
    ]), filename="c.xlsx")  # fmt: skip
    run_import("contracts", actor=bureau, raw=template_rows("contracts", [
        ["2020450223000123", "技术开发", "技术开发", orgs["a"].uscc, "", "", "柳州某公司", "450200", "150.01",
         "120", "2020-05-12", "2020-06-03"],
        ["2020450223000124", "技术服务", "技术服务", orgs["a"].uscc, "", orgs["b"].uscc, "", "", "8.5", "8.5",
         "2020-07-01", "2020-07-02"],
    ]), filename="t.xlsx")  # fmt: skip


@pytest.mark.parametrize("kind", KINDS)
def test_export_imports_back_unchanged(filled, orgs, bureau, kind, tmp_path):
    path = tmp_path / f"{kind}.xlsx"
    call_command("export", kind, str(path), "--user", bureau.username)
    rows = list(load_workbook(path).active.iter_rows(values_only=True))
    assert rows[0] == tuple(headers(kind))
    assert len(rows) == 1 + {"achievements": 2, "conversions": 3, "contracts": 2}[kind]
    audits = AuditLog.objects.count()
    report = run_import(kind, actor=bureau, raw=path.read_bytes(), filename=path.name, update=True)
    assert (report.created, report.updated, report.unchanged) == (0, 0, len(rows) - 1)
    assert AuditLog.objects.count() == audits


def test_export_shows_only_what_the_user_may_see(filled, orgs, make_user, tmp_path):
    from kechuang.achievements import services

    from .conftest import achievement_fields

    services.achievement_create(actor=None, **achievement_fields(orgs["b"], "2020450222A001"))
    path = tmp_path / "a.xlsx"
    call_command("export", "achievements", str(path), "--user", make_user(Role.LEADER).username)
    numbers = [row[0] for row in load_workbook(path).active.iter_rows(min_row=2, values_only=True)]
    assert sorted(numbers) == ["2019450223B001", "2020450223A001"]
    call_command("export", "achievements", str(path), "--year", "2019")
    assert [r[0] for r in load_workbook(path).active.iter_rows(min_row=2, values_only=True)] == ["2019450223B001"]
    call_command("export", "achievements", str(path), "--region", "450222")
    assert [r[0] for r in load_workbook(path).active.iter_rows(min_row=2, values_only=True)] == ["2020450222A001"]
