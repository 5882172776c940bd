"""English as a second language: a complete, compiled catalogue, English pages, and Chinese stays the default.

Chinese is the source language (the msgids are the Chinese strings); kechuang/locale/en holds the English
catalogue and its compiled .mo, which is committed so that nothing here needs GNU gettext.
"""

import ast
import datetime
import gettext
import io
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import translation

from kechuang.accounts.choices import Role
from kechuang.core.models import AuditLog
from kechuang.core.validators import uscc_error
from kechuang.orgs.choices import CertificateKind, ServiceType
from kechuang.orgs.models import AnnualFigures, Certificate, Organisation, Pool, PoolMembership, ServiceRecord
from kechuang.regions.models import Region
from tests.conftest import make_uscc

PACKAGE = Path(settings.BASE_DIR) / "kechuang"
LOCALE = PACKAGE / "locale" / "en" / "LC_MESSAGES"
# CJK ideographs plus CJK and full-width punctuation (（）：、；“” …): none of it belongs in an English label.
CJK = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]")
ORG_NAME = "Acme Photonics Ltd"

pytestmark = pytest.mark.django_db


# --- the catalogue -----------------------------------------------------------------------------------------


def _unquote(lines: list[str]) -> str:
    return "".join(ast.literal_eval(line) for line in lines)


def parse_po(path: Path) -> list[dict]:
    """Entries of a .po file: flags, msgctxt, msgid, msgid_plural and msgstr (a list, one per plural form)."""
    entries, entry, key = [], None, None
    for raw in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        line = raw.strip()
        if not line:
            if entry is not None:
                entries.append(entry)
            entry, key = None, None
            continue
        if entry is None:
            entry = {"flags": set(), "msgctxt": None, "msgid": [], "msgid_plural": None, "msgstr": {}}
        if line.startswith("#,"):
            entry["flags"].update(flag.strip() for flag in line[2:].split(","))
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            target = entry["msgstr"].setdefault(key[1], []) if key[0] == "msgstr" else entry[key[0]]
            target.append(line)
        else:
            keyword, _, rest = line.partition(" ")
            match = re.fullmatch(r"msgstr\[(\d+)\]", keyword)
            if match or keyword == "msgstr":
                key = ("msgstr", int(match[1]) if match else 0)
                entry["msgstr"][key[1]] = [rest]
            else:
                key = (keyword, None)
                entry[keyword] = [rest]
    for entry in entries:
        for name in ("msgctxt", "msgid", "msgid_plural"):
            if entry[name] is not None:
                entry[name] = _unquote(entry[name])
        entry["msgstr"] = [_unquote(entry["msgstr"][i]) for i in sorted(entry["msgstr"])]
    return [e for e in entries if e["msgid"]]  # the header has an empty msgid


def catalogue_key(entry: dict) -> str:
    """How gettext keys a message: the context, EOT, the msgid."""
    return f"{entry['msgctxt']}\x04{entry['msgid']}" if entry["msgctxt"] is not None else entry["msgid"]


@pytest.fixture(scope="module")
def po_entries() -> list[dict]:
    return parse_po(LOCALE / "django.po")


@pytest.fixture(scope="module")
def mo_catalogue() -> dict:
    with (LOCALE / "django.mo").open("rb") as handle:
        return gettext.GNUTranslations(handle)._catalog


def test_every_entry_of_the_catalogue_is_translated_and_none_is_fuzzy(po_entries):
    assert len(po_entries) > 400
    fuzzy = [e["msgid"] for e in po_entries if "fuzzy" in e["flags"]]
    untranslated = [e["msgid"] for e in po_entries if not all(e["msgstr"]) or not e["msgstr"]]
    assert fuzzy == []
    assert untranslated == []


def test_plural_entries_have_both_english_forms(po_entries):
    plurals = [e for e in po_entries if e["msgid_plural"] is not None]
    assert plurals
    for entry in plurals:
        assert len(entry["msgstr"]) == 2 and all(entry["msgstr"]), entry["msgid"]


