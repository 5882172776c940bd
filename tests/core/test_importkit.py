"""The Excel/CSV import kit on the master file's kinds: templates, tolerance, all-or-nothing, upserts, safety."""

import datetime
import io
import re
import zipfile
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from kechuang.core.importkit import (
    UNITS,
    Column,
    ImportRefused,
    column_parser,
    get_schema,
    parse_cell,
    parse_date,
    registry,
    run_import,
    write_template,
)
from kechuang.core.models import AuditLog
from kechuang.orgs.models import AnnualFigures, Organisation
from tests.conftest import make_uscc


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


def test_list_names_the_kinds_first_word_first(capsys):
    call_command("import", "--list")
    lines = capsys.readouterr().out.splitlines()
    # The fixed names of issue 3, in its order: every registry has its kind.
    expected = ["orgs", "figures", "certificates", "pools", "patents", "other-ip", "talents", "commissioners",
                "service-logs", "carriers", "tenants", "achievements", "conversions", "contracts",
                "activities"]  # fmt: skip
    assert [line.split()[0] for line in lines] == list(registry()) == expected


def test_template_round_trip_for_orgs_and_figures(regions, bureau):
    from kechuang.orgs.reference import load_industries

    load_industries()
    uscc = make_uscc()
    orgs = template_rows(
        "orgs",
        [
            [
                uscc,
                "鹿寨县恒达汽车配件有限公司",
                "企业",
                "鹿寨镇",
                "",
                "",
                "2012-05-18",
                "36",
                "先进制造与自动化",
                "是",
                "存续",
                "张三",
                "0772-1",
            ]
        ],
    )
    assert run_import("orgs", actor=bureau, raw=orgs, filename="o.xlsx").created == 1
    org = Organisation.objects.get(uscc=uscc)
    assert (org.region.code, org.industry.code, org.hitech_domain, org.above_scale) == ("450223100", "36", 8, True)
    assert org.name_initials == "lzxhdqcpjyxgs"
    row = [uscc, "", 2024, 320, 48, "12,345.67", "12500", "9800", "620.5", "600", "", "", "", "", "", "", "企业填报"]
    figures = template_rows("figures", [row])
    report = run_import("figures", actor=bureau, raw=figures, filename="f.xlsx")
    assert (report.rows, report.created) == (1, 1)
    saved = AnnualFigures.objects.get(organisation=org, year=2024)
    assert saved.sales_revenue == Decimal("123456700.00") and saved.rd_domestic == Decimal("6000000.00")
    assert AuditLog.objects.filter(content_type__model="annualfigures", object_id=str(saved.pk)).count() == 1


def test_messy_file_imports(regions, bureau, make_org):
    org = make_org(region="450223100")
    raw = xlsx([
        ["鹿寨县企业年度数据汇总表"],  # a title row above the header
        [],
        [" 统一社会信用代码* ", "年度", "职工总数", "科技人员数", "销售收入（亿元）", "研究开发费用（元）", "数据来源"],
        [f" {org.uscc.lower()} ", "２０２３", "１，２００", " 60 ", "1.5", "1,234,567.8", "statistics"],
        [],
        [org.uscc, 2022.0, 1100, 55, 1.25, 1000000, "统计部门"],
    ])  # fmt: skip
    assert run_import("figures", actor=bureau, raw=raw, filename="messy.xlsx").created == 2
    f2023 = AnnualFigures.objects.get(organisation=org, year=2023)
    assert (f2023.staff_total, f2023.sales_revenue, f2023.rd_expense) == (
        1200,
        Decimal("150000000.00"),
        Decimal("1234567.80"),
    )
    assert AnnualFigures.objects.get(organisation=org, year=2022).source == "statistics"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_csv_in_every_encoding(regions, bureau, encoding):
    text = f"统一社会信用代码,单位名称,所在区划,成立日期\n{make_uscc()},鹿寨县某某科技有限公司,鹿寨镇,2020年12月31日\n"
    assert run_import("orgs", actor=bureau, raw=text.encode(encoding), filename="o.csv").created == 1
    assert Organisation.objects.get(name="鹿寨县某某科技有限公司").registration_date == datetime.date(2020, 12, 31)


