"""Import kind ``pools`` (入库记录): template round trip, every error at once, ``--update`` idempotence, export."""

import io

import pytest
from django.core.management import call_command
from openpyxl import Workbook, load_workbook

from kechuang.core.access import AccessDenied
from kechuang.core.importkit import ImportRefused, get_schema, registry, run_import, write_template
from kechuang.core.models import AuditLog
from kechuang.orgs.models import PoolMembership
from kechuang.orgs.reference import load_pools

pytestmark = pytest.mark.django_db

HEADER = ["统一社会信用代码", "单位名称", "培育库", "入库年度", "入库理由", "出库年度", "出库原因"]


def xlsx(rows) -> bytes:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def pools(db):
    load_pools()


@pytest.fixture
def firm(make_org):
    return make_org(name="鹿寨县纳米材料科技有限公司", region="450223100")


@pytest.fixture
def other(make_org):
    return make_org(name="鹿寨县绿源生物科技有限公司", region="450223101")


def memberships():
    return sorted(
        PoolMembership.objects.values_list(
            "organisation__name", "pool__code", "entry_year", "entry_reason", "exit_year", "exit_reason"
        )
    )


def test_pools_is_a_listed_kind():
    assert "pools" in registry()
    assert list(registry())[:4] == ["orgs", "figures", "certificates", "pools"]


def test_template_fill_import_round_trip(pools, firm, other, bureau):
    buffer = io.BytesIO()
    write_template(get_schema("pools"), buffer)
    workbook = load_workbook(io.BytesIO(buffer.getvalue()))
    sheet = workbook["数据"]
    assert [cell.value for cell in sheet[1]] == ["统一社会信用代码*", "单位名称", "培育库*", "入库年度*", "入库理由",
                                                 "出库年度", "出库原因"]  # fmt: skip
    assert "培育库填代码或名称" in " ".join(str(c.value) for row in workbook["填写说明"] for c in row if c.value)
    sheet.append([firm.uscc, firm.name, "hte-reserve", 2022, "研发投入占比高", None, None])
    sheet.append([other.uscc, "", "瞪羚企业培育库", 2021, "", 2023, "已认定为自治区瞪羚企业"])
    filled = io.BytesIO()
    workbook.save(filled)
    report = run_import("pools", actor=bureau, raw=filled.getvalue(), filename="pools.xlsx")
    assert (report.created, report.updated, report.unchanged) == (2, 0, 0)
    assert memberships() == [
        (firm.name, "hte-reserve", 2022, "研发投入占比高", None, ""),
        (other.name, "gazelle", 2021, "", 2023, "已认定为自治区瞪羚企业"),
    ]
    created = AuditLog.objects.filter(content_type__model="poolmembership", action="create")
    assert created.count() == 2 and {row.actor for row in created} == {bureau}


def test_every_error_is_reported_and_nothing_is_written(pools, firm, make_org, bureau):
    far = make_org(name="柳城企业", region="450222")
    PoolMembership.objects.create(organisation=firm, pool_id=load_pool("gazelle"), entry_year=2020)
    before = (memberships(), AuditLog.objects.count())
    raw = xlsx([
        HEADER,
        [firm.uscc, "", "不存在的库", 2022, "", None, None],
        [firm.uscc, "", "hte-reserve", 2022, "", 2021, "提前出库"],
        [firm.uscc, "", "high-growth-tsme", 2022, "", 2023, None],
        [far.uscc, "", "hte-reserve", 2022, "", None, None],
        [firm.uscc, "", "", 2022, "", None, None],
        [firm.uscc, "", "listing-reserve", 2022, "", None, None],
        [firm.uscc, "", "上市后备企业库", 2022, "", None, None],
        [firm.uscc, "", "gazelle", 2020, "已在库", None, None],
    ])  # fmt: skip
    with pytest.raises(ImportRefused) as refused:
        run_import("pools", actor=bureau, raw=raw, filename="bad.xlsx")
    messages = refused.value.messages
    assert any(m.startswith("第2行 培育库：培育库“不存在的库”不存在，可填：") for m in messages)
    assert "第3行 出库年度：出库年度不能早于入库年度" in messages
    assert "第4行 出库原因：出库时须填写出库原因" in messages
    assert any(m.startswith("第5行 统一社会信用代码：该单位不存在或不在您的管辖范围内") for m in messages)
    assert "第6行 培育库：必填项不能为空" in messages
    assert "第8行 培育库：与第7行重复" in messages  # the same pool, by code and by name
    assert any(m.startswith("第9行 统一社会信用代码+培育库+入库年度：该记录已存在") for m in messages)
    assert (memberships(), AuditLog.objects.count()) == before


