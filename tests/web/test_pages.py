"""Behaviour of the organisation pages: search, list filters, export, forms, history, certificates, attachments."""

import datetime
import re
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from kechuang.accounts.choices import Role
from kechuang.core.models import Attachment, AuditLog
from kechuang.orgs.models import AnnualFigures, Certificate, Organisation, PoolMembership
from tests.conftest import make_uscc

from .conftest import LAST_YEAR, describe, xlsx_rows

TODAY = timezone.localdate()


def months_before(day: datetime.date, months: int) -> datetime.date:
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    return day.replace(year=year, month=month + 1, day=min(day.day, 28))


def hte(org, issued: datetime.date, **fields) -> Certificate:
    number = f"GR{issued.year}45{org.pk:06d}"
    return Certificate.objects.create(
        organisation=org, kind="hte", number=number, year=issued.year, issue_date=issued, **fields
    )


def tab(html: str, pane: str) -> str:
    """The HTML of one tab of the organisation page (基本信息, 年度数据 …, 修改记录)."""
    start = html.index(f'id="{pane}" role="tabpanel"')
    end = html.find('class="tab-pane', start)
    return html[start : end if end != -1 else len(html)]


def field_errors(html: str, field: str) -> str:
    match = re.search(rf'<ul class="errorlist" data-field="{field}">(.*?)</ul>', html, re.S)
    return match.group(1) if match else ""


def listed(client, query: str) -> set[int]:
    response = client.get(f"/orgs/?{query}")
    assert response.status_code == 200, describe(response)
    form = response.context["form"]
    assert form is None or form.is_valid(), form.errors
    return {org.pk for org in response.context["page"].object_list}


# --- a small register for the search and filter tests ------------------------------------------------------


@pytest.fixture
def register(make_org, industries, pool):
    """Four organisations that differ in every filtered attribute."""
    hengda = make_org(
        name="鹿寨县恒达汽车配件有限公司",
        region="450223100",
        industry=industries["39"],
        hitech_domain=8,
        above_scale=True,
        former_names=["鹿寨恒达汽配厂"],
    )
    hongtu = make_org(name="鹿寨县宏图电子有限公司", region="450223101", industry=industries["65"])
    college = make_org(name="鹿寨职业技术学院", region="450223", kind="university")
    oldmill = make_org(name="柳城县老厂机械有限公司", region="450222")
    hte(hengda, months_before(TODAY, 12))
    hte(hongtu, months_before(TODAY, 30))  # 2 years 6 months ago: valid today, expired within 12 months
    hte(oldmill, months_before(TODAY, 48))  # expired a year ago
    PoolMembership.objects.create(organisation=hengda, pool=pool, entry_year=LAST_YEAR)
    PoolMembership.objects.create(
        organisation=oldmill, pool=pool, entry_year=LAST_YEAR - 3, exit_year=LAST_YEAR - 1, exit_reason="已认定"
    )
    return {"hengda": hengda, "hongtu": hongtu, "college": college, "oldmill": oldmill}


@pytest.fixture
def city_client(make_user, login):
    """A bureau user of 柳州市, who sees both 鹿寨县 and 柳城县."""
    return login(make_user(Role.BUREAU_ADMIN, region="450200"))


def ids(register, *names) -> set[int]:
    return {register[name].pk for name in names}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("q=lzxhd", ("hengda",)),
        ("q=LZXHD", ("hengda",)),
        ("q=恒达", ("hengda",)),
        ("q=lzxht", ("hongtu",)),
    ],
)
def test_search_by_name_and_pinyin_initials(register, city_client, query, expected):
    assert listed(city_client, query) == ids(register, *expected)


def test_search_by_credit_code_prefix(register, city_client):
    code = register["hengda"].uscc
    for prefix in (code, code[:14], code[:14].lower()):
        expected = {org.pk for org in register.values() if org.uscc.startswith(prefix.upper())}
        assert register["hengda"].pk in expected
        assert listed(city_client, f"q={prefix}") == expected, prefix


def test_search_by_former_name(register, city_client):
    assert listed(city_client, "q=汽配厂") == ids(register, "hengda")


