"""Model rules of the registry: each refusal names the field and says how to fix it; the database agrees."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kechuang.achievements.models import Achievement, Award, AwardParticipant, Conversion, TechContract
from kechuang.core.access import Scope, apply_scope, instance_in_scope

from .conftest import DAY, achievement_fields, award_fields, contract_fields


def errors_of(instance) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as caught:
        instance.full_clean()
    return caught.value.message_dict


@pytest.fixture
def org(make_org):
    return make_org(name="鹿寨甲科技有限公司", region="450223100")


def test_a_complete_achievement_is_valid_and_normalised(org):
    achievement = Achievement(**achievement_fields(org, " 2020４５０２２３a001 ", people=[" 韦建华 ", "", "覃丽萍"]))
    achievement.full_clean()
    assert achievement.number == "2020450223A001"
    assert achievement.people == ["韦建华", "覃丽萍"]


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"number": "20-"}, "number", "登记号应为 4 至 32 位"),
        ({"hitech_domain": None, "discipline": ""}, "discipline", "请选择高新技术领域，或填写学科（行业）领域"),
        ({"evaluation_method": "none", "evaluation_date": None}, "evaluation_conclusion", "未评价的成果没有评价结论"),
        ({"evaluation_method": "none", "evaluation_conclusion": ""}, "evaluation_date", "未评价的成果不填评价日期"),
        ({"evaluation_date": DAY + datetime.timedelta(days=1)}, "evaluation_date", "成果须先评价后登记"),
        (
            {"registration_date": datetime.date(2999, 1, 1), "evaluation_date": None},
            "registration_date",
            "不能晚于今天",
        ),
        ({"people": ["韦建华", "韦建华"]}, "people", "完成人“韦建华”重复出现"),
        ({"people": ["张三1"]}, "people", "姓名中不能有数字"),
        ({"people": ["张"]}, "people", "应为 2 至 32 个字"),
        ({"evaluation_conclusion": "world_class"}, "evaluation_conclusion", ""),
    ],
)
def test_achievement_rules(org, overrides, field, message):
    errors = errors_of(Achievement(**{**achievement_fields(org, "2020450223A001"), **overrides}))
    assert field in errors, errors
    assert message in " ".join(errors[field])


def test_basic_research_may_name_a_discipline_instead_of_a_domain(org):
    Achievement(
        **achievement_fields(
            org, "2020450223B001", kind="basic", hitech_domain=None, discipline="木材科学与技术",
            evaluation_method="none", evaluation_conclusion="", evaluation_date=None,
        )
    ).full_clean()  # fmt: skip


def test_registration_number_is_unique(org):
    Achievement.objects.create(**achievement_fields(org, "2020450223A001"))
    errors = errors_of(Achievement(**achievement_fields(org, "2020450223A001")))
    assert "number" in errors


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"achievement": None, "subject": ""}, "subject", "请选择已登记的科技成果，或填写转化对象"),
        ({"achievement": None, "subject": "发明专利：一种滑石粉的改性方法"}, "organisation", "须填写实施单位"),
        ({"major": True}, "major_reason", "须填写认定理由"),
        ({"major_reason": "年新增产值超过5000万元"}, "major_reason", "只有重大科技成果转化才填写认定理由"),
        ({"amount": Decimal("-1")}, "amount", "不能为负数"),
        ({"year": 2999}, "year", "还没有到"),
        ({"form": "gift"}, "form", ""),
    ],
)
def test_conversion_rules(org, overrides, field, message):
    achievement = Achievement.objects.create(**achievement_fields(org, "2020450223A001"))
    fields = {"achievement": achievement, "year": 2020, "form": "self", **overrides}
    errors = errors_of(Conversion(**fields))
    assert field in errors, errors
    assert message in " ".join(errors[field])


def test_a_conversion_of_a_patent_is_placed_by_its_implementer(org):
    conversion = Conversion(subject="发明专利：一种滑石粉的改性方法", year=2020, form="transfer", organisation=org)
    conversion.full_clean()
    assert conversion.placement() == org


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"technical_income": Decimal("1500000.01")}, "technical_income", "技术交易额不能大于合同成交额"),
        ({"technical_income": Decimal("-1")}, "technical_income", "不能为负数"),
        ({"amount": Decimal("0")}, "amount", "合同成交额应大于 0"),
        ({"buyer_name": "  "}, "buyer_name", "请选择买方单位，或填写买方名称"),
        ({"registration_date": DAY - datetime.timedelta(days=30)}, "registration_date", "不能早于签订日期"),
        ({"number": "合同一"}, "number", "合同登记号应为"),
    ],
)
def test_contract_rules(org, overrides, field, message):
    errors = errors_of(TechContract(**{**contract_fields(org, "20204502230001"), **overrides}))
    assert field in errors, errors
    assert message in " ".join(errors[field])


def test_a_contract_cannot_sell_to_its_seller(org):
    errors = errors_of(TechContract(**contract_fields(org, "20204502230001", buyer=org, buyer_name="")))
    assert "买方和卖方不能是同一个单位" in errors["buyer"][0]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    amount=st.decimals(min_value=Decimal("0.01"), max_value=Decimal("9999999999"), places=2),
    income=st.decimals(min_value=Decimal("0"), max_value=Decimal("9999999999"), places=2),
)
def test_the_income_rule_of_clean_and_of_the_database_agree(org, amount, income):
    contract = TechContract(**contract_fields(org, "20204502230001", amount=amount, technical_income=income))
    try:
        contract.full_clean()
        clean_accepts = True
    except ValidationError:
        clean_accepts = False
    assert clean_accepts == (income <= amount)
    try:
        with transaction.atomic():
            contract.save()
            contract.delete()
        database_accepts = True
    except IntegrityError:
        database_accepts = False
    assert database_accepts == clean_accepts


def test_database_constraints_back_the_rules(org):
    achievement = Achievement.objects.create(**achievement_fields(org, "2020450223A001"))
    award = Award.objects.create(**award_fields(org, "项目甲"))
    attempts = (
        lambda: Conversion.objects.create(year=2020, form="self"),  # neither an achievement nor a subject
        lambda: Conversion.objects.create(year=2020, form="bartered", achievement=achievement),
        lambda: TechContract.objects.create(**contract_fields(org, "1", technical_income=Decimal("2000000"))),
        lambda: AwardParticipant.objects.create(award=award, kind="unit", position=1, name="某单位"),
        lambda: AwardParticipant.objects.create(award=award, kind="person", position=1, organisation=org, name="张三"),
        lambda: Award.objects.create(**award_fields(org, "项目甲")),
    )
    for attempt in attempts:
        with pytest.raises(IntegrityError), transaction.atomic():
            attempt()


def test_award_rules(org):
    achievement = Achievement.objects.create(**achievement_fields(org, "2020450223A001"))
    errors = errors_of(Award(**award_fields(org, "项目甲", year=2019, achievement=achievement)))
    assert "晚于获奖年度" in errors["achievement"][0]
    assert "还没有到" in errors_of(Award(**award_fields(org, "项目甲", year=2999)))["year"][0]


# --- the data scope ---------------------------------------------------------------------------------------


LUZHAI = Scope("region", region_path="450000/450200/450223/")


def test_region_scope_follows_the_first_unit(world):
    for model_name in ("achievement", "conversion", "contract", "award"):
        a, b = world.record(model_name, "a"), world.record(model_name, "b")
        visible = set(apply_scope(type(a).objects.all(), LUZHAI).values_list("pk", flat=True))
        assert visible == {a.pk}, model_name
        assert instance_in_scope(a, LUZHAI) and not instance_in_scope(b, LUZHAI)


def test_a_conversion_is_placed_by_its_implementer_when_it_has_one(world):
    conversion = world.record("conversion", "b")  # B's achievement, implemented by nobody named: 柳城县
    assert not instance_in_scope(conversion, LUZHAI)
    conversion.organisation = world.a  # implemented in 鹿寨县
    conversion.save()
    assert instance_in_scope(conversion, LUZHAI)
    assert conversion in apply_scope(Conversion.objects.all(), LUZHAI)


def test_an_organisation_sees_every_record_it_takes_part_in(world):
    partner = Scope("org", region_path="450000/450200/450222/", org_id=world.p.pk)
    for model_name in ("achievement", "conversion", "contract", "award"):
        b = world.record(model_name, "b")
        listed = list(apply_scope(type(b).objects.all(), partner))
        assert listed == [b], model_name  # once, although P appears in a joined table
        assert instance_in_scope(b, partner)
        assert not instance_in_scope(world.record(model_name, "a"), partner)
