"""Shipped reference data: GB/T 4754-2017 sections and divisions, and the cultivation pools."""

import pytest

from kechuang.core.models import AuditLog
from kechuang.orgs.models import Industry, Pool
from kechuang.orgs.reference import load_industries, load_pools

pytestmark = pytest.mark.django_db

SECTIONS = {
    "A": "农、林、牧、渔业",
    "B": "采矿业",
    "C": "制造业",
    "D": "电力、热力、燃气及水生产和供应业",
    "E": "建筑业",
    "F": "批发和零售业",
    "G": "交通运输、仓储和邮政业",
    "H": "住宿和餐饮业",
    "I": "信息传输、软件和信息技术服务业",
    "J": "金融业",
    "K": "房地产业",
    "L": "租赁和商务服务业",
    "M": "科学研究和技术服务业",
    "N": "水利、环境和公共设施管理业",
    "O": "居民服务、修理和其他服务业",
    "P": "教育",
    "Q": "卫生和社会工作",
    "R": "文化、体育和娱乐业",
    "S": "公共管理、社会保障和社会组织",
    "T": "国际组织",
}
# The first and last division of each section in the 2017 edition.
SECTION_RANGES = {
    "A": (1, 5),
    "B": (6, 12),
    "C": (13, 43),
    "D": (44, 46),
    "E": (47, 50),
    "F": (51, 52),
    "G": (53, 60),
    "H": (61, 62),
    "I": (63, 65),
    "J": (66, 69),
    "K": (70, 70),
    "L": (71, 72),
    "M": (73, 75),
    "N": (76, 79),
    "O": (80, 82),
    "P": (83, 83),
    "Q": (84, 85),
    "R": (86, 90),
    "S": (91, 96),
    "T": (97, 97),
}


@pytest.fixture
def industries(db):
    load_industries()
    return {i.code: i for i in Industry.objects.select_related("section")}


def test_all_20_sections_with_their_names(industries):
    sections = {code: i.name for code, i in industries.items() if i.level == "section"}
    assert sections == SECTIONS
    assert all(industries[code].section is None for code in SECTIONS)


def test_all_97_divisions_each_under_its_section(industries):
    divisions = {code: i for code, i in industries.items() if i.level == "division"}
    # The 2017 edition numbers its 97 divisions 01–97 without a gap (79 土地管理业 was added in 2017).
    assert sorted(divisions) == [f"{n:02d}" for n in range(1, 98)]
    for letter, (first, last) in SECTION_RANGES.items():
        for n in range(first, last + 1):
            assert divisions[f"{n:02d}"].section.code == letter


@pytest.mark.parametrize(
    ("code", "name"),
    [
        ("05", "农、林、牧、渔专业及辅助性活动"),
        ("11", "开采专业及辅助性活动"),
        ("13", "农副食品加工业"),
        ("17", "纺织业"),
        ("20", "木材加工和木、竹、藤、棕、草制品业"),
        ("22", "造纸和纸制品业"),
        ("25", "石油、煤炭及其他燃料加工业"),
        ("26", "化学原料和化学制品制造业"),
        ("30", "非金属矿物制品业"),
        ("36", "汽车制造业"),
        ("50", "建筑装饰、装修和其他建筑业"),
        ("58", "多式联运和运输代理业"),
        ("65", "软件和信息技术服务业"),
        ("73", "研究和试验发展"),
        ("75", "科技推广和应用服务业"),
        ("79", "土地管理业"),
        ("96", "基层群众自治组织及其他组织"),
        ("97", "国际组织"),
    ],
)
def test_well_known_divisions(industries, code, name):
    assert industries[code].name == name
    assert industries[code].level == "division"


def test_loading_again_changes_nothing_and_restores_edits(industries):
    logs = AuditLog.objects.count()
    assert load_industries() == {"unchanged": 117}
    assert AuditLog.objects.count() == logs
    Industry.objects.filter(code="36").update(name="汽车")
    assert load_industries() == {"unchanged": 116, "updated": 1}
    assert Industry.objects.get(code="36").name == "汽车制造业"


def test_loads_are_audited_as_system(industries):
    created = AuditLog.objects.filter(content_type__model="industry", action="create")
    assert created.count() == 117
    assert set(created.values_list("actor_name", flat=True)) == {"system"}


def test_pools(db):
    assert load_pools() == {"created": 4}
    assert dict(Pool.objects.values_list("code", "name")) == {
        "hte-reserve": "后备高新技术企业库",
        "high-growth-tsme": "高成长科技型中小企业库",
        "listing-reserve": "上市后备企业库",
        "gazelle": "瞪羚企业培育库",
    }
    assert all(Pool.objects.values_list("description", flat=True))
    assert load_pools() == {"unchanged": 4}