def load_pool(code):
    from kechuang.orgs.models import Pool

    return Pool.objects.get(code=code).pk


def test_update_is_idempotent_and_records_an_exit(pools, firm, bureau):
    first = xlsx([HEADER, [firm.uscc, "", "hte-reserve", 2021, "研发投入高", None, None]])
    run_import("pools", actor=bureau, raw=first, filename="a.xlsx")
    again = run_import("pools", actor=bureau, raw=first, filename="a.xlsx", update=True)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 1)
    exit_file = xlsx([HEADER, [firm.uscc, "", "后备高新技术企业库", 2021, "研发投入高", 2024, "已认定为高新技术企业"]])
    assert run_import("pools", actor=bureau, raw=exit_file, filename="b.xlsx", update=True).updated == 1
    audits = AuditLog.objects.count()
    twice = run_import("pools", actor=bureau, raw=exit_file, filename="b.xlsx", update=True)
    assert (twice.created, twice.updated, twice.unchanged) == (0, 0, 1) and AuditLog.objects.count() == audits
    update = AuditLog.objects.get(content_type__model="poolmembership", action="update")
    assert (update.before["exit_year"], update.after["exit_year"]) == (None, 2024)
    assert memberships() == [(firm.name, "hte-reserve", 2021, "研发投入高", 2024, "已认定为高新技术企业")]


def test_export_imports_back_unchanged(pools, firm, other, make_org, bureau, tmp_path):
    far = make_org(name="柳城企业", region="450222")
    rows = [
        [firm.uscc, "", "hte-reserve", 2020, "研发投入高", 2023, "已认定为高新技术企业"],
        [firm.uscc, "", "gazelle", 2024, "营收增长快", None, None],
        [other.uscc, "", "high-growth-tsme", 2022, "", None, None],
    ]
    run_import("pools", actor=bureau, raw=xlsx([HEADER, *rows]), filename="a.xlsx")
    run_import(
        "pools", actor=None, raw=xlsx([HEADER, [far.uscc, "", "gazelle", 2022, "", None, None]]), filename="f.xlsx"
    )
    path = tmp_path / "pools.xlsx"
    call_command("export", "pools", str(path), "--user", bureau.username)
    exported = [[cell.value for cell in row] for row in load_workbook(path).active.iter_rows()]
    assert exported[0] == [column.header() for column in get_schema("pools").columns]
    assert len(exported) == 4 and all("柳城" not in str(row) for row in exported)  # only what the user may see
    assert [row[2:4] for row in exported[1:3]] == [["瞪羚企业培育库", 2024], ["后备高新技术企业库", 2020]]
    report = run_import("pools", actor=bureau, raw=path.read_bytes(), filename=path.name, update=True)
    assert (report.created, report.updated, report.unchanged) == (0, 0, 3)

    call_command("export", "pools", str(path), "--user", bureau.username, "--year", "2024")
    in_2024 = [row[2].value for row in load_workbook(path).active.iter_rows(min_row=2)]
    assert in_2024 == ["瞪羚企业培育库", "高成长科技型中小企业库"]  # the 2020–2023 stay had ended


def test_enterprises_may_not_import_pools(pools, firm, make_user):
    user = make_user("enterprise", organisation=firm)
    with pytest.raises(AccessDenied):
        run_import("pools", actor=user, raw=xlsx([HEADER, [firm.uscc, "", "gazelle", 2022]]), filename="a.xlsx")
    assert not PoolMembership.objects.exists()


def test_bureau_staff_outside_the_county_is_refused(pools, firm, make_user):
    staff = make_user("bureau_staff", region="450222")
    with pytest.raises(ImportRefused, match="不在您的管辖范围内"):
        run_import("pools", actor=staff, raw=xlsx([HEADER, [firm.uscc, "", "gazelle", 2022]]), filename="a.xlsx")
