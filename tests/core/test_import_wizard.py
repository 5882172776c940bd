"""The web import wizard: template download, dry-run preview with every error, confirm, permissions."""

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from kechuang.orgs.models import AnnualFigures
from tests.core.test_importkit import xlsx

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def test_template_download(bureau, login, tmp_path):
    response = login(bureau).get("/imports/figures/template/")
    assert response.status_code == 200 and response["Content-Type"] == XLSX
    path = tmp_path / "t.xlsx"
    path.write_bytes(response.content)
    assert load_workbook(path)["数据"]["A1"].value == "统一社会信用代码*"


def test_preview_then_confirm(bureau, login, make_org):
    org = make_org(region="450223100")
    client = login(bureau)
    assert "导入 Excel" in client.get("/orgs/figures/").content.decode()
    raw = xlsx([["统一社会信用代码", "年度", "职工总数"], [org.uscc, 2023, 5], [org.uscc, 2022, 6]])
    page = client.post("/imports/figures/", {"file": SimpleUploadedFile("f.xlsx", raw)}).content.decode()
    assert "检查通过：共 2 行，将新增 2 条" in page
    assert not AnnualFigures.objects.exists()
    response = client.post("/imports/figures/", {"confirm": "1"})
    assert response.status_code == 302
    assert AnnualFigures.objects.filter(organisation=org).count() == 2
    again = client.post("/imports/figures/", {"confirm": "1"})  # the pending file is gone
    assert again.status_code == 302 and AnnualFigures.objects.count() == 2


def test_errors_are_listed_and_nothing_is_pending(bureau, login, make_org):
    org = make_org(region="450223100")
    client = login(bureau)
    raw = xlsx([["统一社会信用代码", "年度", "职工总数", "科技人员数"], [org.uscc, 2023, 5, 9]])
    page = client.post("/imports/figures/", {"file": SimpleUploadedFile("f.xlsx", raw)}).content.decode()
    assert "第2行 科技人员数：科技人员数不能大于职工总数" in page
    assert "pending_import" not in client.session


def test_permissions(make_user, login, make_org):
    org = make_org(region="450223100")
    assert login(make_user("leader")).get("/imports/figures/").status_code == 403
    assert login(make_user("leader")).get("/imports/orgs/template/").status_code == 403
    assert "导入 Excel" not in login(make_user("leader")).get("/orgs/").content.decode()
    assert login(make_user("enterprise", organisation=org)).get("/imports/figures/").status_code == 200
    assert login(make_user("enterprise", organisation=org)).get("/imports/orgs/").status_code == 403
    assert login(make_user("bureau_staff")).get("/imports/nonsense/").status_code == 404
