"""Luzhai demo records of the IP registry (知识产权演示数据); see kechuang/orgs/demo.py.

DEMO DATA, not official records: titles, inventors and application numbers are invented (the numbers pass the
check-character rule). What the records reproduce exactly (seed ch.1 §1, 专栏1 rows 14–16), for 鹿寨县 (450223,
placed by the first patentee):

- 1830 patent applications filed 2016–2020 (by application date): 640 inventions (3 of them PCT entries),
  880 utility models, 310 designs.
- 578 patents granted 2016–2020 (by grant date): 101 inventions, 341 utility models, 136 designs. 55 of them
  were filed in 2013–2015; 53 applications of 2018–2020 are granted only in 2021–2022.
- 81 invention patents in force on 2020-12-31: 8 of the 10 granted before 2016 and 73 of the 101 granted in
  2016–2020 (26 lapsed for unpaid annual fees, 2 invalidated before the end of 2020). With the demo population
  of 361,600 that is 81 / 36.16 = 2.2400 per 10,000 residents.

Six patents filed 2016–2020 have a first patentee in 柳城县 (450222) and a Luzhai enterprise as second owner:
they count in 柳城县, not in Luzhai, and show on the co-owner's master file. Some Luzhai patents name the
same 柳城县 company or a university as a later owner, which moves nothing.

The 1901 patents (the 1830, 65 filed before 2016, the 6 of 柳城县) are generated from the cohorts below,
deterministically (no RNG), and bulk-created with one audit row each (and one per legal-status event) when
their numbers are not stored yet; a second run finds every number and writes nothing. Other IP (software
copyrights of the high-tech enterprises, a plant variety, standards) is created the same way.
"""

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction

from kechuang.core.validators import patent_check_char
from kechuang.orgs.demo import ABOVE_SCALE, COUNTY, HTES, SMALL, TOWNSHIPS
from kechuang.regions.models import Region

from .choices import Acquisition, OtherIPKind, PatentStatus, PatentType, StandardLevel, StandardRole
from .models import OtherIP, Patent
from .selectors import inventions_per_10k, patent_applications, patent_grants, valid_inventions
from .services import OwnerSpec, PatentDraft, apply_owners, derive, other_ip_bulk_create, patents_bulk_write

__all__ = ["COHORTS", "counts", "demo_patents", "load"]

D = datetime.date
END_2020 = D(2020, 12, 31)
LIUCHENG = "450222"
NEIGHBOUR = "柳城县东泉机械制造有限公司"  # not registered here: a co-owner in the next county
UNIVERSITY = "广西科技大学"
INDIVIDUALS = (("韦志强", "鹿寨镇"), ("覃丽萍", "中渡镇"), ("蓝海波", "寨沙镇"), ("莫建华", "平山镇"),
               ("黄永康", "黄冕镇"), ("廖文斌", "四排镇"), ("梁秀英", "江口乡"), ("潘国庆", "导江乡"))  # fmt: skip
TYPE_DIGIT = {PatentType.INVENTION: "1", PatentType.UTILITY: "2", PatentType.DESIGN: "3",
              PatentType.PCT_INVENTION: "8", PatentType.PCT_UTILITY: "9"}  # fmt: skip
# Days from filing to grant: (shortest, longest).
LAG = {PatentType.INVENTION: (540, 1400), PatentType.PCT_INVENTION: (540, 1400), PatentType.UTILITY: (150, 420),
       PatentType.DESIGN: (120, 300)}  # fmt: skip
# Applications refused over 2016–2020 grow year by year (weights out of 100).
YEAR_WEIGHTS = ((2016, 15), (2017, 18), (2018, 20), (2019, 22), (2020, 25))


@dataclass(frozen=True)
class Cohort:
    """Demo patents alike: type, how many, filing window, grant window (None: never granted) and fate."""

    key: str
    patent_type: str
    count: int
    filed: tuple[datetime.date, datetime.date]
    granted: tuple[datetime.date, datetime.date] | None = None
    pending: bool = False  # not granted and not refused (yet)