def test_filter_by_region_subtree(register, city_client, regions):
    assert listed(city_client, f"region={regions['450223'].pk}") == ids(register, "hengda", "hongtu", "college")
    assert listed(city_client, f"region={regions['450223100'].pk}") == ids(register, "hengda")
    assert listed(city_client, f"region={regions['450222'].pk}") == ids(register, "oldmill")


def test_filter_by_kind(register, city_client):
    assert listed(city_client, "kind=university") == ids(register, "college")
    assert listed(city_client, "kind=enterprise") == ids(register, "hengda", "hongtu", "oldmill")


def test_filter_by_industry_section_and_division(register, city_client, industries):
    assert listed(city_client, f"industry={industries['C'].pk}") == ids(register, "hengda")
    assert listed(city_client, f"industry={industries['39'].pk}") == ids(register, "hengda")
    assert listed(city_client, f"industry={industries['I'].pk}") == ids(register, "hongtu")
    assert listed(city_client, f"industry={industries['65'].pk}") == ids(register, "hongtu")


def test_filter_by_hitech_domain(register, city_client):
    assert listed(city_client, "hitech_domain=8") == ids(register, "hengda")
    assert listed(city_client, "hitech_domain=1") == set()


def test_filter_by_current_pool_membership(register, city_client, pool):
    assert listed(city_client, f"pool={pool.pk}") == ids(register, "hengda")


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        ("hte_valid", ("hengda", "hongtu")),
        ("hte_expiring", ("hongtu",)),
        ("hte_none", ("college", "oldmill")),
    ],
)
def test_filter_by_certificate_status(register, city_client, status, expected):
    assert listed(city_client, f"certificate={status}") == ids(register, *expected)


def test_revoked_certificate_is_not_valid(register, city_client):
    Certificate.objects.filter(organisation=register["hengda"]).update(revoked_date=TODAY)
    assert listed(city_client, "certificate=hte_valid") == ids(register, "hongtu")


def test_filter_by_above_scale(register, city_client):
    assert listed(city_client, "above_scale=1") == ids(register, "hengda")
    assert listed(city_client, "above_scale=0") == ids(register, "hongtu", "college", "oldmill")


def test_filters_combine(register, city_client, regions):
    query = f"region={regions['450223'].pk}&certificate=hte_valid&above_scale=0"
    assert listed(city_client, query) == ids(register, "hongtu")


# --- export ------------------------------------------------------------------------------------------------


def test_organisation_export_has_chinese_headers_and_the_filtered_rows(register, city_client):
    rows = xlsx_rows(city_client.get("/orgs/?export=xlsx&kind=enterprise&above_scale=1"))
    header = rows[0]
    assert header[:4] == ("单位名称", "统一社会信用代码", "单位类型", "所在区划")
    assert {"所属行业", "高新技术领域", "规模以上", "状态"} <= set(header)
    assert len(rows) == 2
    row = dict(zip(header, rows[1], strict=True))
    assert row["单位名称"] == "鹿寨县恒达汽车配件有限公司"
    assert row["统一社会信用代码"] == register["hengda"].uscc
    assert row["单位类型"] == "企业"
    assert row["所在区划"] == "鹿寨镇"
    assert row["高新技术领域"] == "先进制造与自动化"
    assert row["规模以上"] == "是"


def test_figures_export_shows_money_in_wan_yuan(make_org, bureau, login):
    org = make_org(name="鹿寨县恒达汽车配件有限公司", region="450223100")
    AnnualFigures.objects.create(
        organisation=org, year=LAST_YEAR, staff_total=120, sales_revenue=Decimal("12345678.00"), tax_paid=Decimal("5")
    )
    rows = xlsx_rows(login(bureau).get("/orgs/figures/?export=xlsx"))
    header = rows[0]
    assert "销售收入（万元）" in header and "纳税总额（万元）" in header
    assert not any("（元）" in str(text) for text in header)
    row = dict(zip(header, rows[1], strict=True))
    assert row["单位名称"] == org.name and row["年度"] == LAST_YEAR and row["职工总数"] == 120
    assert Decimal(str(row["销售收入（万元）"])) == Decimal("1234.57")
    assert Decimal(str(row["纳税总额（万元）"])) == Decimal("0.00")
    page = login(bureau).get("/orgs/figures/").content.decode()  # on the page: 万元 with thousands separators
    assert '<td class="num">1,234.57</td>' in page and '<td class="num">0.00</td>' in page
    assert row["研究开发费用（万元）"] is None


