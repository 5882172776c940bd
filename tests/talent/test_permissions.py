"""Who may open which page of the talent registry, written by hand from the role semantics (not from MATRIX).

Bureau roles belong to 鹿寨县 (450223); side A's records lie inside it, side B's in 柳城县 (450222). Enterprise
and provider users belong to organisation A, where person A works: they read and export their organisation's
people (numbers masked) and see no commissioner records. Titles are part of the person: whoever may change the
person may add, change and delete them (so bureau staff may delete a title, though not a person). The three
administrators and experts see nothing.

The cells (Y . 4) mean what ``tests/permission_table.py`` says.
"""

import datetime
from dataclasses import dataclass

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from kechuang.accounts.choices import Role
from kechuang.core.models import Attachment
from kechuang.talent.choices import ServiceKind, TitleLevel
from kechuang.talent.models import Commissioner, Person, ServiceLog, Title
from tests.permission_table import (
    ROLE_VALUES,
    Endpoint,
    check_anonymous,
    check_cell,
    parse,
    row_names,
    sides,
    signed_in,
    snapshot,
    user_for,
)
from tests.web.conftest import xlsx_rows

from .conftest import make_id

EXPECTED = """
                              sys sec aud adm stf ldr ent exp prv
person.list                    .   .   .   Y   Y   Y   Y   .   Y
person.export                  .   .   .   Y   Y   Y   Y   .   Y
person.detail                  .   .   .   Y   Y   Y   Y   .   Y
person.create.get              .   .   .   Y   Y   .   .   .   .
person.create.post             .   .   .   Y   Y   .   .   .   .
person.edit.get                .   .   .   Y   Y   .   .   .   .
person.edit.post               .   .   .   Y   Y   .   .   .   .
person.delete.get              .   .   .   Y   .   .   .   .   .
person.delete.post             .   .   .   Y   .   .   .   .   .
personB.detail                 .   .   .   4   4   4   4   .   4
personB.edit.get               .   .   .   4   4   4   4   .   4
personB.edit.post              .   .   .   4   4   4   4   .   4
personB.delete.post            .   .   .   4   4   4   4   .   4
title.create.get               .   .   .   Y   Y   .   .   .   .
title.create.post              .   .   .   Y   Y   .   .   .   .
title.edit.get                 .   .   .   Y   Y   .   .   .   .
title.edit.post                .   .   .   Y   Y   .   .   .   .
title.delete.get               .   .   .   Y   Y   .   .   .   .
title.delete.post              .   .   .   Y   Y   .   .   .   .
titleB.edit.post               .   .   .   4   4   4   4   .   4
titleB.delete.post             .   .   .   4   4   4   4   .   4
commissioner.list              .   .   .   Y   Y   Y   .   .   .
commissioner.export            .   .   .   Y   Y   Y   .   .   .
commissioner.detail            .   .   .   Y   Y   Y   .   .   .
commissioner.create.get        .   .   .   Y   Y   .   .   .   .
commissioner.create.post       .   .   .   Y   Y   .   .   .   .
commissioner.edit.get          .   .   .   Y   Y   .   .   .   .
commissioner.edit.post         .   .   .   Y   Y   .   .   .   .
commissioner.delete.get        .   .   .   Y   .   .   .   .   .
commissioner.delete.post       .   .   .   Y   .   .   .   .   .
commissionerB.detail           .   .   .   4   4   4   .   .   .
commissionerB.edit.post        .   .   .   4   4   4   .   .   .
summary                        .   .   .   Y   Y   Y   .   .   .
summary.export                 .   .   .   Y   Y   Y   .   .   .
log.list                       .   .   .   Y   Y   Y   .   .   .
log.export                     .   .   .   Y   Y   Y   .   .   .
log.detail                     .   .   .   Y   Y   Y   .   .   .
log.create.get                 .   .   .   Y   Y   .   .   .   .
log.create.post                .   .   .   Y   Y   .   .   .   .
log.edit.get                   .   .   .   Y   Y   .   .   .   .
log.edit.post                  .   .   .   Y   Y   .   .   .   .
log.delete.get                 .   .   .   Y   .   .   .   .   .
log.delete.post                .   .   .   Y   .   .   .   .   .
logB.detail                    .   .   .   4   4   4   .   .   .
logB.delete.post               .   .   .   4   4   4   .   .   .
photo.upload.get               .   .   .   Y   Y   .   .   .   .
photo.upload.post              .   .   .   Y   Y   .   .   .   .
photo.view                     .   .   .   Y   Y   Y   .   .   .
photo.delete.post              .   .   .   Y   Y   .   .   .   .
photoB.view                    .   .   .   4   4   4   .   .   .
import.talents                 .   .   .   Y   Y   .   .   .   .
import.commissioners           .   .   .   Y   Y   .   .   .   .
import.service-logs            .   .   .   Y   Y   .   .   .   .
template.talents               .   .   .   Y   Y   .   .   .   .
"""