def test_the_english_catalogue_is_english(po_entries):
    """A msgstr that still carries Chinese was copied, not translated (the list separator is translated too)."""
    assert [e["msgstr"] for e in po_entries if any(CJK.search(s) for s in e["msgstr"])] == []


def test_the_compiled_catalogue_matches_the_po_file(po_entries, mo_catalogue):
    """django.mo is committed: it must be compiled from the current django.po (run compilemessages after edits)."""
    for entry in po_entries:
        key = catalogue_key(entry)
        if entry["msgid_plural"] is None:
            assert mo_catalogue.get(key) == entry["msgstr"][0], key
        else:
            assert [mo_catalogue.get((key, n)) for n in range(2)] == entry["msgstr"], key
    singular_keys = {k if isinstance(k, str) else k[0] for k in mo_catalogue}
    assert singular_keys - {""} == {catalogue_key(e) for e in po_entries}


def _template_msgids() -> set[str]:
    found = set()
    for path in PACKAGE.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        for match in re.finditer(r"""\{% translate (["'])(.*?)\1( context (["'])(.*?)\4)?""", text):
            msgid = match[2].replace("%", "%%")  # as the tag looks it up (django.template.base.Variable)
            found.add(f"{match[5]}\x04{msgid}" if match[5] else msgid)
    return found


def test_every_translate_tag_of_the_templates_is_in_the_catalogue(mo_catalogue):
    """A new {% translate %} needs makemessages (and a translation) before it shows in English."""
    missing = sorted(msgid for msgid in _template_msgids() if CJK.search(msgid) and msgid not in mo_catalogue)
    assert missing == []


def _untranslated_template_text(text: str) -> list[str]:
    text = re.sub(r"\{% blocktranslate.*?\{% endblocktranslate %\}", "", text, flags=re.S)
    text = re.sub(r"\{% translate .*?%\}", "", text)
    return [line.strip() for line in text.splitlines() if CJK.search(line)]


def test_templates_have_no_literal_chinese_outside_translate_tags():
    leftovers = {
        str(path.relative_to(PACKAGE)): _untranslated_template_text(path.read_text(encoding="utf-8"))
        for path in PACKAGE.rglob("*.html")
    }
    assert {name: lines for name, lines in leftovers.items() if lines} == {}


# --- pages in English --------------------------------------------------------------------------------------


def data_values() -> set[str]:
    """Values that are data, not labels: names of regions and industries, full names, stored audit reprs."""
    from kechuang.accounts.models import User
    from kechuang.orgs.models import Industry

    values = set(Region.objects.values_list("name", flat=True))
    values |= set(Industry.objects.values_list("name", flat=True))
    values |= set(User.objects.exclude(full_name="").values_list("full_name", flat=True))
    # The audit trail is stored in the installation's language whoever acts (kechuang.core.i18n.stored_text).
    values |= set(AuditLog.objects.values_list("object_repr", flat=True))
    return {v for v in values if v}


def untranslated(html: str) -> list[str]:
    """Chinese left in a page once data values are taken out, with a little context for the failure message."""
    for value in sorted(data_values(), key=len, reverse=True):
        html = html.replace(value, "")
    return sorted({html[max(0, m.start() - 30) : m.end() + 30] for m in CJK.finditer(html)})


@pytest.fixture
def english():
    """The browser's Accept-Language asks for English; the cookie of the language switcher does the same."""

    def use(c):
        c.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
        return c

    return use


@pytest.fixture
def org(make_org, bureau) -> Organisation:
    """An organisation with ASCII data in every tab, so that any Chinese left on its page is a label."""
    organisation = make_org(name=ORG_NAME, region="450223100", park="Graphene Park", address="1 Lakeside Road")
    year = datetime.date.today().year - 1
    AnnualFigures.objects.create(organisation=organisation, year=year, staff_total=120, sales_revenue=12_345_678)
    Certificate.objects.create(
        organisation=organisation,
        kind=CertificateKind.HTE,
        number=f"GR{year}45000001",
        year=year,
        issue_date=datetime.date(year, 11, 30),
    )
    pool = Pool.objects.create(code="reserve-hte", name="Reserve HTE pool")
    PoolMembership.objects.create(organisation=organisation, pool=pool, entry_year=year, entry_reason="Fast growth")
    ServiceRecord.objects.create(
        organisation=organisation,
        date=datetime.date(year, 6, 1),
        staff=bureau,
        service_type=ServiceType.VISIT,
        content="Site visit",
        follow_up="Send the application guide",
    )
    return organisation