@pytest.mark.parametrize("name", ["=1+1", "+86 电话", "-2 科技", "@SUM(A1)"])
def test_formula_looking_names_are_exported_as_text(make_org, bureau, login, name):
    make_org(name=name, region="450223100")
    rows = xlsx_rows(login(bureau).get("/orgs/?export=xlsx"))
    assert rows[1][0] == "'" + name


# --- yearly figures form -----------------------------------------------------------------------------------


@pytest.fixture
def hengda(make_org):
    return make_org(name="鹿寨县恒达汽车配件有限公司", region="450223100", contact="张三")


def test_invalid_figures_rerender_with_chinese_errors_and_write_nothing(hengda, bureau, login):
    audit_rows = AuditLog.objects.count()
    data = {"year": LAST_YEAR, "staff_total": 10, "st_staff": 20, "sales_revenue": "-5", "source": "entry"}
    response = login(bureau).post(f"/orgs/{hengda.pk}/figures/new/", data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "科技人员数不能大于职工总数" in field_errors(html, "st_staff")
    assert "不能为负数" in field_errors(html, "sales_revenue")
    assert not AnnualFigures.objects.exists()
    assert AuditLog.objects.count() == audit_rows


def test_future_year_is_refused(hengda, bureau, login):
    response = login(bureau).post(f"/orgs/{hengda.pk}/figures/new/", {"year": TODAY.year + 1, "source": "entry"})
    assert response.status_code == 200
    assert "还没有到" in field_errors(response.content.decode(), "year")
    assert not AnnualFigures.objects.exists()


def test_second_figures_for_the_same_year_is_refused_on_the_year_field(hengda, bureau, login):
    AnnualFigures.objects.create(organisation=hengda, year=LAST_YEAR, staff_total=5)
    response = login(bureau).post(f"/orgs/{hengda.pk}/figures/new/", {"year": LAST_YEAR, "source": "entry"})
    assert response.status_code == 200
    assert "已存在" in field_errors(response.content.decode(), "year")
    assert AnnualFigures.objects.get().staff_total == 5


def test_valid_figures_show_in_wan_yuan_and_in_the_history(hengda, bureau, login):
    client = login(bureau)
    data = {
        "year": LAST_YEAR,
        "staff_total": 120,
        "st_staff": 30,
        "sales_revenue": "1234.5678",
        "total_income": "1500",
        "source": "report",
    }
    response = client.post(f"/orgs/{hengda.pk}/figures/new/", data)
    assert response.status_code == 302, describe(response)
    assert response["Location"] == f"/orgs/{hengda.pk}/#figures"
    figures = AnnualFigures.objects.get(organisation=hengda)
    assert figures.sales_revenue == Decimal("12345678.00") and figures.total_income == Decimal("15000000.00")

    html = client.get(f"/orgs/{hengda.pk}/").content.decode()
    figures_tab = tab(html, "figures")
    assert "1,234.57" in figures_tab and "1,500.00" in figures_tab
    history = tab(html, "history")
    assert f"{hengda.name} {LAST_YEAR}年度数据" in history
    assert bureau.username in history


def test_edited_figures_keep_the_old_value_in_the_history(hengda, bureau, login):
    client = login(bureau)
    client.post(f"/orgs/{hengda.pk}/figures/new/", {"year": LAST_YEAR, "staff_total": 120, "source": "report"})
    figures = AnnualFigures.objects.get(organisation=hengda)
    response = client.post(f"/orgs/figures/{figures.pk}/edit/", {"staff_total": 135, "source": "report"})
    assert response.status_code == 302, describe(response)
    update = AuditLog.objects.filter(object_id=str(figures.pk), action="update").get()
    assert ("staff_total", 120, 135) in update.changes


def test_edited_certificate_keeps_the_old_value_in_the_history(hengda, bureau, login):
    certificate = Certificate.objects.create(organisation=hengda, kind="other", name="专精特新", year=LAST_YEAR)
    data = {"kind": "other", "name": "瞪羚企业", "level": "national", "year": LAST_YEAR}
    response = login(bureau).post(f"/orgs/certificates/{certificate.pk}/edit/", data)
    assert response.status_code == 302, describe(response)
    update = AuditLog.objects.filter(object_id=str(certificate.pk), action="update").get()
    assert ("name", "专精特新", "瞪羚企业") in update.changes


# --- organisation form and history -------------------------------------------------------------------------


def org_form(org: Organisation, **changes) -> dict:
    data = {
        "kind": org.kind,
        "uscc": org.uscc,
        "name": org.name,
        "region": org.region_id,
        "status": org.status,
        "contact": org.contact,
        "phone": org.phone,
        "former_names_text": "\n".join(org.former_names),
    }
    return {**data, **changes}


def test_renaming_records_the_old_name_as_a_former_name(hengda, bureau, login):
    client = login(bureau)
    response = client.post(f"/orgs/{hengda.pk}/edit/", org_form(hengda, name="鹿寨县恒达汽车零部件有限公司"))
    assert response.status_code == 302, describe(response)
    org = Organisation.objects.get(pk=hengda.pk)
    assert org.name == "鹿寨县恒达汽车零部件有限公司"
    assert org.former_names == ["鹿寨县恒达汽车配件有限公司"]
    assert org.name_initials == "lzxhdqclbjyxgs"
    assert "鹿寨县恒达汽车配件有限公司" in tab(client.get(f"/orgs/{hengda.pk}/").content.decode(), "basic")


def test_editing_an_organisation_shows_old_and_new_values_in_the_history(hengda, bureau, login):
    client = login(bureau)
    response = client.post(f"/orgs/{hengda.pk}/edit/", org_form(hengda, contact="王经理"))
    assert response.status_code == 302, describe(response)
    update = AuditLog.objects.filter(object_id=str(hengda.pk), action="update").get()
    assert ("contact", "张三", "王经理") in update.changes
    history = tab(client.get(f"/orgs/{hengda.pk}/").content.decode(), "history")
    assert "张三" in history and "王经理" in history


def test_new_organisation_gets_its_pinyin_initials_and_is_found_by_them(bureau, login, regions):
    client = login(bureau)
    data = {
        "kind": "enterprise",
        "uscc": make_uscc("450223"),
        "name": " 鹿寨县恒达汽车配件有限公司 ",
        "region": regions["450223100"].pk,
        "status": "active",
    }
    response = client.post("/orgs/new/", data)
    assert response.status_code == 302, describe(response)
    org = Organisation.objects.get(uscc=data["uscc"])
    assert org.name == "鹿寨县恒达汽车配件有限公司" and org.name_initials == "lzxhdqcpjyxgs"
    assert listed(client, "q=lzxhd") == {org.pk}


def test_invalid_credit_code_is_refused_on_its_field(bureau, login, regions):
    data = {"kind": "enterprise", "uscc": "91450223MA5XXXXXX0", "name": "鹿寨测试", "region": regions["450223"].pk}
    response = login(bureau).post("/orgs/new/", {**data, "status": "active"})
    assert response.status_code == 200
    assert field_errors(response.content.decode(), "uscc")
    assert not Organisation.objects.filter(name="鹿寨测试").exists()


# --- certificates ------------------------------------------------------------------------------------------


def test_high_tech_certificate_shows_its_computed_valid_until(hengda, bureau, login):
    client = login(bureau)
    data = {"kind": "hte", "level": "national", "number": "gr202045001224", "year": 2020, "issue_date": "2020-12-01"}
    response = client.post(f"/orgs/{hengda.pk}/certificates/new/", data)
    assert response.status_code == 302, describe(response)
    certificate = Certificate.objects.get(organisation=hengda)
    assert certificate.number == "GR202045001224"
    assert certificate.valid_until == datetime.date(2023, 11, 30)
    assert "2023-11-30" in tab(client.get(f"/orgs/{hengda.pk}/").content.decode(), "certificates")
    rows = xlsx_rows(client.get("/orgs/certificates/?export=xlsx"))
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["有效期至"].date() == datetime.date(2023, 11, 30)


def test_high_tech_certificate_number_must_match_its_year(hengda, bureau, login):
    data = {"kind": "hte", "level": "national", "number": "GR202145001224", "year": 2020, "issue_date": "2020-12-01"}
    response = login(bureau).post(f"/orgs/{hengda.pk}/certificates/new/", data)
    assert response.status_code == 200
    assert "不一致" in field_errors(response.content.decode(), "number")
    assert not Certificate.objects.exists()


# --- attachments -------------------------------------------------------------------------------------------

PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def upload(client, org, name: str, content: bytes):
    content_type = ContentType.objects.get_for_model(Organisation).pk
    file = SimpleUploadedFile(name, content, content_type="application/octet-stream")
    return client.post(f"/attachments/{content_type}/{org.pk}/upload/", {"kind": "licence", "file": file})


def test_attachment_accepts_a_real_pdf_and_its_owner_downloads_it(hengda, media, make_user, login):
    owner = login(make_user(Role.ENTERPRISE, organisation=hengda))
    response = upload(owner, hengda, "营业执照.pdf", PDF)
    assert response.status_code == 302, describe(response)
    attachment = Attachment.objects.get()
    assert (attachment.organisation, attachment.original_name, attachment.size) == (hengda, "营业执照.pdf", len(PDF))
    assert "营业执照.pdf" in tab(owner.get(f"/orgs/{hengda.pk}/").content.decode(), "attachments")
    download = owner.get(f"/attachments/{attachment.pk}/download/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF
    download.close()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("setup.exe", b"MZ\x90\x00" + b"\x00" * 60, "不支持“.exe”类型的文件"),
        ("licence.pdf", PNG, "文件内容与扩展名“.pdf”不符"),
        ("licence.pdf", b"", ""),
    ],
)
def test_attachment_refuses_wrong_types(hengda, media, make_user, login, name, content, message):
    client = login(make_user(Role.ENTERPRISE, organisation=hengda))
    response = upload(client, hengda, name, content)
    assert response.status_code == 200
    assert message in field_errors(response.content.decode(), "file")
    assert field_errors(response.content.decode(), "file")
    assert not Attachment.objects.exists()
    assert not any(media.rglob("*.*"))