EXPECT = parse(EXPECTED)
ENDPOINT_NAMES = row_names(EXPECT)
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 32
NEW_NUMBER = make_id(birth="19910203", serial=301)


@dataclass
class World:
    records: dict

    def __getitem__(self, key):
        return self.records[key]


@pytest.fixture
def world(make_org, make_person, make_commissioner, make_log, far_township, regions, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    a, b = make_org("鹿寨甲科技有限公司", region="450223100"), make_org("柳城丙机械有限公司", region="450222")
    person_a = make_person(
        "韦甲", organisation=a, titles=[(TitleLevel.INTERMEDIATE, "工程师", datetime.date(2012, 12, 1))]
    )
    person_b = make_person(
        "李丙", organisation=b, titles=[(TitleLevel.INTERMEDIATE, "工程师", datetime.date(2012, 12, 1))]
    )
    technician = make_person("覃技", region="450223101")
    roster_a = make_commissioner(technician, year=2020)
    spare = make_commissioner(technician, year=2019, village="长盛村")  # no logs: may be deleted
    roster_b = make_commissioner(person_b, year=2020, township=far_township, village="某村")
    log_a, log_b = make_log(roster_a), make_log(roster_b)
    return World(
        {
            "org_a": a, "person_a": person_a, "person_b": person_b, "technician": technician,
            "title_a": person_a.titles.get(), "title_b": person_b.titles.get(),
            "roster_a": roster_a, "spare": spare, "roster_b": roster_b, "log_a": log_a, "log_b": log_b,
            "photo_a": _photo(log_a), "photo_b": _photo(log_b), "regions": regions,
        }
    )  # fmt: skip


def _photo(log):
    """A stored photo on a log, written as the system would (the service checks a user's rights)."""
    from django.contrib.contenttypes.models import ContentType

    photo = Attachment(
        content_type=ContentType.objects.get_for_model(ServiceLog),
        object_id=str(log.pk),
        original_name="现场.png",
        extension=".png",
        size=len(PNG),
        sha256="0" * 64,
    )
    photo.file.save(f"p{log.pk}.png", SimpleUploadedFile("p.png", PNG), save=False)
    photo.save()
    return photo


def db_state() -> dict:
    state = snapshot(Person, Title, Commissioner, ServiceLog)
    state["photos"] = list(Attachment.objects.order_by("pk").values("pk"))
    return state


def _pk(key):
    return lambda w: w[key].pk


def person_form(w, person, **changes):
    data = {
        "name": person.name,
        "id_number": person.id_number,
        "organisation": person.organisation_id or "",
        "region": person.region_id or "",
        "field": person.field,
        "education": person.education,
        "phone": person.phone,
        "programmes_text": "",
    }
    return {**data, **changes}


def roster_form(w, roster, **changes):
    data = {
        "year": roster.year,
        "level": roster.level,
        "township": roster.township_id,
        "village": roster.village,
        "sending_unit": "",
        "sending_unit_name": roster.sending_unit_name,
        "field": roster.field,
    }
    return {**data, **changes}


def log_form(log, **changes):
    data = {
        "date": log.date,
        "village": log.village,
        "kind": log.kind,
        "days": log.days,
        "trainees": "",
        "content": log.content,
    }
    return {**data, **changes}


ENDPOINTS = {
    "person.list": Endpoint(lambda w: "/talent/", shows="people"),
    "person.export": Endpoint(lambda w: "/talent/?export=xlsx", shows="people"),
    "person.detail": Endpoint(lambda w: f"/talent/{w['person_a'].pk}/"),
    "person.create.get": Endpoint(lambda w: "/talent/new/"),
    "person.create.post": Endpoint(
        lambda w: "/talent/new/",
        data=lambda w: {"name": "新人才", "id_number": NEW_NUMBER, "region": w["regions"]["450223102"].pk},
        done=lambda w: Person.objects.filter(name="新人才").exists(),
    ),
    "person.edit.get": Endpoint(lambda w: f"/talent/{w['person_a'].pk}/edit/"),
    "person.edit.post": Endpoint(
        lambda w: f"/talent/{w['person_a'].pk}/edit/",
        data=lambda w: person_form(w, w["person_a"], phone="13900000001"),
        done=lambda w: Person.objects.get(pk=w["person_a"].pk).phone == "13900000001",
    ),
    "person.delete.get": Endpoint(lambda w: f"/talent/{w['person_a'].pk}/delete/"),
    "person.delete.post": Endpoint(
        lambda w: f"/talent/{w['person_a'].pk}/delete/",
        data=lambda w: {},
        done=lambda w: not Person.objects.filter(pk=w["person_a"].pk).exists(),
    ),
    "personB.detail": Endpoint(lambda w: f"/talent/{w['person_b'].pk}/"),
    "personB.edit.get": Endpoint(lambda w: f"/talent/{w['person_b'].pk}/edit/"),
    "personB.edit.post": Endpoint(
        lambda w: f"/talent/{w['person_b'].pk}/edit/", data=lambda w: person_form(w, w["person_b"], phone="1")
    ),
    "personB.delete.post": Endpoint(lambda w: f"/talent/{w['person_b'].pk}/delete/", data=lambda w: {}),
    "title.create.get": Endpoint(lambda w: f"/talent/{w['person_a'].pk}/titles/new/"),
    "title.create.post": Endpoint(
        lambda w: f"/talent/{w['person_a'].pk}/titles/new/",
        data=lambda w: {"level": "senior", "name": "高级工程师", "obtained": "2021-12-20"},
        done=lambda w: Title.objects.filter(person=w["person_a"], level="senior").exists(),
    ),
    "title.edit.get": Endpoint(lambda w: f"/talent/titles/{w['title_a'].pk}/edit/"),
    "title.edit.post": Endpoint(
        lambda w: f"/talent/titles/{w['title_a'].pk}/edit/",
        data=lambda w: {"level": "intermediate", "name": "工程师（机械）", "obtained": "2012-12-01"},
        done=lambda w: Title.objects.get(pk=w["title_a"].pk).name == "工程师（机械）",
    ),
    "title.delete.get": Endpoint(lambda w: f"/talent/titles/{w['title_a'].pk}/delete/"),
    "title.delete.post": Endpoint(
        lambda w: f"/talent/titles/{w['title_a'].pk}/delete/",
        data=lambda w: {},
        done=lambda w: not Title.objects.filter(pk=w["title_a"].pk).exists(),
    ),
    "titleB.edit.post": Endpoint(
        lambda w: f"/talent/titles/{w['title_b'].pk}/edit/",
        data=lambda w: {"level": "intermediate", "name": "x", "obtained": "2012-12-01"},
    ),
    "titleB.delete.post": Endpoint(lambda w: f"/talent/titles/{w['title_b'].pk}/delete/", data=lambda w: {}),
    "commissioner.list": Endpoint(lambda w: "/talent/commissioners/", shows="roster"),
    "commissioner.export": Endpoint(lambda w: "/talent/commissioners/?export=xlsx", shows="roster"),
    "commissioner.detail": Endpoint(lambda w: f"/talent/commissioners/{w['roster_a'].pk}/"),
    "commissioner.create.get": Endpoint(lambda w: "/talent/commissioners/new/"),
    "commissioner.create.post": Endpoint(
        lambda w: "/talent/commissioners/new/",
        data=lambda w: roster_form(w, w["roster_a"], year=2021, id_number=w["technician"].id_number),
        done=lambda w: Commissioner.objects.filter(person=w["technician"], year=2021).exists(),
    ),
    "commissioner.edit.get": Endpoint(lambda w: f"/talent/commissioners/{w['roster_a'].pk}/edit/"),
    "commissioner.edit.post": Endpoint(
        lambda w: f"/talent/commissioners/{w['roster_a'].pk}/edit/",
        data=lambda w: roster_form(w, w["roster_a"], field="桑蚕养殖"),
        done=lambda w: Commissioner.objects.get(pk=w["roster_a"].pk).field == "桑蚕养殖",
    ),
    "commissioner.delete.get": Endpoint(lambda w: f"/talent/commissioners/{w['spare'].pk}/delete/"),
    "commissioner.delete.post": Endpoint(
        lambda w: f"/talent/commissioners/{w['spare'].pk}/delete/",
        data=lambda w: {},
        done=lambda w: not Commissioner.objects.filter(pk=w["spare"].pk).exists(),
    ),
    "commissionerB.detail": Endpoint(lambda w: f"/talent/commissioners/{w['roster_b'].pk}/"),
    "commissionerB.edit.post": Endpoint(
        lambda w: f"/talent/commissioners/{w['roster_b'].pk}/edit/",
        data=lambda w: roster_form(w, w["roster_b"], field="x"),
    ),
    "summary": Endpoint(lambda w: "/talent/commissioners/summary/?year=2020", shows="roster"),
    "summary.export": Endpoint(lambda w: "/talent/commissioners/summary/?year=2020&export=xlsx", shows="roster"),
    "log.list": Endpoint(lambda w: "/talent/service-logs/", shows="logs"),
    "log.export": Endpoint(lambda w: "/talent/service-logs/?export=xlsx", shows="logs"),
    "log.detail": Endpoint(lambda w: f"/talent/service-logs/{w['log_a'].pk}/"),
    "log.create.get": Endpoint(lambda w: f"/talent/commissioners/{w['roster_a'].pk}/service-logs/new/"),
    "log.create.post": Endpoint(
        lambda w: f"/talent/commissioners/{w['roster_a'].pk}/service-logs/new/",
        data=lambda w: log_form(w["log_a"], date="2020-07-01", kind="training", trainees=25, content="培训"),
        done=lambda w: ServiceLog.objects.filter(kind="training", trainees=25).exists(),
    ),
    "log.edit.get": Endpoint(lambda w: f"/talent/service-logs/{w['log_a'].pk}/edit/"),
    "log.edit.post": Endpoint(
        lambda w: f"/talent/service-logs/{w['log_a'].pk}/edit/",
        data=lambda w: log_form(w["log_a"], days=3),
        done=lambda w: ServiceLog.objects.get(pk=w["log_a"].pk).days == 3,
    ),
    "log.delete.get": Endpoint(lambda w: f"/talent/service-logs/{w['log_a'].pk}/delete/"),
    "log.delete.post": Endpoint(
        lambda w: f"/talent/service-logs/{w['log_a'].pk}/delete/",
        data=lambda w: {},
        done=lambda w: not ServiceLog.objects.filter(pk=w["log_a"].pk).exists(),
    ),
    "logB.detail": Endpoint(lambda w: f"/talent/service-logs/{w['log_b'].pk}/"),
    "logB.delete.post": Endpoint(lambda w: f"/talent/service-logs/{w['log_b'].pk}/delete/", data=lambda w: {}),
    "photo.upload.get": Endpoint(lambda w: f"/talent/service-logs/{w['log_a'].pk}/photos/new/"),
    "photo.upload.post": Endpoint(
        lambda w: f"/talent/service-logs/{w['log_a'].pk}/photos/new/",
        data=lambda w: {"file": SimpleUploadedFile("田间.png", PNG)},
        done=lambda w: Attachment.objects.filter(original_name="田间.png").exists(),
    ),
    "photo.view": Endpoint(lambda w: f"/talent/service-logs/{w['log_a'].pk}/photos/{w['photo_a'].pk}/"),
    "photo.delete.post": Endpoint(
        lambda w: f"/talent/service-logs/{w['log_a'].pk}/photos/{w['photo_a'].pk}/delete/",
        data=lambda w: {},
        done=lambda w: not Attachment.objects.filter(pk=w["photo_a"].pk).exists(),
    ),
    "photoB.view": Endpoint(lambda w: f"/talent/service-logs/{w['log_b'].pk}/photos/{w['photo_b'].pk}/"),
    "import.talents": Endpoint(lambda w: "/imports/talents/"),
    "import.commissioners": Endpoint(lambda w: "/imports/commissioners/"),
    "import.service-logs": Endpoint(lambda w: "/imports/service-logs/"),
    "template.talents": Endpoint(lambda w: "/imports/talents/template/"),
}


def test_table_and_endpoints_agree():
    assert set(ENDPOINT_NAMES) == set(ENDPOINTS)


def shown(endpoint: Endpoint, response, w: World) -> set[str]:
    """Which of side A's and side B's records a list page or an export shows ("people", "roster", "logs")."""
    if endpoint.shows == "people":
        a, b = w["person_a"].name, w["person_b"].name
    else:  # rosters and logs are told apart by the commissioner's name
        a, b = w["technician"].name, w["person_b"].name
    if response["Content-Type"].startswith("application/vnd.openxmlformats"):
        text = " ".join(str(cell) for row in xlsx_rows(response) for cell in row)
    else:
        text = " ".join(str(cells) for _, cells in response.context["table"].rows())
    return sides(text, a=a, b=b)


@pytest.mark.parametrize("role", ROLE_VALUES)
@pytest.mark.parametrize("name", ENDPOINT_NAMES)
def test_role_on_endpoint(name, role, world, make_user):
    client = signed_in(user_for(role, make_user, world["org_a"]))
    check_cell(client, ENDPOINTS[name], EXPECT[(name, role)], world, db_state=db_state, shown=shown)


@pytest.mark.parametrize("name", ENDPOINT_NAMES)
def test_anonymous_is_sent_to_sign_in(name, world):
    check_anonymous(ENDPOINTS[name], world, db_state=db_state)


# --- what each role sees of an identity number ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "full"),
    [(Role.BUREAU_ADMIN, True), (Role.BUREAU_STAFF, True), (Role.LEADER, False), (Role.ENTERPRISE, False)],
)
def test_identity_numbers_on_pages_and_exports(role, full, world, make_user, login):
    person = world["person_a"]
    number, masked = person.id_number, person.id_number_masked
    client = login(user_for(role, make_user, world["org_a"]))
    expected, hidden = (number, None) if full else (masked, number)
    for url in (f"/talent/{person.pk}/", "/talent/"):
        html = client.get(url).content.decode()
        assert expected in html
        if hidden:
            assert hidden not in html
    cells = {cell for row in xlsx_rows(client.get("/talent/?export=xlsx")) for cell in row}
    assert expected in cells and (hidden is None or hidden not in cells)


def test_the_organisation_page_lists_its_people_masked(world, bureau, login):
    html = login(bureau).get(f"/orgs/{world['org_a'].pk}/").content.decode()
    assert world["person_a"].name in html and world["person_a"].id_number_masked in html
    assert world["person_a"].id_number not in html


def test_commissioner_of_a_person_outside_the_scope_shows_without_a_link(world, bureau, login):
    """The roster row belongs to the township; the person it names may live elsewhere."""
    roster = world["spare"]
    Commissioner.objects.filter(pk=roster.pk).update(person=world["person_b"])
    html = login(bureau).get(f"/talent/commissioners/{roster.pk}/").content.decode()
    assert world["person_b"].name in html and f"/talent/{world['person_b'].pk}/" not in html


def test_service_kinds_are_listed(world, bureau, login):
    html = login(bureau).get(f"/talent/commissioners/{world['roster_a'].pk}/").content.decode()
    assert str(ServiceKind.GUIDANCE.label) in html
