"""Model rules and services of the talent registry: every write audited, identity numbers never in clear."""

import datetime
import json
import os

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction

from kechuang.accounts.choices import Role
from kechuang.accounts.models import OperationLog
from kechuang.core.exceptions import AccessDenied, ServiceError
from kechuang.core.models import Attachment, AuditLog
from kechuang.talent import services
from kechuang.talent.choices import ServiceKind
from kechuang.talent.models import Commissioner, Person, ServiceLog, Title

from .conftest import INTERMEDIATE, SENIOR, make_id

pytestmark = pytest.mark.django_db

NUMBER = "45022319850715059X"
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64


def audit_rows(model, pk) -> list[AuditLog]:
    return list(AuditLog.objects.filter(content_type__model=model._meta.model_name, object_id=str(pk)).order_by("id"))


def trail_text() -> str:
    """Every audit row's JSON, as the database stores it."""
    return json.dumps([[r.object_repr, r.before, r.after] for r in AuditLog.objects.all()], ensure_ascii=False)


# --- people --------------------------------------------------------------------------------------------------


def test_person_create_audits_the_masked_number_only(bureau, regions):
    person = services.person_create(
        actor=bureau, id_number=NUMBER, name="韦志强", region=regions["450223100"], programmes=[" 八桂学者 ", ""]
    )
    stored = Person.objects.get(pk=person.pk)
    assert (stored.id_number, stored.gender, stored.birth_year) == (NUMBER, "male", 1985)
    assert stored.programmes == ["八桂学者"]
    (row,) = audit_rows(Person, person.pk)
    assert row.actor == bureau and row.action == "create"
    assert row.after["id_number_masked"] == "4502**********059X"
    assert "id_number_encrypted" not in row.after and "id_number_hash" not in row.after
    text = trail_text()
    for secret in (NUMBER, stored.id_number_encrypted, stored.id_number_hash, NUMBER[4:14]):
        assert secret not in text


def test_changing_the_number_audits_masked_values_only(bureau, make_person):
    person = make_person(id_number=NUMBER)
    new_number = make_id(birth="19900101", serial=7)
    services.person_update(actor=bureau, person=person, data={"id_number": new_number, "phone": "13800001111"})
    row = audit_rows(Person, person.pk)[-1]
    assert row.action == "update"
    assert (row.before["id_number_masked"], row.after["id_number_masked"]) == (
        "4502**********059X",
        new_number[:4] + "*" * 10 + new_number[-4:],
    )
    assert row.after["birth_year"] == 1990
    assert NUMBER not in trail_text() and new_number not in trail_text()
    assert Person.objects.get(pk=person.pk).id_number == new_number


def test_the_masked_number_or_the_same_number_leaves_it_unchanged(bureau, make_person):
    person = make_person(id_number=NUMBER)
    stored = Person.objects.get(pk=person.pk)
    services.person_update(actor=bureau, person=person, data={"id_number": "4502**********059X"})
    services.person_update(actor=bureau, person=person, data={"id_number": NUMBER.lower()})
    again = Person.objects.get(pk=person.pk)
    assert again.id_number_encrypted == stored.id_number_encrypted
    assert len(audit_rows(Person, person.pk)) == 1  # the create only: nothing changed


def test_a_number_is_registered_once(bureau, make_person, regions):
    make_person(id_number=NUMBER)
    with pytest.raises(ServiceError) as error:
        services.person_create(actor=bureau, id_number=f" {NUMBER.lower()} ", name="另一人", region=regions["450223"])
    assert error.value.message_dict["id_number"] == ["该身份证号码已登记在人才库中，请勿重复登记"]
    with pytest.raises(IntegrityError), transaction.atomic():
        clone = Person(name="绕过服务", region=regions["450223"])
        clone.set_id_number(NUMBER)
        clone.save()


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"region": None}, "region", "没有所在单位的人员须填写所在区划"),
        ({"programmes": ["x" * 65]}, "programmes", "人才计划最多 20 项，每项不超过 64 字"),
    ],
)
def test_person_rules(bureau, regions, fields, field, message):
    data = {"name": "覃丽", "region": regions["450223100"], **fields}
    with pytest.raises(ValidationError) as error:
        services.person_create(actor=bureau, id_number=make_id(), **data)
    assert error.value.message_dict[field] == [message]