@pytest.mark.parametrize(
    ("value", "expected"),
    [("2020-12-31", "2020-12-31"), ("2020/12/31", "2020-12-31"), ("2020年12月31日", "2020-12-31"),
     ("20201231", "2020-12-31"), (44196, "2020-12-31"), (datetime.datetime(2020, 12, 31, 8), "2020-12-31")],
)  # fmt: skip
def test_dates(value, expected):
    assert parse_date(value).isoformat() == expected


def test_errors_are_all_reported_and_nothing_is_written(regions, bureau, make_org):
    org = make_org(region="450223100")
    before = (AnnualFigures.objects.count(), AuditLog.objects.count())
    raw = xlsx([
        ["统一社会信用代码", "年度", "职工总数", "科技人员数", "销售收入（万元）"],
        [org.uscc, 2023, 10, 20, 5],  # st_staff > staff_total
        [org.uscc, "二〇二三", 10, 5, "abc"],
        ["91450223MA5N7B2T5Y", 2023, 1, 1, 1],  # wrong check character
        [make_uscc(), 2023, 1, 1, 1],  # not in the system
        [org.uscc, 2023, 10, 5, 1],  # duplicate of row 2
        [org.uscc, 2021, -1, 0, -3],
    ])  # fmt: skip
    with pytest.raises(ImportRefused) as refused:
        run_import("figures", actor=bureau, raw=raw, filename="bad.xlsx")
    messages = refused.value.messages
    assert "第2行 科技人员数：科技人员数不能大于职工总数" in messages
    assert any(m.startswith("第3行 年度：") for m in messages)
    assert any(m.startswith("第3行 销售收入：") for m in messages)
    assert "第4行 统一社会信用代码：校验码错误：第18位应为“X”，实际为“Y”" in messages
    assert any(m.startswith("第5行 统一社会信用代码：该单位不存在") for m in messages)
    assert "第6行 统一社会信用代码+年度：与第2行重复" in messages
    assert any(m.startswith("第7行 职工总数") for m in messages) and any(
        m.startswith("第7行 销售收入") for m in messages
    )
    assert (AnnualFigures.objects.count(), AuditLog.objects.count()) == before


def test_update_upserts_and_a_second_run_changes_nothing(regions, bureau, make_org):
    org = make_org(region="450223100")
    raw = xlsx([["统一社会信用代码", "年度", "职工总数"], [org.uscc, 2023, 10]])
    run_import("figures", actor=bureau, raw=raw, filename="a.xlsx")
    with pytest.raises(ImportRefused, match="已存在"):
        run_import("figures", actor=bureau, raw=raw, filename="a.xlsx")
    changed = xlsx([["统一社会信用代码", "年度", "职工总数"], [org.uscc, 2023, 12]])
    assert run_import("figures", actor=bureau, raw=changed, filename="b.xlsx", update=True).updated == 1
    audits = AuditLog.objects.count()
    again = run_import("figures", actor=bureau, raw=changed, filename="b.xlsx", update=True)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 1) and AuditLog.objects.count() == audits
    update_row = AuditLog.objects.filter(content_type__model="annualfigures", action="update").get()
    assert (update_row.before["staff_total"], update_row.after["staff_total"]) == (10, 12)


def test_dry_run_counts_and_writes_nothing(regions, bureau, make_org):
    org = make_org(region="450223100")
    raw = xlsx([["统一社会信用代码", "年度"], [org.uscc, 2023], [org.uscc, 2022]])
    report = run_import("figures", actor=bureau, raw=raw, filename="a.xlsx", dry_run=True)
    assert (report.created, report.dry_run) == (2, True)
    assert not AnnualFigures.objects.exists() and not AuditLog.objects.filter(content_type__model="annualfigures")


