"""The carriers and tenants import kinds: template round trip, every error at once, --update, export round trip."""

import datetime
from decimal import Decimal

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from kechuang.accounts.choices import Role
from kechuang.carriers.models import Carrier, Tenant
from kechuang.core.exceptions import AccessDenied
from kechuang.core.importkit import ImportRefused, run_import
from kechuang.core.models import AuditLog

from .conftest import template_rows, xlsx

D = datetime.date
pytestmark = pytest.mark.django_db


def carrier_row(name="柳州市某工程技术研究中心", kind="工程技术研究中心", level="市级", host="", region="", **cells):
    row = {"recognised": "2018-09-20", "revoked": "", "document": "柳科发〔2018〕56号", "demo": "否", "area": "",
           "notes": "", **cells}  # fmt: skip
    return [kind, name, level, host, "", region, row["recognised"], row["revoked"], row["document"], row["demo"],
            row["area"], row["notes"]]  # fmt: skip


def test_carriers_template_round_trip(bureau, home):
    raw = template_rows(
        "carriers",
        [
            carrier_row(host=home.uscc),
            carrier_row("鹿寨县某众创空间", "众创空间", "县级", region="鹿寨镇", area="1,200", demo="是"),
            carrier_row("鹿寨县某产业园", "产业园区", "自治区级", region="450223", recognised="2006年3月28日"),
        ],
    )
    report = run_import("carriers", actor=bureau, raw=raw, filename="c.xlsx")
    assert (report.rows, report.created) == (3, 3)
    centre = Carrier.objects.get(kind="etrc")
    assert (centre.host, centre.region, centre.level, centre.document_number) == (
        home,
        None,
        "city",
        "柳科发〔2018〕56号",
    )
    space = Carrier.objects.get(kind="maker_space")
    assert (space.region.code, space.area, space.demonstration) == ("450223100", Decimal("1200.00"), True)
    assert Carrier.objects.get(kind="park").recognised_date == D(2006, 3, 28)
    assert AuditLog.objects.filter(content_type__model="carrier", action="create").count() == 3


def test_carriers_errors_are_all_reported_and_nothing_is_written(bureau, home, far, regions):
    raw = template_rows(
        "carriers",
        [
            carrier_row(host=far.uscc),  # another county's host
            carrier_row("园区", "产业园区", "县级"),  # neither host nor region
            carrier_row(host=home.uscc, region="中渡镇"),  # a region that is not the host's
            carrier_row("某中心", "不存在的类型", "市级", host=home.uscc),
            carrier_row("撤销中心", host=home.uscc, revoked="2018-01-01"),
            carrier_row("柳城园区", "产业园区", "县级", region="450222"),
            carrier_row("某孵化器", "科技企业孵化器", "县级", region="鹿寨镇"),
            carrier_row("某孵化器", "科技企业孵化器", "县级", region="450223100"),  # the same one, by code
        ],
    )
    with pytest.raises(ImportRefused) as refused:
        run_import("carriers", actor=bureau, raw=raw, filename="c.xlsx")
    assert refused.value.messages == [
        "第2行 依托单位统一社会信用代码：该单位不存在或不在您的管辖范围内（请先导入单位）",
        "第3行 所在区划：没有依托单位的载体（如园区）须填写所在区划",
        "第4行 所在区划：有依托单位的载体按依托单位所在区划统计，所在区划请留空",
        "第5行 载体类型：“不存在的类型”不是可选项，应为 工程技术研究中心、企业技术中心、重点实验室、新型研发机构、"
        "科技企业孵化器、众创空间、小微企业创业创新基地、公共服务平台、技术转移机构、高新技术产业开发区、产业园区 之一",
        "第6行 撤销日期：撤销日期须晚于认定日期（2018-09-20）",
        "第7行 载体名称：不在您的管辖范围内",
        "第9行 载体名称：与第8行重复",
    ]
    assert not Carrier.objects.exists()


def test_carriers_update_and_a_second_run_changes_nothing(bureau, home):
    raw = template_rows("carriers", [carrier_row(host=home.uscc)])
    run_import("carriers", actor=bureau, raw=raw, filename="c.xlsx")
    with pytest.raises(ImportRefused, match="该记录已存在"):
        run_import("carriers", actor=bureau, raw=raw, filename="c.xlsx")
    changed = template_rows("carriers", [carrier_row(host=home.uscc, revoked="2021-06-30", level="自治区级")])
    assert run_import("carriers", actor=bureau, raw=changed, filename="c.xlsx", update=True).updated == 1
    again = run_import("carriers", actor=bureau, raw=changed, filename="c.xlsx", update=True)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 1)
    carrier = Carrier.objects.get()
    assert (carrier.revoked_date, carrier.level) == (D(2021, 6, 30), "region")
    assert AuditLog.objects.filter(content_type__model="carrier").count() == 2


def tenant_row(
    carrier="鹿寨县某孵化器", uscc="", name="", entry="2019-03-01", leaves="", graduated="", host="", region=""
):
    return [carrier, host, region, uscc, name, entry, leaves, graduated, ""]


@pytest.fixture
def incubator(make_carrier):
    return make_carrier("鹿寨县某孵化器", kind="incubator", level="county", region="450223100")