def test_the_login_page_is_english(client, english):
    response = english(client).get("/accounts/login/")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="en">' in html
    for label in ("Sign in", "Username", "Password", "Enterprise registration", "Kechuang platform"):
        assert label in html
    assert untranslated(html) == []


def test_the_language_switcher_sets_english_and_back(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})
    assert response.status_code == 302
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert "Sign in" in client.get("/accounts/login/").content.decode()
    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/accounts/login/"})
    html = client.get("/accounts/login/").content.decode()
    assert "登录" in html and "Sign in" not in html


def test_a_failed_sign_in_says_why_in_english(client, english, bureau):
    response = english(client).post("/accounts/login/", {"username": bureau.username, "password": "wrong"})
    assert "Wrong username or password" in response.content.decode()
    assert untranslated(response.content.decode()) == []


def test_the_home_page_is_english(login, bureau, english, org):
    html = english(login(bureau)).get("/").content.decode()
    for label in ("Home", "Organisations", "Annual figures", "Notices", "Enterprises above designated size", "Hello,"):
        assert label in html
    assert "Enterprise" in html  # the kind of the organisation, a choice label
    assert untranslated(html) == []


def test_the_organisation_list_with_filters_and_headers_is_english(login, bureau, english, org):
    response = english(login(bureau)).get("/orgs/", {"q": "Acme", "kind": "enterprise", "above_scale": ""})
    html = response.content.decode()
    assert response.status_code == 200
    assert ORG_NAME in html
    for label in (
        "Organisations",
        "1 in total",
        "Name/credit code/pinyin initials",
        "Organisation type",
        "High-tech domain",
        "Cultivation pools",
        "Certificate status",
        "HTE certificate valid",
        "Above designated size",
        "Unified social credit code",
        "Organisation name",
        "Search",
        "Reset",
        "Export to Excel",
    ):
        assert label in html, label
    assert untranslated(html) == []


def test_the_organisation_export_has_english_headers(login, bureau, english, org):
    from openpyxl import load_workbook

    response = english(login(bureau)).get("/orgs/figures/", {"export": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content), read_only=True).worksheets[0]
    header = next(sheet.iter_rows(values_only=True))
    assert header[:3] == ("Organisation name", "Unified social credit code", "Year")
    assert "Sales revenue (10k yuan)" in header
    assert not any(CJK.search(str(cell)) for cell in header)


def test_an_organisation_page_is_english(login, bureau, english, org):
    response = english(login(bureau)).get(f"/orgs/{org.pk}/")
    html = response.content.decode()
    assert response.status_code == 200
    for label in (
        "Basic information",
        "Annual figures",
        "Certificates",
        "Cultivation pools",
        "Service records",
        "Attachments",
        "History",
        "Unified social credit code",
        "Sales revenue (10k yuan)",
        "High-tech enterprise certificate",
        "Reserve HTE pool",
        "Follow-up: Send the application guide",
        "Active",
        "No",
    ):
        assert label in html, label
    assert untranslated(html) == []


def test_a_form_with_errors_is_english(login, bureau, english):
    client = english(login(bureau))
    response = client.post("/orgs/new/", {"kind": "enterprise", "uscc": "91450223", "name": ORG_NAME})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Add organisation" in html
    assert "A unified social credit code has 18 characters; this one has 8" in html
    assert "This field is required." in html
    assert untranslated(html) == []


def test_a_business_rule_refusal_is_english(login, bureau, english, org):
    year = datetime.date.today().year - 1
    response = english(login(bureau)).post(f"/orgs/{org.pk}/figures/new/", {"year": year, "source": "entry"})
    html = response.content.decode()
    assert f"Figures for {year} already exist" in html
    assert "Sales revenue (10k yuan)" in html  # a money field's label with its unit replaced
    assert untranslated(html) == []