def test_scope_and_permission(regions, make_user, make_org):
    outside = make_org("柳城企业", region="450222")
    staff = make_user("bureau_staff", region="450223")
    raw = xlsx([["统一社会信用代码", "年度"], [outside.uscc, 2023]])
    with pytest.raises(ImportRefused, match="不在您的管辖范围内"):
        run_import("figures", actor=staff, raw=raw, filename="a.xlsx")
    orgs = xlsx([["统一社会信用代码", "单位名称", "所在区划"], [make_uscc("450222"), "柳城新企业", "450222"]])
    with pytest.raises(ImportRefused, match="不在您的管辖范围内"):
        run_import("orgs", actor=staff, raw=orgs, filename="o.xlsx")
    from kechuang.core.exceptions import AccessDenied

    with pytest.raises(AccessDenied):
        run_import("orgs", actor=make_user("leader"), raw=orgs, filename="o.xlsx")


def test_enterprise_imports_its_own_figures_as_reported(regions, make_user, make_org):
    org = make_org(region="450223100")
    user = make_user("enterprise", organisation=org)
    raw = xlsx([["统一社会信用代码", "年度", "数据来源"], [org.uscc, 2023, "统计部门"]])
    run_import("figures", actor=user, raw=raw, filename="a.xlsx")
    assert AnnualFigures.objects.get().source == "report"


def test_unreadable_and_hostile_files_are_refused(regions, bureau, settings):
    def refused(raw, name="x.xlsx"):
        with pytest.raises(ImportRefused) as error:
            run_import("orgs", actor=bureau, raw=raw, filename=name)
        return error.value.messages[0]

    assert "不支持的文件类型" in refused(b"MZ...", "tool.exe")
    assert "打开密码" in refused(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100)
    assert "无法读取 Excel" in refused(b"not a zip at all")
    settings.IMPORT_MAX_MB = 0
    assert "文件过大" in refused(xlsx([["统一社会信用代码"]]))
    settings.IMPORT_MAX_MB = 50
    settings.IMPORT_MAX_CELLS = 1000
    assert "声明了" in refused(_declared_sheet("A1:Z100000"))
    settings.IMPORT_MAX_UNPACKED_MB = 1
    assert "解压后过大" in refused(_zip_bomb())


def _declared_sheet(ref: str) -> bytes:
    raw = io.BytesIO()
    source = zipfile.ZipFile(io.BytesIO(xlsx([["统一社会信用代码"]])))
    with zipfile.ZipFile(raw, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename.startswith("xl/worksheets/"):
                data = re.sub(rb'<dimension ref="[^"]*"\s*/>', f'<dimension ref="{ref}"/>'.encode(), data)
            target.writestr(item, data)
    return raw.getvalue()


def _zip_bomb() -> bytes:
    raw = io.BytesIO()
    with zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED) as target:
        target.writestr("xl/worksheets/sheet1.xml", b"\0" * (3 * 1024 * 1024))
    return raw.getvalue()


def test_command_line_import_exits_1_on_errors(regions, make_org, tmp_path, capsys):
    org = make_org(region="450223100")
    good = tmp_path / "good.xlsx"
    good.write_bytes(xlsx([["统一社会信用代码", "年度", "职工总数"], [org.uscc, 2023, 5]]))
    call_command("import", "figures", str(good), "--dry-run")
    assert "预览（未写入）：共 1 行，新增 1" in capsys.readouterr().out
    call_command("import", "figures", str(good))
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(xlsx([["统一社会信用代码", "年度"], ["x", 2023]]))
    with pytest.raises(SystemExit) as exit_status:
        call_command("import", "figures", str(bad))
    assert exit_status.value.code == 1
    assert "共 1 处错误，未导入任何数据" in capsys.readouterr().err
    template = tmp_path / "t.xlsx"
    call_command("template", "figures", str(template))
    assert load_workbook(template).sheetnames == ["数据", "填写说明", "选项"]


def test_errors_come_in_the_order_of_the_rows(regions, bureau, make_org):
    org = make_org(region="450223100")
    raw = xlsx([["统一社会信用代码", "年度", "职工总数", "科技人员数"], [org.uscc, 2023, 5, 9], ["bad", 2023, "x", 1]])
    with pytest.raises(ImportRefused) as refused:
        run_import("figures", actor=bureau, raw=raw, filename="a.xlsx")
    lines = [int(m.split("行")[0].removeprefix("第")) for m in refused.value.messages]
    assert lines == sorted(lines) and lines[0] == 2