def test_tenants_template_round_trip_and_update(bureau, home, incubator):
    raw = template_rows(
        "tenants",
        [
            tenant_row(uscc=home.uscc, name=home.name, leaves="2021-08-31", graduated="是"),
            tenant_row(name="某创业团队", entry="2020/06/15"),
        ],
    )
    assert run_import("tenants", actor=bureau, raw=raw, filename="t.xlsx").created == 2
    graduate = Tenant.objects.get(organisation=home)
    assert (graduate.carrier, graduate.exit_date, graduate.graduated, graduate.team_name) == (
        incubator,
        D(2021, 8, 31),
        True,
        "",
    )
    team = Tenant.objects.get(team_name="某创业团队")
    assert team.entry_date == D(2020, 6, 15) and team.organisation is None
    again = run_import("tenants", actor=bureau, raw=raw, filename="t.xlsx", update=True)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)


def test_tenants_errors(bureau, home, incubator, make_carrier, make_org):
    make_carrier("鹿寨县某孵化器", kind="incubator", level="county", region="450223101")  # same name, elsewhere
    make_carrier("某工程中心", host=home)
    raw = template_rows(
        "tenants",
        [
            tenant_row(name="团队甲"),  # two carriers of that name
            tenant_row(name="团队乙", region="鹿寨镇", leaves="2019-01-01"),
            tenant_row(carrier="某工程中心", name="团队丙"),
            tenant_row(carrier="不存在的孵化器", name="团队丁"),
            tenant_row(region="鹿寨镇"),  # neither organisation nor name
            tenant_row(region="鹿寨镇", uscc="91450223MA5XXXXXXX"),
            tenant_row(region="鹿寨镇", name="团队戊", graduated="是"),
        ],
    )
    with pytest.raises(ImportRefused) as refused:
        run_import("tenants", actor=bureau, raw=raw, filename="t.xlsx")
    messages = refused.value.messages
    assert messages[0] == "第2行 孵化载体名称：有 2 个同名载体，请填写载体依托单位信用代码或载体所在区划"
    assert messages[1] == "第3行 迁出日期：迁出日期须晚于入驻日期（2019-03-01）"
    assert messages[2].startswith("第4行 孵化载体名称：只有科技企业孵化器和众创空间登记入驻企业")
    assert messages[3] == "第5行 孵化载体名称：找不到该载体或不在您的管辖范围内（请先导入载体）"
    assert messages[4] == "第6行 入驻企业/团队名称：请选择入驻单位，或填写尚未在单位档案中的团队/企业名称"
    assert messages[5].startswith("第7行 入驻单位统一社会信用代码：")
    assert messages[6] == "第8行 迁出日期：毕业企业须填写迁出日期"
    assert len(messages) == 7
    assert not Tenant.objects.exists()


def test_import_needs_the_right_and_the_scope(make_user, home, far):
    raw = template_rows("carriers", [carrier_row(host=home.uscc)])
    with pytest.raises(AccessDenied):
        run_import("carriers", actor=make_user(Role.LEADER), raw=raw, filename="c.xlsx")
    county_staff = make_user(Role.BUREAU_STAFF, region="450222")  # 柳城县 staff cannot name a 鹿寨 host
    with pytest.raises(ImportRefused, match="不在您的管辖范围内"):
        run_import("carriers", actor=county_staff, raw=raw, filename="c.xlsx")


def test_messy_carriers_file(bureau, home):
    raw = xlsx(
        [
            ["鹿寨县创新载体汇总表"],
            [" 载体类型* ", "载体名称", "级别", "依托单位统一社会信用代码", "认定日期", "场地面积（平方米）"],
            ["企业技术中心", " 某企业技术中心 ", "市级", f" {home.uscc.lower()} ", 43466, "２，５００"],
        ]
    )
    assert run_import("carriers", actor=bureau, raw=raw, filename="messy.xlsx").created == 1
    carrier = Carrier.objects.get()
    assert (carrier.name, carrier.recognised_date, carrier.area) == ("某企业技术中心", D(2019, 1, 1), Decimal("2500"))


def test_export_imports_back_unchanged(bureau, home, far, make_carrier, make_tenant, tmp_path):
    centre = make_carrier("某中心", host=home, area=Decimal("800.50"), demonstration=True, notes="备注一")
    space = make_carrier("某众创空间", kind="maker_space", level="county", region="450223101")
    make_carrier("柳城某中心", host=far)
    make_tenant(space, organisation=home, exit_date=D(2021, 1, 1), graduated=True)
    make_tenant(space, team_name="某团队")
    assert centre.host == home
    for kind, expected in (("carriers", 2), ("tenants", 2)):
        path = tmp_path / f"{kind}.xlsx"
        call_command("export", kind, str(path), "--user", bureau.username)
        rows = list(load_workbook(path).active.iter_rows(values_only=True))
        assert len(rows) == 1 + expected and all("柳城" not in str(cell) for row in rows for cell in row)
        report = run_import(kind, actor=bureau, raw=path.read_bytes(), filename=path.name, update=True)
        assert (report.created, report.updated, report.unchanged) == (0, 0, expected)


def test_export_by_year_lists_the_carriers_valid_at_its_end(bureau, home, make_carrier, tmp_path):
    make_carrier("老中心", host=home, recognised_date=D(2014, 1, 1), revoked_date=D(2019, 6, 1))
    make_carrier("新中心", host=home, recognised_date=D(2020, 3, 1))
    path = tmp_path / "c.xlsx"
    call_command("export", "carriers", str(path), "--year", "2020", "--region", "450223")
    assert [row[1] for row in load_workbook(path).active.iter_rows(min_row=2, values_only=True)] == ["新中心"]
