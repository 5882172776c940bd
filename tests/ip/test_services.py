"""Writing patents, their owners and legal-status events, and other IP: the rules, the refusals, the audit rows."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError

from kechuang.accounts.choices import Role
from kechuang.core.exceptions import AccessDenied, ServiceError
from kechuang.core.models import AuditLog
from kechuang.ip import services
from kechuang.ip.models import OtherIP, Patent, PatentEvent
from kechuang.ip.services import OwnerResolver, OwnerSpec

from .conftest import make_number

pytestmark = pytest.mark.django_db
D = datetime.date


def audit(instance):
    content_type = ContentType.objects.get_for_model(type(instance))
    return AuditLog.objects.filter(content_type=content_type, object_id=str(instance.pk)).order_by("pk")


def owner(org) -> OwnerSpec:
    return OwnerSpec(name=org.name, organisation=org)


def test_create_places_the_patent_by_its_first_owner_and_records_the_filing(bureau, home, far):
    number = make_number(2019)
    patent = services.patent_create(
        actor=bureau,
        owners=[owner(home), owner(far), OwnerSpec(name="韦志强")],
        number=f"ZL{number}",
        title=" 一种汽车制动盘的铸造方法 ",
        application_date=D(2019, 3, 1),
        grant_date=D(2021, 6, 8),
        inventors=["韦志强", "覃丽萍"],
    )
    patent.refresh_from_db()
    assert patent.number == number.replace(".", "") and patent.patent_type == "invention"
    assert patent.title == "一种汽车制动盘的铸造方法"
    assert patent.region.code == "450223100"
    assert patent.owner_names == [home.name, far.name, "韦志强"]
    assert [(o.position, o.organisation_id, o.region.code if o.region else None) for o in patent.owners.all()] == [
        (1, home.pk, "450223100"),
        (2, far.pk, "450222"),
        (3, None, None),
    ]
    assert list(patent.events.values_list("status", "date")) == [("pending", D(2019, 3, 1)), ("granted", D(2021, 6, 8))]
    assert (patent.grant_date, patent.ended_on, patent.end_reason) == (D(2021, 6, 8), D(2039, 3, 1), "expired")
    row = audit(patent).get()
    assert row.action == "create" and row.actor == bureau
    assert row.after["owner_names"] == [home.name, far.name, "韦志强"] and row.after["grant_date"] == "2021-06-08"
    assert all(audit(e).filter(action="create").exists() for e in patent.events.all())


def test_a_first_owner_that_is_not_registered_needs_a_region(bureau, regions):
    with pytest.raises(ServiceError) as caught:
        services.patent_create(
            actor=bureau, owners=[OwnerSpec(name="韦志强")], number=make_number(2019), title="x",
            application_date=D(2019, 3, 1),
        )  # fmt: skip
    assert "第一专利权人所在区划" in caught.value.message_dict["owners"][0]
    patent = services.patent_create(
        actor=bureau, owners=[OwnerSpec(name="韦志强", region=regions["450223104"])], number=make_number(2019),
        title="x", application_date=D(2019, 3, 1),
    )  # fmt: skip
    assert patent.region.code == "450223104"


def test_bureau_cannot_register_a_patent_placed_in_another_county(bureau, far, home):
    with pytest.raises(AccessDenied):
        services.patent_create(
            actor=bureau, owners=[owner(far), owner(home)], number=make_number(2019), title="x",
            application_date=D(2019, 3, 1),
        )  # fmt: skip
    assert not Patent.objects.exists()


def test_a_number_is_registered_once(bureau, home, make_patent):
    existing = make_patent(home)
    with pytest.raises(ServiceError) as caught:
        services.patent_create(
            actor=bureau, owners=[owner(home)], number=existing.number_display, title="x",
            application_date=existing.application_date,
        )  # fmt: skip
    assert caught.value.message_dict["number"] == [f"申请号 {existing.number} 已经登记，请在专利列表中查找并编辑"]


def test_update_of_owners_moves_the_patent_and_is_audited(bureau, home, neighbour, make_patent):
    patent = make_patent(home)
    services.patent_update(
        actor=bureau, patent=patent, data={"title": "新名称"}, owners=[owner(neighbour), owner(home)]
    )
    patent.refresh_from_db()
    assert patent.region.code == "450223101"
    assert [o.organisation_id for o in patent.owners.all()] == [neighbour.pk, home.pk]
    change = audit(patent).filter(action="update").get()
    assert change.before["owner_names"] == [home.name] and change.after["owner_names"] == [neighbour.name, home.name]
    assert change.after["title"] == "新名称"


def test_update_cannot_move_the_patent_out_of_the_county(bureau, home, far, make_patent):
    patent = make_patent(home)
    with pytest.raises(AccessDenied):
        services.patent_update(actor=bureau, patent=patent, data={}, owners=[owner(far), owner(home)])
    patent.refresh_from_db()
    assert patent.region.code == "450223100" and patent.owners.get().organisation == home


def test_correcting_the_filing_date_moves_the_filing_event(bureau, home, make_patent):
    patent = make_patent(home, filed=D(2019, 3, 1), events=[("transferred", D(2019, 6, 1))])
    services.patent_update(actor=bureau, patent=patent, data={"application_date": D(2019, 2, 20)})
    assert patent.events.get(status="pending").date == D(2019, 2, 20)
    with pytest.raises(ServiceError) as caught:  # the transfer would come before the filing
        services.patent_update(actor=bureau, patent=patent, data={"application_date": D(2019, 7, 1)})
    assert "早于申请日" in caught.value.message_dict["application_date"][0]


def test_leader_and_enterprise_cannot_write(make_user, home, make_patent):
    patent = make_patent(home)
    for user in (make_user(Role.LEADER), make_user(Role.ENTERPRISE, organisation=home)):
        with pytest.raises(AccessDenied):
            services.patent_update(actor=user, patent=patent, data={"title": "改"})
        with pytest.raises(AccessDenied):
            services.patent_event_add(actor=user, patent=patent, status="granted", date=D(2021, 1, 1))


# --- legal status ----------------------------------------------------------------------------------------


def test_events_over_time_and_the_stored_dates(bureau, home, make_patent):
    patent = make_patent(home, filed=D(2016, 3, 1))
    services.patent_event_add(actor=bureau, patent=patent, status="granted", date=D(2018, 7, 3))
    services.patent_event_add(actor=bureau, patent=patent, status="transferred", date=D(2019, 5, 6), note="转让")
    event = services.patent_event_add(actor=bureau, patent=patent, status="lapsed", date=D(2020, 3, 1))
    patent.refresh_from_db()
    assert (patent.grant_date, patent.ended_on, patent.end_reason) == (D(2018, 7, 3), D(2020, 3, 1), "lapsed")
    assert patent.is_valid_on(D(2020, 2, 29)) and not patent.is_valid_on(D(2020, 3, 1))
    changes = [(row.before or {}).get("ended_on") for row in audit(patent).filter(action="update")]
    assert changes == [None, "2036-03-01"]  # grant (term end appears), lapse (the term end gives way)
    pk = event.pk
    services.patent_event_delete(actor=bureau, instance=event)
    patent.refresh_from_db()
    assert (patent.ended_on, patent.end_reason) == (D(2036, 3, 1), "expired")
    event.pk = pk
    assert audit(event).filter(action="delete").exists()


@pytest.mark.parametrize(
    ("history", "status", "day", "message"),
    [
        ((), "granted", datetime.date(2030, 1, 1), "晚于今天"),
        ((), "granted", datetime.date(2019, 1, 1), "早于申请日 2019-03-01"),
        ((), "lapsed", datetime.date(2020, 1, 1), "只有已授权的专利才能登记“失效”；未授权的申请请登记“驳回或撤回”"),
        ((("granted", datetime.date(2020, 5, 1)),), "granted", datetime.date(2020, 6, 1), "不能重复登记授权"),
        ((("granted", datetime.date(2020, 5, 1)),), "lapsed", datetime.date(2020, 5, 1), "应晚于授权日期 2020-05-01"),
        ((("granted", datetime.date(2020, 5, 1)),), "rejected", datetime.date(2020, 6, 1), "已授权的专利不能登记"),
        ((("rejected", datetime.date(2020, 5, 1)),), "granted", datetime.date(2020, 6, 1), "此后不能再登记“授权”"),
        ((), "pending", datetime.date(2019, 4, 1), "不能重复登记"),
    ],
)
def test_event_refusals(bureau, home, make_patent, history, status, day, message):
    patent = make_patent(home, filed=D(2019, 3, 1))
    for earlier_status, earlier_day in history:
        services.patent_event_add(actor=bureau, patent=patent, status=earlier_status, date=earlier_day)
    before = list(PatentEvent.objects.values_list("pk", flat=True))
    with pytest.raises(ServiceError) as caught:
        services.patent_event_add(actor=bureau, patent=patent, status=status, date=day)
    assert message in caught.value.message_dict["date"][0]
    assert list(PatentEvent.objects.values_list("pk", flat=True)) == before


def test_the_same_event_twice_is_refused(bureau, home, make_patent):
    patent = make_patent(home, filed=D(2019, 3, 1), granted=D(2020, 5, 1))
    with pytest.raises(ServiceError) as caught:
        services.patent_event_add(actor=bureau, patent=patent, status="granted", date=D(2020, 5, 1))
    assert caught.value.message_dict["date"] == ["该专利已登记 2020-05-01 的“授权”"]


def test_deleting_the_grant_under_a_lapse_is_refused(bureau, home, make_patent):
    patent = make_patent(home, filed=D(2016, 3, 1), granted=D(2018, 7, 3), events=[("lapsed", D(2020, 3, 1))])
    with pytest.raises(ServiceError) as caught:
        services.patent_event_delete(actor=bureau, instance=patent.events.get(status="granted"))
    assert "请先删除后面的状态" in caught.value.messages[0]
    assert patent.events.count() == 3


# --- owners as typed --------------------------------------------------------------------------------------


def test_owner_cells_resolve_codes_and_names(home, neighbour, make_org, regions):
    twin_a = make_org(name="同名科技有限公司")
    make_org(name="同名科技有限公司")
    resolver = OwnerResolver([home.uscc.lower(), neighbour.name, "韦志强", twin_a.name, "91450223MA5XXXXXX0"])
    owners, errors = resolver.resolve([home.uscc.lower(), neighbour.name, "韦志强"])
    assert errors == [] and [o.organisation for o in owners] == [home, neighbour, None]
    _, errors = resolver.resolve([twin_a.name, "91450223MA5XXXXXX0", neighbour.name, neighbour.name])
    assert errors[0] == "名称“同名科技有限公司”对应多个单位，请改填统一社会信用代码"
    assert "91450223MA5XXXXXX0" in errors[1]
    assert errors[2] == f"专利权人“{neighbour.name}”重复"
    owners, errors = resolver.resolve(["韦志强"])
    assert "不是已登记的单位" in errors[0]
    owners, errors = resolver.resolve(["韦志强"], first_region=regions["450223102"])
    assert errors == [] and owners[0].region.code == "450223102"


# --- other IP ---------------------------------------------------------------------------------------------


def test_other_ip_create_update_delete_audited(bureau, home):
    record = services.other_ip_create(
        actor=bureau, organisation=home, kind="software", number="2020SR0123456", title="生产管理系统V1.0",
        date=D(2020, 3, 16),
    )  # fmt: skip
    services.other_ip_update(actor=bureau, instance=record, data={"title": "生产管理系统V2.0"})
    pk = record.pk
    services.other_ip_delete(actor=bureau, instance=record)
    record.pk = pk
    assert list(audit(record).values_list("action", flat=True)) == ["create", "update", "delete"]
    assert not OtherIP.objects.exists()


def test_other_ip_number_is_unique_per_kind(bureau, home, neighbour):
    services.other_ip_create(
        actor=bureau, organisation=home, kind="software", number="2020SR0123456", title="a", date=D(2020, 3, 16)
    )
    with pytest.raises(ValidationError) as caught:
        services.other_ip_create(
            actor=bureau, organisation=neighbour, kind="software", number="2020sr0123456", title="b",
            date=D(2020, 3, 16),
        )  # fmt: skip
    assert caught.value.messages == ["该类别下这个编号已经登记过，请核对编号"]


def test_other_ip_outside_the_county_is_refused(bureau, far):
    with pytest.raises(AccessDenied):
        services.other_ip_create(
            actor=bureau, organisation=far, kind="software", number="2020SR0123456", title="a", date=D(2020, 3, 16)
        )