def test_export_imports_back_unchanged(regions, bureau, make_user, make_org, tmp_path):
    from kechuang.orgs.reference import load_industries

    load_industries()
    org = make_org("鹿寨县导出测试有限公司", region="450223100", above_scale=True, hitech_domain=4)
    make_org("柳城企业", region="450222")
    raw = xlsx(
        [
            ["统一社会信用代码", "年度", "职工总数", "销售收入（万元）", "净资产（万元）"],
            [org.uscc, 2023, 5, "1234.5", "-3"],
        ]
    )
    run_import("figures", actor=bureau, raw=raw, filename="a.xlsx")
    for kind in ("orgs", "figures"):
        path = tmp_path / f"{kind}.xlsx"
        call_command("export", kind, str(path), "--user", bureau.username)
        rows = load_workbook(path).active
        assert all("柳城" not in str(cell.value) for row in rows for cell in row)  # only what the user may see
        report = run_import(kind, actor=bureau, raw=path.read_bytes(), filename=path.name, update=True)
        assert (report.created, report.updated, report.unchanged) == (0, 0, 1)
    saved = AnnualFigures.objects.get()
    assert saved.sales_revenue == Decimal("12345000.00") and saved.net_assets == Decimal("-30000.00")


def test_export_filters(regions, make_org, tmp_path, capsys):
    make_org("规上企业", region="450223100", above_scale=True)
    make_org("小企业", region="450223101")
    make_org("柳城企业", region="450222", above_scale=True)
    path = tmp_path / "o.xlsx"
    call_command("export", "orgs", str(path), "--region", "450223", "--where", "规模以上=是")
    names = [row[1].value for row in load_workbook(path).active.iter_rows(min_row=2)]
    assert names == ["规上企业"]
    assert "已导出 1 行" in capsys.readouterr().out


def test_export_conditions_read_like_cells(regions, make_org, tmp_path):
    make_org("规上企业", region="450223100", above_scale=True)
    make_org("小企业", region="450223101")
    path = tmp_path / "o.xlsx"
    for condition in ("above_scale=yes", "规模以上=是", "kind=enterprise", "单位类型=企业"):
        call_command("export", "orgs", str(path), "--where", condition, "--where", "above_scale=1")
        assert [row[1].value for row in load_workbook(path).active.iter_rows(min_row=2)] == ["规上企业"]


def test_a_column_given_twice_and_whitespace_rows(regions, bureau, make_org):
    org = make_org(region="450223100")
    raw = xlsx([["统一社会信用代码", "年度", "年度"], [org.uscc, 2023, 2024]])
    with pytest.raises(ImportRefused, match="这一列出现了两次"):
        run_import("figures", actor=bureau, raw=raw, filename="a.xlsx")
    raw = xlsx([["统一社会信用代码", "年度"], ["  ", " "], [org.uscc, 2023]])
    assert run_import("figures", actor=bureau, raw=raw, filename="b.xlsx").rows == 1