def test_attachment_of_another_organisation_is_not_found(hengda, media, make_org, make_user, login):
    upload(login(make_user(Role.ENTERPRISE, organisation=hengda)), hengda, "营业执照.pdf", PDF)
    attachment = Attachment.objects.get()
    neighbour = make_org(name="鹿寨县宏图电子有限公司", region="450223101")
    stranger = login(make_user(Role.ENTERPRISE, organisation=neighbour))
    assert stranger.get(f"/attachments/{attachment.pk}/download/").status_code == 404
    other_county = login(make_user(Role.BUREAU_ADMIN, region="450222"))
    assert other_county.get(f"/attachments/{attachment.pk}/download/").status_code == 404
    county = login(make_user(Role.BUREAU_STAFF))
    response = county.get(f"/attachments/{attachment.pk}/download/")
    assert response.status_code == 200
    response.close()


def test_attachment_upload_to_another_organisation_is_not_found(hengda, media, make_org, make_user, login):
    neighbour = make_org(name="鹿寨县宏图电子有限公司", region="450223101")
    stranger = login(make_user(Role.ENTERPRISE, organisation=neighbour))
    assert upload(stranger, hengda, "营业执照.pdf", PDF).status_code == 404
    assert not Attachment.objects.exists()


def test_export_file_name_carries_the_filters(regions, login, make_user):
    from urllib.parse import unquote

    client = login(make_user("bureau_admin"))
    response = client.get("/orgs/", {"export": "xlsx", "above_scale": "1", "q": "鹿寨"})
    name = unquote(response["Content-Disposition"].split("''")[1])
    assert name.startswith("单位档案-") and "规模以上是" in name and "鹿寨" in name and name.endswith(".xlsx")