def test_the_api_answers_in_english(login, bureau, english):
    client = english(login(bureau))
    response = client.post("/api/v1/orgs/", {"uscc": "x"}, content_type="application/json")
    assert response.status_code == 422
    assert response.json() == {
        "detail": "The submitted data is invalid",
        "errors": {"name": ["Required"], "region": ["Required"]},
    }
    schema = client.get("/api/v1/openapi.json").json()
    assert schema["info"]["title"] == "Kechuang platform API"
    assert schema["paths"]["/api/v1/orgs/"]["get"]["summary"] == "List organisations"


def test_the_audit_trail_keeps_the_installation_language_when_the_actor_uses_english(login, bureau, english, org):
    """Stored text (object reprs, log reasons) does not depend on who acted in which language."""
    client = english(login(bureau))
    response = client.post(f"/orgs/{org.pk}/figures/new/", {"year": 2015, "source": "entry"}, follow=True)
    assert f"Saved: {ORG_NAME}: 2015 figures" in response.content.decode()
    entry = AuditLog.objects.filter(action="create").latest("time")
    assert entry.object_repr == f"{ORG_NAME} 2015年度数据"


def test_a_role_refusal_is_english(make_user, login, english, org):
    from kechuang.core.access import AccessDenied, ensure_may

    enterprise = make_user(Role.ENTERPRISE, organisation=org)
    with translation.override("en"), pytest.raises(AccessDenied, match=r"^You may not delete this organisation$"):
        ensure_may(enterprise, "delete", org)


# --- Chinese stays the default -----------------------------------------------------------------------------


def test_chinese_is_the_default_language(client, login, bureau, org):
    login_html = client.get("/accounts/login/").content.decode()
    assert '<html lang="zh-CN">' in login_html
    assert "登录" in login_html and "Sign in" not in login_html

    signed_in = login(bureau)
    home = signed_in.get("/").content.decode()
    assert "单位总数" in home and "首页" in home and "Home" not in home
    assert re.search(r"\d{4}年\d{1,2}月\d{1,2}日", home)

    listing = signed_in.get("/orgs/", {"q": "Acme"}).content.decode()
    for label in ("单位档案", "名称/信用代码/拼音首字母", "统一社会信用代码", "规模以上", "共 1 条", "查询"):
        assert label in listing, label
    assert "Organisation type" not in listing

    detail = signed_in.get(f"/orgs/{org.pk}/").content.decode()
    for label in ("基本信息", "销售收入（万元）", "高新技术企业证书", "后续跟进：Send the application guide", "存续"):
        assert label in detail, label

    form = signed_in.post("/orgs/new/", {"kind": "enterprise", "uscc": "91450223", "name": ORG_NAME})
    assert "统一社会信用代码应为18位，实际为8位" in form.content.decode()
    assert "新增单位" in form.content.decode()

    api = signed_in.post("/api/v1/orgs/", {"uscc": "x"}, content_type="application/json").json()
    assert api == {"detail": "提交的数据有误", "errors": {"name": ["必填项"], "region": ["必填项"]}}


def test_the_validate_command_keeps_its_chinese_verdicts(capsys):
    code = make_uscc()
    with pytest.raises(SystemExit) as exit_info:
        call_command("validate", "uscc", code, "91450223")
    assert exit_info.value.code == 1
    assert capsys.readouterr().out.splitlines() == [
        f"{code}\t有效",
        "91450223\t无效：统一社会信用代码应为18位，实际为8位",
    ]


def test_the_validate_command_translates_only_the_reason(capsys):
    """With English active the verdict words stay the fixed interface; only the reason is in English."""
    with translation.override("en"), pytest.raises(SystemExit):
        call_command("validate", "uscc", "91450223")
    assert capsys.readouterr().out == "91450223\t无效：A unified social credit code has 18 characters; this one has 8\n"


def test_validator_messages_follow_the_active_language():
    assert uscc_error("") == "统一社会信用代码不能为空"
    with translation.override("en"):
        assert uscc_error("") == "The unified social credit code must not be empty"