def test_certificates_import_with_computed_validity_and_update(regions, bureau, make_org, tmp_path):
    from kechuang.orgs.models import Certificate

    org = make_org(region="450223100")
    header = ["统一社会信用代码", "类型", "认定名称", "级别", "证书编号/登记编号", "年度", "发证日期"]
    raw = xlsx([header, [org.uscc, "高新技术企业证书", "", "国家级", "gr202445001234", 2024, "2024年12月2日"],
                [org.uscc, "其他认定", "瞪羚企业", "自治区级", "", 2024, ""]])  # fmt: skip
    assert run_import("certificates", actor=bureau, raw=raw, filename="c.xlsx").created == 2
    hte = Certificate.objects.get(kind="hte")
    assert (hte.number, hte.valid_until) == ("GR202445001234", datetime.date(2027, 12, 1))
    again = run_import("certificates", actor=bureau, raw=raw, filename="c.xlsx", update=True)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    bad = xlsx([header, [org.uscc, "高新技术企业证书", "", "", "GR202345001234", 2024, ""],
                [org.uscc, "其他认定", "", "", "", 2024, ""]])  # fmt: skip
    with pytest.raises(ImportRefused) as refused:
        run_import("certificates", actor=bureau, raw=bad, filename="c.xlsx")
    messages = refused.value.messages
    assert any(m.startswith("第2行 证书编号/登记编号：证书编号中的年份 2023") for m in messages)
    assert any(m.startswith("第2行 发证日期：高新技术企业证书必须填写发证日期") for m in messages)
    assert any(m.startswith("第3行 认定名称：其他认定须填写认定名称") for m in messages)
    path = tmp_path / "c.xlsx"
    call_command("export", "certificates", str(path))
    assert (
        run_import("certificates", actor=bureau, raw=path.read_bytes(), filename="c.xlsx", update=True).unchanged == 2
    )


def test_a_choice_label_with_full_width_brackets_matches_either_form():
    column = Column("kind", "类型", kind="choice", choices=(("pct", "PCT（发明）"), ("plain", "发明")))
    assert parse_cell(column, "PCT（发明）", Decimal(1)) == "pct"
    assert parse_cell(column, " PCT(发明) ", Decimal(1)) == "pct"
    with pytest.raises(ValueError, match="不是可选项"):
        parse_cell(column, "PCT发明", Decimal(1))


@pytest.mark.parametrize("value", [1e40, "1e40", 10**40])
def test_an_amount_too_large_to_round_to_the_cent_is_a_cell_error(value):
    column = Column("revenue", "营业收入", kind="money", unit="元")
    for parse in (lambda v: parse_cell(column, v, Decimal(1)), lambda v: column_parser(column, Decimal(1))([1, v])):
        with pytest.raises(ValueError, match="数值过大"):
            parse(value)
    assert column_parser(column, Decimal(1))([1234.5, None]) == [Decimal("1234.50"), None]


@settings(max_examples=200, deadline=None)
@given(
    kind=st.sampled_from(["money", "decimal", "int", "year", "text"]),
    unit=st.sampled_from(["元", "万元", "亿元"]),
    cells=st.lists(
        st.one_of(
            st.none(),
            st.integers(-(10**12), 10**12),
            st.floats(-1e12, 1e12, allow_nan=False),
            st.integers(1940, 2110).map(float),
            st.sampled_from(["", " 12,345.5 ", "１２３", "x", "2020", "\u3000ＡＢ\u3000", "toolongtext"]),
        ),
        max_size=20,
    ),
)
def test_a_column_read_at_once_gives_what_its_cells_read_one_by_one_give(kind, unit, cells):
    """The column fast path (calamine's floats and ints) and the cell-by-cell reading agree on every value, and
    on whether the column holds a bad cell."""
    column = Column("x", "金额", kind=kind, unit=unit, max_length=8)
    factor = UNITS[unit] if kind == "money" else Decimal(1)
    expected, failed = [], False
    for cell in cells:
        try:
            expected.append(parse_cell(column, cell, factor))
        except ValueError:
            failed = True
    if failed:
        with pytest.raises(ValueError):
            column_parser(column, factor)(cells)
    else:
        assert column_parser(column, factor)(cells) == expected


def test_an_unknown_kind_on_the_command_line_is_named(tmp_path):
    path = tmp_path / "x.xlsx"
    path.write_bytes(b"")
    with pytest.raises(CommandError, match="未知的导入类型“nope”"):
        call_command("import", "nope", str(path))


