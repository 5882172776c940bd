"""Fixtures of the talent registry tests: synthetic identity numbers, people, commissioners and service logs."""

import datetime
import itertools

import pytest

from kechuang.core.validators import idcard_check_char
from kechuang.regions.choices import RegionLevel
from kechuang.regions.models import Region
from kechuang.talent import services
from kechuang.talent.choices import ServiceKind, TitleLevel

_serial = itertools.count(1)


def make_id(birth: str = "19850715", place: str = "450223", serial: int | None = None, male: bool = True) -> str:
    """A valid synthetic identity number (GB 11643 check character)."""
    serial = next(_serial) if serial is None else serial
    sequence = (serial % 500) * 2 + (1 if male else 0)
    first17 = f"{place}{birth}{sequence:03d}"
    return first17 + idcard_check_char(first17)


@pytest.fixture
def far_township(regions) -> Region:
    """A township of 柳城县 (450222), outside every 鹿寨县 user's scope."""
    return Region.objects.get_or_create(
        code="450222100", defaults={"name": "大埔镇", "level": RegionLevel.TOWNSHIP, "parent": regions["450222"]}
    )[0]


@pytest.fixture
def make_person(regions):
    def make(name="韦志强", *, id_number=None, region="450223100", organisation=None, titles=(), **fields):
        person = services.person_create(
            actor=None,
            id_number=id_number or make_id(),
            name=name,
            organisation=organisation,
            region=None if organisation is not None else regions[region],
            **fields,
        )
        for level, title, obtained in titles:
            services.title_save(actor=None, person=person, level=level, name=title, obtained=obtained)
        return person

    return make


@pytest.fixture
def make_commissioner(regions):
    def make(person, *, year=2020, township="450223101", village="大兆村", **fields):
        fields.setdefault("sending_unit_name", "鹿寨县农业技术推广中心")
        township_region = township if isinstance(township, Region) else regions[township]
        return services.commissioner_create(
            actor=None, person=person, year=year, township=township_region, village=village, **fields
        )

    return make


@pytest.fixture
def make_log():
    def make(commissioner, *, date=None, kind=ServiceKind.GUIDANCE, days=1, trainees=0, village="", content="现场指导"):
        return services.servicelog_create(
            actor=None,
            commissioner=commissioner,
            date=date or datetime.date(commissioner.year, 5, 10),
            kind=kind,
            days=days,
            trainees=trainees,
            village=village,
            content=content,
        )

    return make


SENIOR, INTERMEDIATE, JUNIOR = TitleLevel.SENIOR, TitleLevel.INTERMEDIATE, TitleLevel.JUNIOR