I, U, S, PCT = PatentType.INVENTION, PatentType.UTILITY, PatentType.DESIGN, PatentType.PCT_INVENTION  # noqa: E741
PERIOD = (D(2016, 1, 1), END_2020)
COHORTS = (
    Cohort("inv-old", I, 10, (D(2011, 3, 1), D(2013, 6, 30)), (D(2013, 1, 1), D(2015, 12, 31))),
    Cohort("inv-carry", I, 15, (D(2013, 6, 1), D(2015, 6, 30)), (D(2016, 1, 1), D(2017, 12, 31))),
    Cohort("inv", I, 84, (D(2016, 1, 1), D(2019, 3, 31)), (D(2017, 7, 1), END_2020)),
    Cohort("pct", PCT, 2, (D(2016, 6, 1), D(2018, 3, 31)), (D(2018, 6, 1), END_2020)),
    Cohort("inv-late", I, 20, (D(2018, 1, 1), D(2020, 6, 30)), (D(2021, 1, 1), D(2022, 12, 31))),
    Cohort("inv-pending", I, 13, (D(2020, 1, 1), END_2020), pending=True),
    Cohort("pct-pending", PCT, 1, (D(2019, 5, 1), D(2020, 5, 31)), pending=True),
    Cohort("inv-refused", I, 520, PERIOD),
    Cohort("utl-carry", U, 30, (D(2015, 3, 1), D(2015, 10, 31)), (D(2016, 1, 1), D(2016, 9, 30))),
    Cohort("utl", U, 311, (D(2016, 1, 1), D(2020, 3, 31)), (D(2016, 6, 1), END_2020)),
    Cohort("utl-late", U, 25, (D(2020, 4, 1), END_2020), (D(2021, 1, 1), D(2021, 12, 31))),
    Cohort("utl-refused", U, 544, PERIOD),
    Cohort("des-carry", S, 10, (D(2015, 4, 1), D(2015, 11, 30)), (D(2016, 1, 1), D(2016, 6, 30))),
    Cohort("des", S, 126, (D(2016, 1, 1), D(2020, 6, 30)), (D(2016, 4, 1), END_2020)),
    Cohort("des-late", S, 8, (D(2020, 7, 1), END_2020), (D(2021, 1, 1), D(2021, 6, 30))),
    Cohort("des-refused", S, 176, PERIOD),
)
# Of the inventions granted 2016–2020 (inv-carry, inv, pct), this many end by 2020-12-31; of inv-old, these.
ENDED_BY_2020 = 28
INVALIDATED = 2
OLD_LAPSED = (3, 7)
# Inventions still in force at the end of 2020 that lapse later, and transfers of granted inventions.
LAPSE_LATER = 6
TRANSFERS = 5

TOPICS = {
    "36": ("汽车制动盘", "转向节", "座椅滑轨", "车门铰链", "排气歧管", "减震器支架", "散热器芯体", "线束固定卡扣",
           "仪表板骨架", "保险杠支架", "制动钳", "钢板弹簧"),
    "26": ("珠光颜料", "纳米碳酸钙", "松香改性树脂", "水性环保涂料", "聚合氯化铝絮凝剂", "缓释复合肥", "钛白粉包膜剂"),
    "30": ("改性滑石粉", "石墨烯导热膜", "保温砂浆", "水泥助磨剂", "陶瓷釉料", "预应力管桩", "碳素电极"),
    "20": ("桉木胶合板", "刨花板", "竹木复合地板", "木材干燥窑", "单板旋切机", "无醛人造板"),
    "21": ("实木餐桌", "折叠衣柜", "办公椅"),
    "13": ("蔗糖澄清剂", "甘蔗压榨机", "饲料颗粒机", "糖蜜发酵液"),
    "14": ("螺蛳粉汤料包", "酸笋发酵罐", "米粉烘干机"),
    "15": ("山泉水灌装机", "饮用水过滤罐"),
    "17": ("自动缫丝机", "蚕茧烘干装置", "真丝面料"),
    "22": ("蔗渣纸浆", "瓦楞纸板", "生活用纸分切机"),
    "33": ("钢结构连接件", "电镀挂具", "五金合页"),
    "34": ("液压油缸", "自动上料装置", "数控夹具"),
    "35": ("冲压模具", "林木采伐机械", "注塑模具"),
    "38": ("石墨烯电池负极材料", "电机定子", "电缆护套料", "锂电池极片"),
    "39": ("汽车电子控制器", "温湿度传感器", "智能网关"),
    "27": ("中药提取物", "胶囊剂", "颗粒剂"),
    "10": ("滑石矿选矿设备", "石灰石破碎机"),
    "44": ("水轮发电机组", "余热发电装置"),
    "46": ("净水过滤器", "供水管网检漏装置"),
    "29": ("塑料周转箱", "注塑件"),
    "65": ("数据采集终端", "工业物联网网关"),
    "74": ("检测样品前处理装置", "土壤重金属快速检测装置"),
    "75": ("桑树嫁接工具", "果蔬保鲜剂"),
    "77": ("污水处理装置", "垃圾渗滤液处理系统"),
    "01": ("中药材育苗盘", "林下种植架"),
    "73": ("石墨烯分散液", "石墨烯复合涂层"),
    "": ("农用喷雾器", "竹编收纳篮", "茶叶揉捻机", "鸡舍通风装置"),
}  # fmt: skip
PATTERNS = {
    I: ("一种{t}的制备方法", "一种{t}及其制备方法", "一种{t}的生产工艺", "一种{t}的检测方法"),
    U: ("一种{t}", "一种{t}的固定结构", "一种便于安装的{t}", "一种{t}用支撑装置"),
    S: ("{t}（A型）", "{t}（B型）", "{t}（1）", "{t}（2）"),
}
SURNAMES = "韦覃黄莫蓝梁廖李陈刘潘罗龙卢蒙杨"
GIVEN = ("志强", "丽萍", "海波", "建华", "永康", "文斌", "秀英", "国庆", "小军", "春燕", "德明", "桂芳", "振宇",
         "玉兰", "世杰", "晓东", "伟", "敏", "静", "勇")  # fmt: skip