def test_organisation_and_own_region_do_not_go_together(bureau, regions, make_org):
    org = make_org()
    with pytest.raises(ValidationError) as error:
        services.person_create(
            actor=bureau, id_number=make_id(), name="覃丽", organisation=org, region=regions["450223100"]
        )
    assert "随单位所在区划" in error.value.message_dict["region"][0]


def test_outside_the_scope_is_refused(make_user, regions, make_org):
    staff = make_user(Role.BUREAU_STAFF)
    with pytest.raises(AccessDenied):
        services.person_create(actor=staff, id_number=make_id(), name="外县人员", region=regions["450222"])
    far = make_org("柳城企业", region="450222")
    with pytest.raises(AccessDenied):
        services.person_create(actor=staff, id_number=make_id(), name="外县人员", organisation=far)
    assert not Person.objects.exists()


def test_leader_and_enterprise_cannot_write(make_user, make_person, make_org):
    org = make_org()
    person = make_person(organisation=org)
    for user in (make_user(Role.LEADER), make_user(Role.ENTERPRISE, organisation=org)):
        with pytest.raises(AccessDenied):
            services.person_update(actor=user, person=person, data={"phone": "1"})
        with pytest.raises(AccessDenied):
            services.title_save(
                actor=user, person=person, level=SENIOR, name="高级工程师", obtained=datetime.date(2020, 1, 1)
            )


def test_person_delete_removes_titles_with_audit_rows(bureau, make_person):
    person = make_person(titles=[(INTERMEDIATE, "工程师", datetime.date(2012, 12, 1))])
    title_pk, person_pk = person.titles.get().pk, person.pk
    services.person_delete(actor=bureau, instance=person)
    assert not Person.objects.exists() and not Title.objects.exists()
    assert audit_rows(Title, title_pk)[-1].action == "delete"
    assert audit_rows(Person, person_pk)[-1].before["id_number_masked"].startswith("4502**")


def test_person_on_a_roster_cannot_be_deleted(bureau, make_person, make_commissioner):
    person = make_person()
    make_commissioner(person)
    with pytest.raises(ServiceError, match="请先删除其科技特派员记录"):
        services.person_delete(actor=bureau, instance=person)


def test_staff_cannot_delete(make_user, make_person):
    with pytest.raises(AccessDenied):
        services.person_delete(actor=make_user(Role.BUREAU_STAFF), instance=make_person())


# --- titles --------------------------------------------------------------------------------------------------


def test_titles_one_per_level_audited(bureau, make_person):
    person = make_person()
    title = services.title_create(
        actor=bureau, person=person, level=INTERMEDIATE, name="工程师", obtained=datetime.date(2012, 12, 1)
    )
    pk = title.pk
    with pytest.raises(ServiceError, match="已有中级职称"):
        services.title_create(
            actor=bureau, person=person, level=INTERMEDIATE, name="经济师", obtained=datetime.date(2013, 1, 1)
        )
    services.title_save(
        actor=bureau, person=person, level=INTERMEDIATE, name="工程师", obtained=datetime.date(2012, 6, 1)
    )
    services.title_delete(actor=bureau, instance=Title.objects.get(pk=pk))
    assert [r.action for r in audit_rows(Title, pk)] == ["create", "update", "delete"]
    assert audit_rows(Title, pk)[0].after["person"] == person.pk


