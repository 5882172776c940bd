"""Fixtures of the achievements registry tests: organisations in and out of 鹿寨县 and one record of every kind."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

import pytest

from kechuang.achievements import services
from kechuang.achievements.models import Achievement, Award, Conversion, TechContract
from kechuang.orgs.models import Organisation

DAY = datetime.date(2020, 6, 1)


@dataclass
class World:
    """A (鹿寨镇, in every 鹿寨县 user's scope) and B (柳城县, outside it), each with one record of every kind;
    P (柳城县) is a later-ranked unit of B's achievement (so takes part in its conversion) and award, and the buyer
    of B's contract."""

    a: Organisation
    b: Organisation
    p: Organisation
    records: dict[tuple[str, str], object]

    def record(self, kind: str, side: str = "a"):
        return self.records[(kind, side)]


def achievement_fields(organisation, number: str, **overrides) -> dict:
    return {
        "number": number,
        "title": f"成果{number}",
        "kind": "applied",
        "hitech_domain": 4,
        "organisation": organisation,
        "registration_date": DAY,
        "evaluation_method": "evaluation",
        "evaluation_conclusion": "domestic_advanced",
        "evaluation_date": DAY - datetime.timedelta(days=30),
        "people": ["韦建华", "覃丽萍"],
        **overrides,
    }


def contract_fields(seller, number: str, **overrides) -> dict:
    return {
        "number": number,
        "name": f"合同{number}",
        "kind": "development",
        "seller": seller,
        "buyer_name": "柳州某汽车零部件有限公司",
        "amount": Decimal("1500000.00"),
        "technical_income": Decimal("1200000.00"),
        "signing_date": DAY - datetime.timedelta(days=20),
        "registration_date": DAY,
        **overrides,
    }


def award_fields(organisation, project: str, **overrides) -> dict:
    return {
        "name": "自治区科学技术进步奖",
        "level": "region",
        "grade": "first",
        "year": 2020,
        "project": project,
        "organisation": organisation,
        **overrides,
    }


def build_world() -> World:
    from kechuang.orgs.services import pinyin_initials
    from kechuang.regions.models import Region
    from tests.conftest import make_uscc

    def org(name, code):
        region = Region.objects.get(code=code)
        return Organisation.objects.create(
            name=name, region=region, uscc=make_uscc(code[:6]), name_initials=pinyin_initials(name)
        )

    a, b, p = (
        org("鹿寨甲科技有限公司", "450223100"),
        org("柳城丙机械有限公司", "450222"),
        org("柳城丁材料有限公司", "450222"),
    )
    records = {}
    for side, owner, number in (("a", a, "2020450223A001"), ("b", b, "2020450222A001")):
        units = [(p, "")] if side == "b" else [(None, "广西大学")]
        achievement = services.achievement_create(actor=None, units=units, **achievement_fields(owner, number))
        records[("achievement", side)] = achievement
        # A's conversion is of a patent (so A's achievement can be deleted); B's of B's achievement.
        of = {"achievement": achievement} if side == "b" else {"subject": "发明专利：一种滑石粉的改性方法"}
        records[("conversion", side)] = services.conversion_create(
            actor=None, **of, year=2020, form="self", organisation=owner, amount=Decimal("800000.00")
        )
        buyer = {"buyer": p, "buyer_name": ""} if side == "b" else {}
        records[("contract", side)] = services.contract_create(
            actor=None, **contract_fields(owner, number.replace("A", "0"), **buyer)
        )
        records[("award", side)] = services.award_create(
            actor=None,
            units=[(p, "")] if side == "b" else [],
            people=["韦建华", "覃丽萍"],
            **award_fields(owner, f"项目{side}"),
        )
    return World(a=a, b=b, p=p, records=records)


@pytest.fixture
def world(db) -> World:
    return build_world()


MODELS = (Achievement, Conversion, TechContract, Award)
