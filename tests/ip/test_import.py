"""The ``patents`` and ``other-ip`` import kinds: template round trip, every error at once, --update idempotence,
status events appended only when new, export in the import format."""

import datetime
import io

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from kechuang.accounts.choices import Role
from kechuang.core.importkit import ImportRefused, get_schema, registry, run_import, write_export, write_template
from kechuang.core.models import AuditLog
from kechuang.ip.models import OtherIP, Patent, PatentEvent, PatentOwner
from tests.conftest import make_uscc

from .conftest import make_number

pytestmark = pytest.mark.django_db
D = datetime.date


def filled_template(kind: str, rows) -> bytes:
    """The generated template with rows typed into its data sheet."""
    buffer = io.BytesIO()
    write_template(get_schema(kind), buffer)
    workbook = load_workbook(io.BytesIO(buffer.getvalue()))
    for row in rows:
        workbook["数据"].append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def exported(kind: str, actor=None) -> bytes:
    schema = get_schema(kind)
    buffer = io.BytesIO()
    write_export(schema, schema.export_queryset(actor=actor), buffer)
    return buffer.getvalue()


def patent_row(number, owners, **cells):
    row = {
        "number": number, "type": "", "title": "一种汽车制动盘的铸造方法", "filed": "2019-03-01", "granted": "",
        "publication": "", "acquisition": "自主研发", "owners": owners, "owner_region": "",
        "inventors": "韦志强、覃丽萍", "status": "", "status_date": "",
    }  # fmt: skip
    row.update(cells)
    return list(row.values())


def test_kinds_are_registered_with_their_fixed_names():
    assert {"patents", "other-ip"} <= set(registry())


def test_template_headers_and_dropdowns():
    buffer = io.BytesIO()
    write_template(get_schema("patents"), buffer)
    workbook = load_workbook(io.BytesIO(buffer.getvalue()))
    headers = [c.value for c in workbook["数据"][1]]
    assert headers[:4] == ["申请号*", "专利类型", "专利名称*", "申请日*"]
    assert "专利权人*" in headers and "法律状态" in headers
    assert workbook["数据"].data_validations.dataValidation  # dropdowns for the choices
    assert "申请号" in str([[c.value for c in row] for row in workbook["填写说明"].iter_rows()])


def test_round_trip_creates_patents_with_owners_events_and_audit(bureau, home, neighbour, regions):
    first, second = make_number(2019), make_number(2020, "utility")
    raw = filled_template("patents", [
        patent_row(f"ZL{first}", f"{home.name}；{neighbour.uscc}；广西科技大学", granted="2021-06-08",
                   status="失效", status_date="2023-03-01"),
        patent_row(second, "韦志强", type="实用新型", filed="2020年5月6日", owner_region="黄冕镇", inventors="韦志强"),
    ])  # fmt: skip
    report = run_import("patents", actor=bureau, raw=raw, filename="p.xlsx")
    assert (report.rows, report.created) == (2, 2)
    p1 = Patent.objects.get(number=first.replace(".", ""))
    assert p1.owner_names == [home.name, neighbour.name, "广西科技大学"] and p1.region == home.region
    assert [o.organisation_id for o in p1.owners.all()] == [home.pk, neighbour.pk, None]
    assert list(p1.events.values_list("status", "date")) == [
        ("pending", D(2019, 3, 1)), ("granted", D(2021, 6, 8)), ("lapsed", D(2023, 3, 1)),
    ]  # fmt: skip
    assert (p1.grant_date, p1.ended_on, p1.end_reason, p1.inventors) == (
        D(2021, 6, 8), D(2023, 3, 1), "lapsed", ["韦志强", "覃丽萍"]
    )  # fmt: skip
    p2 = Patent.objects.get(number=second.replace(".", ""))
    assert (p2.patent_type, p2.region.code, p2.application_date) == ("utility", "450223104", D(2020, 5, 6))
    assert AuditLog.objects.filter(content_type__model="patent", action="create").count() == 2
    assert AuditLog.objects.filter(content_type__model="patentevent", action="create").count() == 4