@pytest.mark.parametrize(
    ("obtained", "message"),
    [
        (datetime.date(2099, 1, 1), "取得日期不能晚于今天"),
        (datetime.date(1990, 1, 1), "早于该人员16周岁"),
    ],
)
def test_title_dates(bureau, make_person, obtained, message):
    person = make_person(id_number=NUMBER)
    with pytest.raises(ValidationError) as error:
        services.title_create(actor=bureau, person=person, level=SENIOR, name="高级工程师", obtained=obtained)
    assert message in error.value.message_dict["obtained"][0]


def test_title_on_a_day_is_the_highest_held(make_person):
    person = make_person(
        titles=[
            (INTERMEDIATE, "工程师", datetime.date(2012, 12, 1)),
            (SENIOR, "高级工程师", datetime.date(2021, 1, 15)),
        ]
    )
    assert person.title_on(datetime.date(2011, 1, 1)) is None
    assert person.title_on(datetime.date(2020, 12, 31)).name == "工程师"
    assert person.title_on(datetime.date(2021, 1, 15)).name == "高级工程师"


# --- commissioners and service logs ------------------------------------------------------------------------------


def test_commissioner_rules(bureau, make_person, regions, make_org):
    person = make_person()
    base = {"person": person, "year": 2020, "township": regions["450223101"], "village": "大兆村"}
    with pytest.raises(ValidationError) as error:
        services.commissioner_create(actor=bureau, **{**base, "township": regions["450223"]})
    assert "应选择乡镇" in error.value.message_dict["township"][0]
    with pytest.raises(ValidationError) as error:
        services.commissioner_create(actor=bureau, **base)
    assert "请选择派出单位" in error.value.message_dict["sending_unit_name"][0]
    with pytest.raises(ValidationError) as error:
        services.commissioner_create(actor=bureau, **base, sending_unit=make_org(), sending_unit_name="又写了名称")
    assert "派出单位名称请留空" in error.value.message_dict["sending_unit_name"][0]
    services.commissioner_create(actor=bureau, **base, sending_unit_name="鹿寨县林业局")
    with pytest.raises(ServiceError, match="在2020年已登记为科技特派员"):
        services.commissioner_create(actor=bureau, **base, sending_unit_name="鹿寨县林业局")


def test_commissioner_in_another_county_is_refused(make_user, make_person, far_township):
    staff = make_user(Role.BUREAU_STAFF)
    with pytest.raises(AccessDenied):
        services.commissioner_create(
            actor=staff, person=make_person(), year=2020, township=far_township, village="某村", sending_unit_name="x"
        )


def test_commissioner_needs_a_person_the_actor_sees(make_user, make_person, regions):
    far_person = make_person(region="450222")
    with pytest.raises(AccessDenied):
        services.commissioner_create(
            actor=make_user(Role.BUREAU_STAFF),
            person=far_person,
            year=2020,
            township=regions["450223101"],
            village="大兆村",
            sending_unit_name="柳城县农业局",
        )


def test_service_log_rules(bureau, make_person, make_commissioner, make_log):
    commissioner = make_commissioner(make_person())
    log = make_log(commissioner)
    assert log.village == "大兆村"  # the roster's village when none is given
    cases = [
        ({"date": datetime.date(2019, 5, 1)}, "date", "服务日期应在2020年内"),
        ({"kind": ServiceKind.TRAINING, "trainees": 0}, "trainees", "技术培训须填写培训人数"),
        ({"kind": ServiceKind.GUIDANCE, "trainees": 30}, "trainees", "只有“技术培训”填写培训人数"),
        ({"days": 0}, "days", "天数应为1至31天"),
    ]
    for change, field, message in cases:
        values = {"date": datetime.date(2020, 6, 1), "kind": ServiceKind.GUIDANCE, "days": 1, "trainees": 0, **change}
        with pytest.raises(ValidationError) as error:
            services.servicelog_create(actor=bureau, commissioner=commissioner, content="x", **values)
        assert message in error.value.message_dict[field][0], change
    with pytest.raises(ServiceError, match="已有同类型的服务记录"):
        make_log(commissioner)