def _between(k: int, low: datetime.date, high: datetime.date) -> datetime.date:
    """A day from low to high (inclusive) that looks random but is fixed by k."""
    if low > high:
        raise ValueError(f"empty window {low}…{high}")
    span = (high - low).days
    return low + datetime.timedelta(days=(k * 7919 + 104729) % (span + 1))


def _weighted_day(k: int) -> datetime.date:
    """A day of 2016–2020, the later years more likely."""
    point, total = (k * 37) % 100, 0
    for year, weight in YEAR_WEIGHTS:
        total += weight
        if point < total:
            return _between(k, D(year, 1, 1), D(year, 12, 31))
    raise AssertionError("weights sum to 100")


def _number(k: int, patent_type: str, year: int) -> str:
    """A synthetic application number: year, type digit, a 7-digit serial unique for k, the check character."""
    serial = (k * 7919 + 123457) % 9_000_000 + 500_000
    body = f"{year}{TYPE_DIGIT[patent_type]}{serial:07d}"
    return body + patent_check_char(body)


def _inventors(k: int) -> list[str]:
    return [SURNAMES[(k * 3 + i * 5) % len(SURNAMES)] + GIVEN[(k * 7 + i * 11) % len(GIVEN)] for i in range(1 + k % 4)]


@dataclass
class Spec:
    """One demo patent before it is written."""

    k: int
    cohort: Cohort
    filed: datetime.date
    granted: datetime.date | None = None
    refused: datetime.date | None = None
    ended: tuple[str, datetime.date] | None = None
    transferred: datetime.date | None = None
    valid_2020: bool = False
    owners: tuple = ()  # ("org", name) · ("person", name, township) · ("named", name, region code or None)
    elsewhere: bool = False


def _dates(k: int, cohort: Cohort) -> Spec:
    filed = _weighted_day(k) if cohort.filed == PERIOD and cohort.granted is None else _between(k, *cohort.filed)
    spec = Spec(k, cohort, filed)
    if cohort.granted is not None:
        shortest, longest = LAG[cohort.patent_type]
        low = max(filed + datetime.timedelta(days=shortest), cohort.granted[0])
        high = min(filed + datetime.timedelta(days=longest), cohort.granted[1])
        spec.granted = _between(k * 3 + 1, low, high)
    elif not cohort.pending:
        spec.refused = min(filed + datetime.timedelta(days=180 + (k * 131) % 720), D(2024, 12, 31))
    return spec