def test_imported_records_are_audited_as_snapshot_and_str_describe_them(regions, bureau, make_org):
    """The audit rows of an import are written by the database (``audit.audit_inserted``): each is the record's
    snapshot as ``snapshot`` gives it in Python — cents, negatives, nulls, times with their offset, the reviewer —
    and its text is the record's ``str()``, on either engine."""
    from kechuang.core.audit import snapshot

    first, second = make_org(region="450223100"), make_org(region="450223100")
    raw = xlsx([
        ["统一社会信用代码", "年度", "职工总数", "科技人员数", "销售收入（万元）", "净资产（元）",
         "研究开发费用（亿元）"],
        [first.uscc, 2023, 320, 48, 12345.67, -1500.5, 0.0000001],
        [first.uscc, 2022, None, None, None, 0, None],
        [second.uscc, 2023, 1, 0, 0.01, 99999999999.99, 1],
    ])  # fmt: skip
    before = AuditLog.objects.count()
    assert run_import("figures", actor=bureau, raw=raw, filename="audit.xlsx").created == 3
    rows = AuditLog.objects.filter(content_type__model="annualfigures").order_by("id")
    assert AuditLog.objects.count() == before + 3 == before + rows.count()
    for row in rows:
        record = AnnualFigures.objects.get(pk=int(row.object_id))
        assert row.after == snapshot(record) and row.before is None
        assert (row.action, row.actor_id, row.actor_name, row.object_repr) == ("create", bureau.pk, bureau.username,
                                                                              str(record))  # fmt: skip
    audited = {int(row.object_id): row.after for row in rows}
    newest = AnnualFigures.objects.get(organisation=first, year=2023)
    assert audited[newest.pk]["sales_revenue"] == "123456700.00" and audited[newest.pk]["net_assets"] == "-1500.50"
    assert audited[newest.pk]["rd_expense"] == "10.00" and audited[newest.pk]["reviewer"] == bureau.pk
    assert audited[newest.pk]["reviewed_at"] == newest.reviewed_at.isoformat()


@settings(max_examples=200, deadline=None)
@given(
    values=st.lists(st.one_of(st.none(), st.integers(-(10**17), 10**17)), max_size=12),
    low=st.one_of(st.none(), st.integers(-100, 100)),
    high=st.one_of(st.none(), st.integers(-100, 100)),
    strict=st.booleans(),
)
def test_a_column_check_holds_exactly_when_no_cell_of_it_fails(values, low, high, strict):
    from kechuang.core.importkit import Bounds

    check = Bounds(low, high, strict=strict, reasons=("太小", "太大"))
    assert check.holds(values) == (not any(check(value) for value in values))


def test_figures_carry_tax_assessed_on_the_books(regions, bureau, make_org):
    """查账征收, which the tech-SME evaluation needs, comes in with the yearly figures: yes, no or not known."""
    org = make_org(region="450223100")
    raw = xlsx([
        ["统一社会信用代码", "年度", "查账征收"],
        [org.uscc, 2022, "是"], [org.uscc, 2023, "否"], [org.uscc, 2024, None],
    ])  # fmt: skip
    assert run_import("figures", actor=bureau, raw=raw, filename="tax.xlsx").created == 3
    stored = dict(AnnualFigures.objects.filter(organisation=org).values_list("year", "audit_taxation"))
    assert stored == {2022: True, 2023: False, 2024: None}
    bad = xlsx([["统一社会信用代码", "年度", "查账征收"], [org.uscc, 2021, "核定"]])
    with pytest.raises(ImportRefused) as refused:
        run_import("figures", actor=bureau, raw=bad, filename="tax.xlsx")
    assert refused.value.messages == ["第2行 查账征收：“核定”应填“是”或“否”"]


def test_a_row_rule_broken_by_an_update_is_reported_once(regions, bureau, make_org):
    """The reader checks the row rules on the file's columns; an update checks its record again (stored values fill
    the columns the file lacks). A reason both find is reported once, one only the stored values show is reported."""
    org = make_org(region="450223100")
    run_import("figures", actor=bureau, raw=xlsx([["统一社会信用代码", "年度", "职工总数"], [org.uscc, 2023, 10],
                                                  [org.uscc, 2022, 10]]), filename="a.xlsx")  # fmt: skip
    raw = xlsx([["统一社会信用代码", "年度", "职工总数", "科技人员数"], [org.uscc, 2023, 10, 11]])
    with pytest.raises(ImportRefused) as refused:
        run_import("figures", actor=bureau, raw=raw, filename="b.xlsx", update=True)
    assert refused.value.messages == ["第2行 科技人员数：科技人员数不能大于职工总数"]
    stored_whole = xlsx([["统一社会信用代码", "年度", "科技人员数"], [org.uscc, 2022, 11]])
    with pytest.raises(ImportRefused) as refused:
        run_import("figures", actor=bureau, raw=stored_whole, filename="c.xlsx", update=True)
    assert refused.value.messages == ["第2行 科技人员数：科技人员数不能大于职工总数"]