def test_every_error_is_reported_and_nothing_is_written(bureau, home, far):
    good = make_number(2019)
    body = good.replace(".", "")[:-1]
    wrong_check = body + ("0" if good[-1] != "0" else "1")
    raw = filled_template("patents", [
        patent_row(good, home.name),
        patent_row(wrong_check, home.name),                                   # 3: check character
        patent_row(make_number(2019), "韦志强"),                              # 4: no region for a person
        patent_row(make_number(2019), far.name),                             # 5: placed outside the county
        patent_row(make_number(2019), home.name, type="外观设计"),            # 6: type against the number
        patent_row(make_number(2019), home.name, status="失效", status_date="2020-01-01"),  # 7: lapse ungranted
        patent_row(make_number(2019), home.name, status="授权"),              # 8: status without a date
        patent_row(good.replace(".", ""), home.name),                        # 9: the same number again
        patent_row(make_number(2019), make_uscc()),                          # 10: unknown credit code
        patent_row(make_number(2019), home.name, filed="2020-01-01"),        # 11: filing year against the number
    ])  # fmt: skip
    with pytest.raises(ImportRefused) as refused:
        run_import("patents", actor=bureau, raw=raw, filename="p.xlsx")
    messages = refused.value.messages
    lines = [m.split(" ")[0] for m in messages]
    assert lines == [f"第{n}行" for n in (3, 4, 5, 6, 7, 8, 9, 10, 11)], messages
    assert "校验码错误" in messages[0]
    assert "不是已登记的单位" in messages[1]
    assert "不在您的管辖范围内" in messages[2]
    assert "与所选专利类型“外观设计”不一致" in messages[3]
    assert "只有已授权的专利才能登记“失效”" in messages[4]
    assert "法律状态和状态日期须同时填写" in messages[5]
    assert "与第2行重复" in messages[6]
    assert "尚未登记" in messages[7]
    assert "申请年份 2019" in messages[8]
    assert not Patent.objects.exists() and not PatentOwner.objects.exists() and not PatentEvent.objects.exists()


def test_update_changes_nothing_the_second_time_and_appends_only_new_events(bureau, home):
    number = make_number(2019)
    raw = filled_template("patents", [patent_row(number, home.name, granted="2021-06-08")])
    assert run_import("patents", actor=bureau, raw=raw, filename="p.xlsx").created == 1
    with pytest.raises(ImportRefused) as refused:
        run_import("patents", actor=bureau, raw=raw, filename="p.xlsx")
    assert "该记录已存在" in refused.value.messages[0]
    audit_rows = AuditLog.objects.count()
    again = run_import("patents", actor=bureau, raw=raw, filename="p.xlsx", update=True)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 1)
    assert AuditLog.objects.count() == audit_rows
    lapsed = filled_template("patents", [
        patent_row(number, home.name, granted="2021-06-08", status="失效", status_date="2024-02-01"),
    ])  # fmt: skip
    assert run_import("patents", actor=bureau, raw=lapsed, filename="p.xlsx", update=True).updated == 1
    patent = Patent.objects.get()
    assert list(patent.events.values_list("status", flat=True)) == ["pending", "granted", "lapsed"]
    assert patent.ended_on == D(2024, 2, 1)
    assert run_import("patents", actor=bureau, raw=lapsed, filename="p.xlsx", update=True).unchanged == 1
    assert patent.events.count() == 3


def test_update_refuses_a_different_grant_date(bureau, home):
    number = make_number(2019)
    run_import("patents", actor=bureau, raw=filled_template("patents", [patent_row(number, home.name,
               granted="2021-06-08")]), filename="p.xlsx")  # fmt: skip
    other = filled_template("patents", [patent_row(number, home.name, granted="2021-07-01")])
    with pytest.raises(ImportRefused) as refused:
        run_import("patents", actor=bureau, raw=other, filename="p.xlsx", update=True)
    assert "与已登记的授权公告日 2021-06-08 不一致" in refused.value.messages[0]


def test_update_of_owners_moves_the_patent(bureau, home, neighbour):
    number = make_number(2019)
    run_import("patents", actor=bureau, raw=filled_template("patents", [patent_row(number, home.name)]),
               filename="p.xlsx")  # fmt: skip
    moved = filled_template("patents", [patent_row(number, f"{neighbour.name}、{home.name}")])
    assert run_import("patents", actor=bureau, raw=moved, filename="p.xlsx", update=True).updated == 1
    patent = Patent.objects.get()
    assert patent.region == neighbour.region and patent.owner_names == [neighbour.name, home.name]
    assert [o.organisation for o in patent.owners.all()] == [neighbour, home]