def _fates(specs: list[Spec]) -> None:
    """Lapses, invalidations and transfers: exactly the counts the module docstring states."""
    old = [s for s in specs if s.cohort.key == "inv-old"]
    for i, spec in enumerate(old):
        if i in OLD_LAPSED:
            spec.ended = (
                PatentStatus.LAPSED,
                _between(spec.k, spec.granted + datetime.timedelta(days=400), D(2020, 6, 30)),
            )
    granted = [s for s in specs if s.cohort.key in ("inv-carry", "inv", "pct")]
    candidates = [s for s in granted if s.granted <= D(2020, 6, 30)]
    chosen = candidates[::2][:ENDED_BY_2020]
    if len(chosen) != ENDED_BY_2020:
        raise AssertionError("not enough early grants to lapse")
    for n, spec in enumerate(chosen):
        status = PatentStatus.INVALIDATED if n < INVALIDATED else PatentStatus.LAPSED
        spec.ended = (status, _between(spec.k, spec.granted + datetime.timedelta(days=90), END_2020))
    survivors = [s for s in (*old, *granted) if s.ended is None]
    for spec in survivors[2::9][:LAPSE_LATER]:
        spec.ended = (PatentStatus.LAPSED, _between(spec.k, D(2021, 3, 1), D(2024, 10, 31)))
    for spec in [s for s in survivors if s.ended is None and s.cohort.key == "inv"][4::11][:TRANSFERS]:
        spec.transferred = spec.granted + datetime.timedelta(days=200 + spec.k % 150)
    for spec in specs:
        if spec.granted and spec.cohort.patent_type in (U, S) and spec.k % 4 == 1:
            # Utility models and designs often lapse after a few years of annual fees.
            spec.ended = (PatentStatus.LAPSED, spec.granted + datetime.timedelta(days=700 + spec.k % 900))
        spec.valid_2020 = bool(
            spec.granted and spec.granted <= END_2020 and not (spec.ended and spec.ended[1] <= END_2020)
        )


def _pick(pool, k: int, salt: int):
    return pool[(k * 17 + salt) % len(pool)]


SHARES = {  # out of 20: high-tech, above-scale, small tech firms, individuals
    I: (10, 5, 4, 1),
    PCT: (20, 0, 0, 0),
    U: (9, 8, 2, 1),
    S: (6, 8, 3, 3),
}


def _owners(specs: list[Spec]) -> None:
    """First owners mostly the high-tech and above-scale enterprises; every high-tech enterprise holds at least
    one invention in force at the end of 2020; a few co-owners."""
    hte, above, small = [o.name for o in HTES], [o.name for o in ABOVE_SCALE], [o.name for o in SMALL]
    valid_inventions = [s for s in specs if s.valid_2020 and s.cohort.patent_type in (I, PCT)]
    for n, spec in enumerate(valid_inventions):
        if n < len(hte):
            spec.owners = (("org", hte[n]),)
        elif n % 10 < 7:
            spec.owners = (("org", _pick(hte, spec.k, 1)),)
        else:
            spec.owners = (("org", _pick(small, spec.k, 2)),)
    for spec in specs:
        if not spec.owners:
            shares = SHARES[spec.cohort.patent_type]
            r = (spec.k * 7) % 20
            if r < shares[0]:
                spec.owners = (("org", _pick(hte, spec.k, 3)),)
            elif r < shares[0] + shares[1]:
                spec.owners = (("org", _pick(above, spec.k, 4)),)
            elif r < shares[0] + shares[1] + shares[2]:
                spec.owners = (("org", _pick(small, spec.k, 5)),)
            else:
                spec.owners = (("person", *INDIVIDUALS[spec.k % len(INDIVIDUALS)]),)
        if spec.owners[0][0] == "org" and spec.k % 37 == 0:
            spec.owners += (("named", NEIGHBOUR, LIUCHENG),)
        if spec.owners[0][0] == "org" and spec.cohort.patent_type == I and spec.k % 23 == 5:
            spec.owners += (("named", UNIVERSITY, None),)


def _elsewhere(start: int) -> list[Spec]:
    """Patents of the 柳城县 company with a Luzhai high-tech enterprise as second owner: counted in 柳城县."""
    partners = ("广西鹿寨恒驰汽车零部件有限公司", "鹿寨县宏达汽车制动系统有限公司", "鹿寨县林机装备制造有限公司")
    rows = (
        (I, D(2016, 9, 12), D(2019, 4, 23)),
        (I, D(2017, 5, 8), D(2020, 8, 4)),
        (U, D(2016, 11, 21), D(2017, 6, 30)),
        (U, D(2018, 3, 5), D(2018, 10, 26)),
        (U, D(2019, 7, 15), D(2020, 2, 18)),
        (U, D(2020, 1, 9), D(2020, 9, 1)),
    )
    specs = []
    for n, (patent_type, filed, granted) in enumerate(rows):
        cohort = Cohort(f"elsewhere-{n}", patent_type, 1, (filed, filed), (granted, granted))
        owners = (("named", NEIGHBOUR, LIUCHENG), ("org", partners[n % len(partners)]))
        specs.append(Spec(start + n, cohort, filed, granted=granted, owners=owners, elsewhere=True))
    return specs