def test_insert_rows_writes_rows_of_different_columns_with_their_defaults(regions, bureau, make_org):
    """Rows that give different columns are written column by column in groups; a column a row does not give takes
    the field's default (NULL, or the default value), and every record gets its audit row."""
    from kechuang.core.importkit import insert_rows
    from kechuang.orgs.importers import FiguresSchema

    org = make_org(region="450223100")
    rows = [
        {"year": 2020, "staff_total": 5, "organisation_id": org.pk},
        {"year": 2021, "sales_revenue": Decimal("12.50"), "reviewer": bureau, "organisation_id": org.pk},
        {"organisation_id": org.pk, "year": 2022, "staff_total": 7},  # the names of the first row, in another order
    ]
    insert_rows(AnnualFigures, rows, actor=bureau, key=FiguresSchema.model_key, describe=FiguresSchema.describe_sql)
    stored = {f.year: f for f in AnnualFigures.objects.filter(organisation=org)}
    assert (stored[2020].staff_total, stored[2020].sales_revenue, stored[2020].reviewer_id) == (5, None, None)
    assert (stored[2021].staff_total, stored[2021].sales_revenue, stored[2021].reviewer_id) == (
        None,
        Decimal("12.50"),
        bureau.pk,
    )
    assert stored[2022].staff_total == 7
    assert {f.source for f in stored.values()} == {AnnualFigures._meta.get_field("source").default}
    audited = AuditLog.objects.filter(content_type__model="annualfigures", action="create")
    assert sorted(int(a.object_id) for a in audited) == sorted(f.pk for f in stored.values())


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's way of finding the keys of inserted rows")
def test_the_keys_of_inserted_rows_come_from_the_last_key_and_are_confirmed(regions, make_org):
    from kechuang.core.importkit import _inserted_keys

    org, other = make_org(region="450223100"), make_org("另一家企业", region="450223100")
    AnnualFigures.objects.create(organisation=other, year=2019)  # a key before the insert
    with connection.cursor() as cursor:
        cursor.executemany(
            "INSERT INTO orgs_annualfigures (organisation_id, year, source, basis, review_status, review_comment,"
            " created, updated) VALUES (%s, %s, 'import', '', 'approved', '', '2026-01-01', '2026-01-01')",
            [(org.pk, 2020), (org.pk, 2021)],
        )
        keys = _inserted_keys(cursor, AnnualFigures, 2)
        assert list(keys) == sorted(AnnualFigures.objects.filter(organisation=org).values_list("pk", flat=True))
        assert _inserted_keys(cursor, AnnualFigures, 4) is None  # the range would hold another's record and a gap


def test_an_update_checks_again_a_stored_key_its_field_narrows(regions, bureau, make_org):
    """An update does not look up again the foreign keys it leaves as stored, except one that ``limit_choices_to``
    narrows: an organisation filed under an industry section (not a division) is refused whatever else changes."""
    from kechuang.orgs.models import Industry

    section = Industry.objects.create(code="C", name="制造业", level="section")
    org = make_org(region="450223100")
    Organisation.objects.filter(pk=org.pk).update(industry=section)  # stored before the rule, or by hand
    raw = xlsx([["统一社会信用代码", "单位名称", "所在区划", "联系电话"], [org.uscc, org.name, "450223100", "0772-1"]])
    with pytest.raises(ImportRefused) as refused:
        run_import("orgs", actor=bureau, raw=raw, filename="o.xlsx", update=True)
    assert [m.split("：")[0] for m in refused.value.messages] == ["第2行 所属行业"]