def test_the_database_refuses_trainees_on_a_visit(make_person, make_commissioner, make_log):
    log = make_log(make_commissioner(make_person()))
    with pytest.raises(IntegrityError), transaction.atomic():
        ServiceLog.objects.filter(pk=log.pk).update(trainees=5)


def test_roster_with_logs_keeps_its_year_and_cannot_be_deleted(bureau, make_person, make_commissioner, make_log):
    commissioner = make_commissioner(make_person())
    make_log(commissioner)
    with pytest.raises(ServiceError, match="不能修改选派年度"):
        services.commissioner_update(actor=bureau, instance=commissioner, data={"year": 2019})
    with pytest.raises(ServiceError, match="请先删除服务记录"):
        services.commissioner_delete(actor=bureau, instance=commissioner)
    assert Commissioner.objects.filter(pk=commissioner.pk, year=2020).exists()


def test_service_log_writes_are_audited(bureau, make_person, make_commissioner):
    commissioner = make_commissioner(make_person())
    log = services.servicelog_create(
        actor=bureau,
        commissioner=commissioner,
        date=datetime.date(2020, 3, 2),
        kind=ServiceKind.TRAINING,
        days=1,
        trainees=35,
        content="沃柑栽培技术培训",
    )
    services.servicelog_update(actor=bureau, instance=log, data={"trainees": 40})
    pk = log.pk
    services.servicelog_delete(actor=bureau, instance=ServiceLog.objects.get(pk=pk))
    rows = audit_rows(ServiceLog, pk)
    assert [r.action for r in rows] == ["create", "update", "delete"]
    assert ("trainees", 35, 40) in rows[1].changes


# --- photos -------------------------------------------------------------------------------------------------


@pytest.fixture
def log(make_person, make_commissioner, make_log):
    return make_log(make_commissioner(make_person()))


def test_photos_are_checked_stored_audited_and_removed(
    bureau, log, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    photo = services.photo_add(actor=bureau, log=log, upload=SimpleUploadedFile("现场.png", PNG))
    assert list(services.photos_of(log)) == [photo]
    assert photo.organisation is None and photo.sha256 and photo.original_name == "现场.png"
    path = photo.file.path
    for name, content, message in (
        ("a.pdf", b"%PDF-1.4", "JPG 或 PNG"),
        ("a.jpg", b"not an image", "不是有效的 JPG 或 PNG"),
    ):
        with pytest.raises(ServiceError, match=message):
            services.photo_add(actor=bureau, log=log, upload=SimpleUploadedFile(name, content))
    pk = photo.pk
    with django_capture_on_commit_callbacks(execute=True):
        services.photo_delete(actor=bureau, log=log, photo=photo)
    assert not Attachment.objects.exists()
    assert not os.path.exists(path)
    assert [r.action for r in audit_rows(Attachment, pk)] == ["create", "delete"]


def test_leader_cannot_add_photos(make_user, log):
    with pytest.raises(AccessDenied):
        services.photo_add(actor=make_user(Role.LEADER), log=log, upload=SimpleUploadedFile("a.png", PNG))


# --- the operation log -----------------------------------------------------------------------------------------


def test_operation_log_holds_masked_numbers_only(bureau, login, regions):
    client = login(bureau)
    form = {"name": "韦志强", "id_number": NUMBER, "region": regions["450223100"].pk, "programmes_text": ""}
    response = client.post("/talent/new/", form)
    assert response.status_code == 302
    log = OperationLog.objects.filter(path="/talent/new/").latest("id")
    assert log.params["id_number"] == "4502**********059X"
    response = client.post(
        "/api/v1/talent/people",
        {"id_number": make_id(serial=42), "name": "覃丽", "region": "450223100"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    api_log = OperationLog.objects.filter(path="/api/v1/talent/people").latest("id")
    assert "*" * 10 in api_log.params["id_number"]
    assert NUMBER not in json.dumps([o.params for o in OperationLog.objects.all()], ensure_ascii=False)