def demo_patents() -> list[Spec]:
    """Every demo patent, in a fixed order."""
    specs, k = [], 0
    for cohort in COHORTS:
        for _ in range(cohort.count):
            k += 1
            specs.append(_dates(k, cohort))
    _fates(specs)
    _owners(specs)
    return [*specs, *_elsewhere(k + 1)]


def _division(name: str) -> str:
    return next((o.division for o in (*HTES, *ABOVE_SCALE, *SMALL) if o.name == name), "")


def _title(spec: Spec, division: str) -> str:
    category = U if spec.cohort.patent_type == PatentType.PCT_UTILITY else spec.cohort.patent_type
    category = I if category == PCT else category
    topics = TOPICS.get(division) or TOPICS[""]
    topic = topics[(spec.k * 5) % len(topics)]
    patterns = PATTERNS[category]
    return patterns[(spec.k * 3) % len(patterns)].format(t=topic)


def _publication(spec: Spec) -> str:
    if spec.granted is None:
        return ""
    suffix = {I: "B", PCT: "B", U: "U", S: "S"}[spec.cohort.patent_type]
    return f"CN{(spec.k * 104729) % 900_000_000 + 100_000_000}{suffix}"


def _draft(spec: Spec, orgs: dict, regions: dict) -> PatentDraft:
    owners = []
    for entry in spec.owners:
        if entry[0] == "org":
            owners.append(OwnerSpec(name=entry[1], organisation=orgs[entry[1]]))
        elif entry[0] == "person":
            owners.append(OwnerSpec(name=entry[1], region=regions[TOWNSHIPS[entry[2]]]))
        else:
            owners.append(OwnerSpec(name=entry[1], region=regions[entry[2]] if entry[2] else None))
    patent_type = spec.cohort.patent_type
    year = min(spec.filed.year + 2, 2020) if patent_type == PCT else spec.filed.year
    acquisition = Acquisition.ASSIGNMENT if spec.transferred else Acquisition.OWN_RD
    first = spec.owners[0]
    division = _division(first[1]) if first[0] == "org" else ""
    if first[0] == "named":
        division = "35"
    patent = Patent(
        number=_number(spec.k, patent_type, year),
        patent_type=patent_type,
        title=_title(spec, division),
        application_date=spec.filed,
        publication_number=_publication(spec),
        acquisition=acquisition,
        inventors=_inventors(spec.k),
    )
    apply_owners(patent, owners)
    events = [(PatentStatus.PENDING.value, spec.filed)]
    if spec.granted:
        events.append((PatentStatus.GRANTED.value, spec.granted))
    if spec.refused:
        events.append((PatentStatus.REJECTED.value, spec.refused))
    if spec.transferred:
        events.append((PatentStatus.TRANSFERRED.value, spec.transferred))
    if spec.ended:
        events.append((str(spec.ended[0]), spec.ended[1]))
    for name, value in derive(patent, events).items():
        setattr(patent, name, value)
    return PatentDraft(patent, owners, events)


# --- other IP ------------------------------------------------------------------------------------------------

SYSTEMS = ("生产管理系统", "质量追溯系统", "设备远程监控平台", "仓储物流管理软件", "能耗监测系统", "工艺参数优化软件")
SOFTWARE_FIRMS = ("鹿寨县数联软件有限公司", "鹿寨县云数信息技术有限公司", "鹿寨县智造自动化设备有限公司")
# (organisation, kind, number, title, date, level, role)
OTHER_IP = (
    ("鹿寨县蚕桑科技有限公司", OtherIPKind.PLANT_VARIETY, "CNA20170571.2", "鹿桑1号（桑树）", D(2019, 7, 16), "", ""),
    ("鹿寨县虹晶珠光材料有限公司", OtherIPKind.STANDARD, "T/GXAS 081-2020", "绢云母基珠光颜料", D(2020, 9, 28),
     StandardLevel.GROUP, StandardRole.LEAD),
    ("广西鹿寨林丰木业有限公司", OtherIPKind.STANDARD, "DB45/T 2156-2020", "桉木单板旋切技术规程", D(2020, 6, 30),
     StandardLevel.LOCAL, StandardRole.PARTICIPANT),
    ("广西鹿寨恒驰汽车零部件有限公司", OtherIPKind.STANDARD, "QC/T 1197-2019", "汽车用铸铁制动盘技术条件",
     D(2019, 11, 11), StandardLevel.INDUSTRY, StandardRole.PARTICIPANT),
)  # fmt: skip


