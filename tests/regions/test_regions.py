"""The region tree: shipped fixture, validity dates, CSV import in UTF-8/BOM/GB18030, population."""

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from kechuang.core.models import AuditLog
from kechuang.orgs.models import Organisation
from kechuang.orgs.services import organisation_create
from kechuang.regions.models import Population, Region
from kechuang.regions.selectors import region_choices_for
from kechuang.regions.services import population_import, region_import

HEADER = "code,name,level,parent_code,valid_from,valid_to\n"


def test_shipped_tree_has_liuzhou_ten_county_units_and_luzhai_townships(regions):
    liuzhou = regions["450200"]
    current = Region.objects.selectable().filter(parent=liuzhou)
    assert current.count() == 10
    assert {r.code for r in current} == {
        "450202",
        "450203",
        "450204",
        "450205",
        "450206",
        "450222",
        "450223",
        "450224",
        "450225",
        "450226",
    }
    townships = Region.objects.filter(parent=regions["450223"]).values_list("name", flat=True)
    assert set(townships) == {"鹿寨镇", "中渡镇", "寨沙镇", "平山镇", "黄冕镇", "四排镇", "江口乡", "导江乡", "拉沟乡"}
    assert regions["450223100"].path == "450000/450200/450223/450223100/"


def test_abolished_code_stays_but_cannot_be_chosen(regions, bureau):
    liujiang = regions["450221"]
    assert liujiang.is_abolished and "450221" in str(liujiang)
    assert liujiang not in region_choices_for(bureau.__class__(role="sysadmin"))
    with pytest.raises(ValidationError) as error:
        organisation_create(actor=None, uscc="91450221MA5N7B2T5X", name="旧柳江县企业", region=liujiang)
    assert "已撤销" in str(error.value)


def test_existing_records_in_an_abolished_region_can_still_be_edited(regions):
    org = Organisation.objects.create(uscc="91450200MA5L8K4C73", name="历史企业", region=regions["450221"])
    org.full_clean()  # no error: only new records are refused


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_csv_import_in_every_encoding(regions, encoding):
    text = HEADER + "450207,柳州新区,county,450200,2030-01-01,\n450207100,新区街道,township,450207,,\n"
    result = region_import(actor=None, raw=text.encode(encoding), filename="more.csv")
    assert (result.created, result.updated) == (2, 0)
    assert Region.objects.get(code="450207100").path == "450000/450200/450207/450207100/"
    again = region_import(actor=None, raw=text.encode(encoding), filename="more.csv")
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)


def test_children_before_parents_in_the_file_still_import(regions):
    text = HEADER + "450207100,新区街道,township,450207,,\n450207,柳州新区,county,450200,,\n"
    assert region_import(actor=None, raw=text.encode(), filename="x.csv").created == 2


def test_import_reports_every_error_at_once_and_writes_nothing(regions):
    text = HEADER + (
        "45020X,坏代码,county,450200,,\n"
        "450208,,city,450200,,\n"
        "450209,无上级,county,999999,,\n"
        "450210,日期错,county,450200,2020-13-01,2019-01-01\n"
    )
    before = (Region.objects.count(), AuditLog.objects.count())
    with pytest.raises(ValidationError) as error:
        region_import(actor=None, raw=text.encode(), filename="bad.csv")
    messages = error.value.messages
    assert "第2行 code：区划代码“45020X”应为6位（县级及以上）或9、12位（乡级）数字" in messages
    assert "第3行 name：名称不能为空" in messages
    assert any(m.startswith("第3行 level：级别“city”无效") for m in messages)
    assert any(m.startswith("第4行 parent_code：上级区划“999999”") for m in messages)
    assert any(m.startswith("第5行 valid_from：“2020-13-01”不是有效日期") for m in messages)
    assert (Region.objects.count(), AuditLog.objects.count()) == before


def test_wrong_header_is_refused(regions):
    with pytest.raises(ValidationError) as error:
        region_import(actor=None, raw="代码,名称\n1,2\n".encode(), filename="x.csv")
    assert "表头应为 code,name,level,parent_code,valid_from,valid_to" in error.value.messages[0]


def test_population_import_and_upsert(regions):
    text = "code,year,resident,source\n450223,2020,360000,七普\n450223100,2020,120000,七普\n"
    assert population_import(actor=None, raw=text.encode("gb18030"), filename="p.csv").created == 2
    text = "code,year,resident,source\n450223,2020,361234,年鉴\n"
    assert population_import(actor=None, raw=text.encode(), filename="p.csv").updated == 1
    assert Population.objects.get(region__code="450223", year=2020).resident == 361234
    with pytest.raises(ValidationError) as error:
        population_import(actor=None, raw=b"code,year,resident,source\n999999,20x0,-5,\n", filename="p.csv")
    assert len(error.value.messages) == 3


def test_command_imports_and_fails_loudly(regions, tmp_path, capsys):
    good = tmp_path / "good.csv"
    good.write_bytes((HEADER + "450207,柳州新区,county,450200,,\n").encode("gb18030"))
    call_command("regions", "import", str(good))
    assert "新增 1 条" in capsys.readouterr().out
    bad = tmp_path / "bad.csv"
    bad.write_text(HEADER + "450208,,county,450200,,\n", encoding="utf-8")
    with pytest.raises(CommandError, match="共 1 处错误"):
        call_command("regions", "import", str(bad))


def test_web_import_shows_row_errors(login, make_user, regions):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = login(make_user("sysadmin", region=None))
    upload = SimpleUploadedFile("r.csv", (HEADER + "450208,,county,450200,,\n").encode())
    page = client.post("/regions/import/", {"kind": "regions", "file": upload}).content.decode()
    assert "第2行 name：名称不能为空" in page
    leader = login(make_user("leader"))
    assert leader.get("/regions/import/").status_code == 403


@pytest.mark.parametrize("kind", ["regions", "population"])
def test_downloaded_template_imports_as_is(kind, login, make_user, regions):
    from kechuang.regions.services import population_import, region_import

    client = login(make_user("sysadmin", region=None))
    response = client.get(f"/regions/import/template/{kind}/")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    raw = response.content
    assert raw.startswith("\ufeff".encode())
    service = region_import if kind == "regions" else population_import
    assert service(actor=None, raw=raw, filename="t.csv").created == 1
    assert client.get("/regions/import/template/nope/").status_code == 404


def test_moving_a_region_moves_its_subtree_and_the_scope(regions, make_org, make_user):
    from kechuang.core.access import restrict

    make_org("鹿寨镇企业", region="450223100")
    bureau = make_user("bureau_admin", region="450223")
    text = HEADER + "450300,桂林市,prefecture,450000,,\n450223,鹿寨县,county,450300,,\n"
    region_import(actor=None, raw=text.encode(), filename="move.csv")
    assert Region.objects.get(code="450223100").path == "450000/450300/450223/450223100/"
    bureau.refresh_from_db()
    assert restrict(Organisation, bureau).count() == 1
    assert not restrict(Organisation, make_user("leader", region="450200")).exists()


def test_only_an_installation_wide_administrator_reshapes_the_tree(regions, make_user):
    from kechuang.core.exceptions import AccessDenied

    with pytest.raises(AccessDenied):
        region_import(
            actor=make_user("sysadmin", region="450223"),
            raw=(HEADER + "450207,x,county,450200,,\n").encode(),
            filename="x.csv",
        )
    region_import(
        actor=make_user("sysadmin", region=None), raw=(HEADER + "450207,x,county,450200,,\n").encode(), filename="x.csv"
    )
    assert Region.objects.filter(code="450207").exists()
