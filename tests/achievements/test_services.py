"""Services of the registry: the happy path with its audit rows, every refusal, and the ranked child rows."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType

from kechuang.accounts.choices import Role
from kechuang.achievements import services
from kechuang.achievements.models import Achievement, AchievementUnit, Award, AwardParticipant, Conversion
from kechuang.core.access import AccessDenied
from kechuang.core.exceptions import ServiceError
from kechuang.core.models import AuditLog

from .conftest import achievement_fields, award_fields, contract_fields


def audit_rows(model, **filters):
    return AuditLog.objects.filter(content_type=ContentType.objects.get_for_model(model), **filters)


@pytest.fixture
def orgs(make_org):
    return (
        make_org(name="鹿寨甲科技有限公司", region="450223100"),
        make_org(name="鹿寨乙材料有限公司", region="450223101"),
        make_org(name="柳城丙机械有限公司", region="450222"),
    )


def test_registering_an_achievement_audits_it_and_each_unit(orgs, bureau):
    a, second, outside = orgs
    achievement = services.achievement_create(
        actor=bureau, units=[(second, ""), (None, "广西大学"), (outside, "")], **achievement_fields(a, "2020450223A001")
    )
    assert [u.display_name for u in achievement.units.all()] == [second.name, "广西大学", outside.name]
    assert [u.position for u in achievement.units.all()] == [2, 3, 4]
    created = audit_rows(Achievement, object_id=str(achievement.pk), action="create").get()
    assert created.actor == bureau and created.after["number"] == "2020450223A001"
    assert audit_rows(AchievementUnit, action="create", actor=bureau).count() == 3


def test_the_first_unit_may_not_be_listed_again(orgs, bureau):
    a, second, _ = orgs
    for units in ([(a, "")], [(second, ""), (second, "")], [(None, "广西大学"), (None, "广西大学")]):
        with pytest.raises(ServiceError) as caught:
            services.achievement_create(actor=bureau, units=units, **achievement_fields(a, "2020450223A001"))
        assert "重复出现" in str(caught.value)
    assert not Achievement.objects.exists()


def test_changing_the_units_replaces_them_with_an_audit_trail(orgs, bureau):
    a, second, _ = orgs
    achievement = services.achievement_create(
        actor=bureau, units=[(None, "广西大学")], **achievement_fields(a, "2020450223A001")
    )
    services.achievement_update(actor=bureau, achievement=achievement, data={"title": "新名称"}, units=[(second, "")])
    assert [(u.position, u.organisation) for u in achievement.units.all()] == [(2, second)]
    assert audit_rows(AchievementUnit, action="delete").get().before["name"] == "广西大学"
    update = audit_rows(Achievement, action="update").get()
    assert (update.before["title"], update.after["title"]) == ("成果2020450223A001", "新名称")
    # The same units again change nothing and write no audit row.
    rows = AuditLog.objects.count()
    services.achievement_update(actor=bureau, achievement=achievement, data={"title": "新名称"}, units=[(second, "")])
    assert AuditLog.objects.count() == rows


def test_a_bureau_user_cannot_register_outside_the_county(orgs, bureau):
    _, _, outside = orgs
    with pytest.raises(AccessDenied):
        services.achievement_create(actor=bureau, **achievement_fields(outside, "2020450222A001"))
    achievement = services.achievement_create(actor=None, **achievement_fields(orgs[0], "2020450223A001"))
    with pytest.raises(AccessDenied):  # moving it out of the county is refused too
        services.achievement_update(actor=bureau, achievement=achievement, data={"organisation": outside})
    assert Achievement.objects.get().organisation == orgs[0]


@pytest.mark.parametrize("role", [Role.LEADER, Role.ENTERPRISE, Role.EXPERT, Role.SYSADMIN])
def test_roles_without_the_right_are_refused_before_anything_is_checked(orgs, make_user, role):
    user = make_user(role, organisation=orgs[0] if role == Role.ENTERPRISE else None)
    with pytest.raises(AccessDenied):
        services.achievement_create(actor=user, **achievement_fields(orgs[0], "2020450223A001"))
    with pytest.raises(AccessDenied):
        services.contract_create(actor=user, **contract_fields(orgs[0], "20204502230001"))


def test_a_staff_member_may_not_delete(orgs, make_user):
    achievement = services.achievement_create(actor=None, **achievement_fields(orgs[0], "2020450223A001"))
    with pytest.raises(AccessDenied):
        services.achievement_delete(actor=make_user(Role.BUREAU_STAFF), achievement=achievement)


def test_an_achievement_with_conversions_cannot_be_deleted(orgs, bureau):
    achievement = services.achievement_create(actor=bureau, **achievement_fields(orgs[0], "2020450223A001"))
    conversion = services.conversion_create(actor=bureau, achievement=achievement, year=2020, form="self")
    with pytest.raises(ServiceError) as caught:
        services.achievement_delete(actor=bureau, achievement=achievement)
    assert "有 1 条成果转化记录" in str(caught.value)
    services.conversion_delete(actor=bureau, conversion=conversion)
    services.achievement_delete(actor=bureau, achievement=achievement)
    assert not Achievement.objects.exists()
    assert audit_rows(Achievement, action="delete").get().before["number"] == "2020450223A001"


def test_deleting_an_achievement_unlinks_its_award_with_an_audit_row(orgs, bureau):
    achievement = services.achievement_create(
        actor=bureau, units=[(None, "广西大学")], **achievement_fields(orgs[0], "2020450223A001")
    )
    award = services.award_create(actor=bureau, achievement=achievement, **award_fields(orgs[0], "项目甲"))
    services.achievement_delete(actor=bureau, achievement=achievement)
    award.refresh_from_db()
    assert award.achievement is None
    assert audit_rows(Award, action="update").get().after["achievement"] is None
    assert audit_rows(AchievementUnit, action="delete").count() == 1


def test_a_conversion_is_registered_once_per_year_form_and_implementer(orgs, bureau):
    a, second, _ = orgs
    achievement = services.achievement_create(actor=bureau, **achievement_fields(a, "2020450223A001"))
    services.conversion_create(actor=bureau, achievement=achievement, year=2020, form="self")
    with pytest.raises(ServiceError, match="请勿重复登记"):
        services.conversion_create(actor=bureau, achievement=achievement, year=2020, form="self")
    services.conversion_create(actor=bureau, achievement=achievement, year=2020, form="self", organisation=second)
    with pytest.raises(ServiceError, match="同一转化方式的转化记录"):
        services.conversion_create(actor=bureau, achievement=achievement, year=2020, form="self", organisation=second)
    patent = {"subject": "发明专利：一种滑石粉的改性方法", "year": 2020, "form": "transfer", "organisation": second}
    services.conversion_create(actor=bureau, **patent)
    with pytest.raises(ServiceError, match="请勿重复登记"):
        services.conversion_create(actor=bureau, **patent)
    assert Conversion.objects.count() == 3


def test_a_conversion_may_only_name_an_achievement_the_user_sees(orgs, bureau, make_user):
    outside = services.achievement_create(actor=None, **achievement_fields(orgs[2], "2020450222A001"))
    with pytest.raises(ServiceError) as caught:
        services.conversion_create(actor=bureau, achievement=outside, year=2020, form="transfer", organisation=orgs[0])
    assert "不存在或不在您的管辖范围内" in caught.value.message_dict["achievement"][0]


def test_updating_a_conversion_validates_before_writing(orgs, bureau):
    achievement = services.achievement_create(actor=bureau, **achievement_fields(orgs[0], "2020450223A001"))
    conversion = services.conversion_create(actor=bureau, achievement=achievement, year=2020, form="self")
    with pytest.raises(ServiceError) as caught:
        services.conversion_update(actor=bureau, conversion=conversion, data={"major": True})
    assert "major_reason" in caught.value.message_dict
    services.conversion_update(
        actor=bureau, conversion=conversion, data={"major": True, "major_reason": "年新增产值超过5000万元"}
    )
    conversion.refresh_from_db()
    assert conversion.major
    assert audit_rows(Conversion, action="update").get().after["major"] is True


def test_contract_amounts_are_audited(orgs, bureau):
    contract = services.contract_create(actor=bureau, **contract_fields(orgs[0], "20204502230001"))
    services.contract_update(actor=bureau, contract=contract, data={"technical_income": Decimal("1000000.00")})
    row = audit_rows(type(contract), action="update").get()
    assert (row.before["technical_income"], row.after["technical_income"]) == ("1200000.00", "1000000.00")
    with pytest.raises(ServiceError):
        services.contract_update(actor=bureau, contract=contract, data={"technical_income": Decimal("9000000")})
    contract.refresh_from_db()
    assert contract.technical_income == Decimal("1000000.00")


def test_award_participants_are_ranked_per_kind(orgs, bureau):
    a, second, _ = orgs
    award = services.award_create(
        actor=bureau,
        units=[(second, ""), (None, "广西壮族自治区蚕业技术推广站")],
        people=["韦建华", " 覃丽萍 ", "黄志强"],
        **award_fields(a, "桑蚕茧丝绸产业发展关键技术研究开发与应用", year=2018),
    )
    rows = [(p.kind, p.position, p.display_name) for p in award.participants.all()]
    assert rows == [
        ("person", 1, "韦建华"),
        ("person", 2, "覃丽萍"),
        ("person", 3, "黄志强"),
        ("unit", 2, second.name),
        ("unit", 3, "广西壮族自治区蚕业技术推广站"),
    ]
    # Changing only the people keeps the units.
    services.award_update(actor=bureau, award=award, data={}, people=["覃丽萍", "韦建华"])
    rows = [(p.kind, p.position, p.display_name) for p in award.participants.all()]
    assert rows[:2] == [("person", 1, "覃丽萍"), ("person", 2, "韦建华")] and len(rows) == 4
    with pytest.raises(ServiceError):
        services.award_update(actor=bureau, award=award, data={}, people=["韦建华", "韦建华"])
    services.award_delete(actor=bureau, award=award)
    assert not AwardParticipant.objects.exists()
    assert audit_rows(AwardParticipant, action="delete").count() >= 4


def test_dates_may_not_lie_in_the_future(orgs, bureau):
    future = datetime.date(2999, 1, 1)
    with pytest.raises(ServiceError):
        services.contract_create(actor=bureau, **contract_fields(orgs[0], "20204502230001", registration_date=future))