def _short(name: str) -> str:
    for prefix in ("广西鹿寨", "鹿寨县", "柳州"):
        name = name.removeprefix(prefix)
    return name.removesuffix("有限公司").removesuffix("科技").removesuffix("股份")


def _software(n: int, name: str, year: int) -> tuple:
    number = f"{year}SR{(n * 7919 + 300_000) % 900_000 + 100_000:07d}"
    title = f"{_short(name)}{SYSTEMS[n % len(SYSTEMS)]}V{1 + n % 3}.0"
    return name, OtherIPKind.SOFTWARE, number, title, _between(n, D(year, 1, 10), D(year, 12, 20)), "", ""


def demo_other_ip() -> list[tuple]:
    rows, n = [], 0
    for serial, org in enumerate(HTES):
        for i in range(1 + serial % 3):
            n += 1
            rows.append(_software(n, org.name, 2017 + (serial + i) % 4))
    for name in SOFTWARE_FIRMS:
        for year in (2019, 2020):
            n += 1
            rows.append(_software(n, name, year))
    return [*rows, *OTHER_IP]


# --- loading and counting --------------------------------------------------------------------------------------


def load(loader, orgs: dict) -> None:
    """Bulk-create the demo patents that are not stored yet (by application number); upsert the other IP."""
    specs = demo_patents()
    codes = {*TOWNSHIPS.values(), LIUCHENG}
    regions = {r.code: r for r in Region.objects.filter(code__in=codes)}
    drafts = [_draft(spec, orgs, regions) for spec in specs]
    stored = set(Patent.objects.filter(number__in=[d.patent.number for d in drafts]).values_list("number", flat=True))
    missing = [d for d in drafts if d.patent.number not in stored]
    with transaction.atomic():
        patents_bulk_write(actor=None, drafts=missing)
    loader.add({"created": len(missing), "unchanged": len(drafts) - len(missing)})
    rows = demo_other_ip()
    stored = set(OtherIP.objects.filter(number__in=[row[2] for row in rows]).values_list("kind", "number"))
    records = [
        OtherIP(organisation=orgs[name], kind=kind, number=number, title=title, date=day, standard_level=level,
                standard_role=role, acquisition=Acquisition.OWN_RD)
        for name, kind, number, title, day, level, role in rows
        if (kind, number) not in stored
    ]  # fmt: skip
    with transaction.atomic():
        other_ip_bulk_create(actor=None, records=records)
    loader.add({"created": len(records), "unchanged": len(rows) - len(records)})


def counts() -> dict:
    """The seed's patent figures for 鹿寨县, computed from the records by the selectors."""
    county = Region.objects.filter(code=COUNTY).first()
    if county is None:
        return {}
    applications = patent_applications(since=2016, until=2020, region=county)
    grants = patent_grants(since=2016, until=2020, region=county)
    per_10k = inventions_per_10k(region=county, year=2020)
    return {
        "patent_applications_2016_2020": applications.total,
        "patent_grants_2016_2020": grants.total,
        "invention_grants_2016_2020": grants.counts[PatentType.INVENTION],
        "utility_grants_2016_2020": grants.counts[PatentType.UTILITY],
        "design_grants_2016_2020": grants.counts[PatentType.DESIGN],
        "valid_inventions_2020": valid_inventions(day=END_2020, region=county).count(),
        "inventions_per_10k_2020": per_10k.quantize(Decimal("0.01"), ROUND_HALF_UP) if per_10k is not None else None,
        "patents": Patent.objects.count(),
        "software_copyrights": OtherIP.objects.filter(kind=OtherIPKind.SOFTWARE).count(),
        "other_ip": OtherIP.objects.count(),
    }