def test_export_imports_back_unchanged(bureau, home, neighbour, make_org, make_patent, regions):
    from kechuang.ip.services import OwnerSpec

    twin = make_org(name=home.name)  # a name two organisations share is exported as the credit code
    make_patent(home, twin, filed=D(2016, 3, 1), granted=D(2018, 7, 3), events=[("lapsed", D(2020, 3, 1))])
    make_patent(OwnerSpec(name="韦志强", region=regions["450223104"]), neighbour, patent_type="utility",
                filed=D(2020, 5, 6), events=[("rejected", D(2021, 2, 2))])  # fmt: skip
    make_patent(neighbour, patent_type="pct_invention", filed=D(2018, 1, 9), granted=D(2020, 5, 6),
                events=[("transferred", D(2021, 1, 1))], inventors=["覃丽萍"], acquisition="assignment")  # fmt: skip
    raw = exported("patents", actor=bureau)
    rows = list(load_workbook(io.BytesIO(raw)).active.iter_rows(values_only=True))
    assert len(rows) == 4 and rows[0][0] == "申请号*"
    assert any(home.uscc in (row[7] or "") for row in rows[1:])
    audit_rows = AuditLog.objects.count()
    report = run_import("patents", actor=bureau, raw=raw, filename="export.xlsx", update=True)
    assert (report.created, report.updated, report.unchanged) == (0, 0, 3)
    assert AuditLog.objects.count() == audit_rows


def test_enterprise_may_not_import(make_user, home):
    from kechuang.core.exceptions import AccessDenied

    user = make_user(Role.ENTERPRISE, organisation=home)
    with pytest.raises(AccessDenied):
        run_import("patents", actor=user, raw=filled_template("patents", []), filename="p.xlsx")


def test_command_line_round_trip(tmp_path, home, neighbour, make_patent):
    make_patent(home, filed=D(2019, 3, 1), granted=D(2021, 6, 8))
    target = tmp_path / "patents.xlsx"
    call_command("export", "patents", str(target), "--region", "450223", "--year", "2019", stdout=io.StringIO())
    call_command("import", "patents", str(target), "--update", stdout=io.StringIO(), stderr=io.StringIO())
    assert Patent.objects.count() == 1 and PatentEvent.objects.count() == 2


# --- other IP -----------------------------------------------------------------------------------------------


def other_row(uscc, kind="软件著作权", number="2020SR0123456", **cells):
    row = {"uscc": uscc, "name": "", "kind": kind, "number": number, "title": "生产管理系统V1.0",
           "date": "2020-03-16", "end": "", "acquisition": "", "level": "", "role": ""}  # fmt: skip
    row.update(cells)
    return list(row.values())


def test_other_ip_round_trip_errors_and_update(bureau, home, neighbour, far):
    raw = filled_template("other-ip", [
        other_row(home.uscc, number="2020sr 0123456"),
        other_row(neighbour.uscc, kind="标准", number="T/GXAS 081-2020", level="团体标准", role="主导制定"),
    ])  # fmt: skip
    assert run_import("other-ip", actor=bureau, raw=raw, filename="o.xlsx").created == 2
    assert OtherIP.objects.get(organisation=home).number == "2020SR0123456"
    again = run_import("other-ip", actor=bureau, raw=raw, filename="o.xlsx", update=True)
    assert (again.updated, again.unchanged) == (0, 2)
    bad = filled_template("other-ip", [
        other_row(far.uscc, number="2020SR0999999"),                       # outside the county
        other_row(home.uscc, kind="标准", number="DB45/T 1-2020"),           # a standard without level and role
        other_row(home.uscc, number="2020-123"),                            # malformed registration number
        other_row(neighbour.uscc, number="2020SR0123456"),                  # someone else's number
    ])  # fmt: skip
    with pytest.raises(ImportRefused) as refused:
        run_import("other-ip", actor=bureau, raw=bad, filename="o.xlsx", update=True)
    text = "\n".join(refused.value.messages)
    assert "第2行" in text and "第3行 标准级别" in text and "第4行 登记号/证书号/标准号" in text
    assert "第5行 登记号/证书号/标准号：该编号已登记在另一个单位名下" in text
    assert OtherIP.objects.count() == 2
    export = exported("other-ip", actor=bureau)
    report = run_import("other-ip", actor=bureau, raw=export, filename="o.xlsx", update=True)
    assert (report.created, report.updated, report.unchanged) == (0, 0, 2)
