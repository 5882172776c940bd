"""Luzhai demo records of the talents, S&T commissioners and their service logs (科技人才储备库、科技特派员) registry
(演示数据); see kechuang/orgs/demo.py.

Everything here is DEMO DATA: the people are invented (names drawn from common Guangxi surnames and given-name
characters; any likeness to a real person is coincidental), their identity numbers are synthetic Liuzhou
(4502xx) numbers that pass the GB 11643 check, and their titles and service logs are generated, deterministically,
so that the registry reproduces the seed plan's figures exactly:

- 536 senior and 1879 intermediate professionals at the end of 2020 (专栏2 rows 17/18): people whose highest
  title obtained by 2020-12-31 is 高级 / 中级. Titles change over time: seniors hold the intermediate title they
  had before; 72 intermediates become senior and 160 juniors intermediate in 2021–2025, so later year ends
  give other numbers;
- 5000 researchers (科研人员总数, 专栏2), flagged 研发人员, in the demo enterprises;
- the 十三五 commissioner programme (ch.1 §1): 47 commissioners (区、市、县级) on the 2016–2020 rosters, serving
  22 villages, with 1289 field visits (1195 on-site guidance + 94 demonstrations) over 1349 days, and 392
  trainings with 8211 trainees.

Loading is idempotent and fast: what is missing is bulk-created with one audit row per record (actor
"system"), matched by natural key (identity number via its keyed hash; person + level; person + year;
commissioner + date + village + kind); a second run only reads keys and creates nothing.
"""

import datetime

from django.db import transaction

from kechuang.core.audit import audit_bulk, snapshot
from kechuang.core.choices import AuditAction
from kechuang.core.validators import idcard_check_char
from kechuang.regions.models import Region

from . import identity, selectors
from .choices import CommissionerLevel, Education, ServiceKind
from .models import Commissioner, Person, ServiceLog, Title, person_region_q

__all__ = ["PEOPLE", "VILLAGES", "counts", "load", "people_plan"]

COUNTY = "450223"
PEOPLE = 5600
RESEARCHERS = 5000
SENIOR_2020 = 536
INTERMEDIATE_2020 = 1879
JUNIOR_2020 = 1300
PROMOTED_TO_SENIOR = 72  # intermediates at the end of 2020 who became senior in 2021–2025
PROMOTED_TO_INTERMEDIATE = 160  # juniors at the end of 2020 who became intermediate in 2021–2025
NEW_JUNIORS = 100  # first title in 2021–2025
TOWNSHIP_PEOPLE = 200  # agricultural technicians without an organisation, placed by their township
COMMISSIONERS = 47
GUIDANCE, DEMONSTRATIONS, VISIT_DAYS = 1195, 94, 1349
TRAININGS, TRAINEES = 392, 8211
YEARS = range(2016, 2021)
PERMUTATION = 1973  # coprime with PEOPLE: i → (i·1973 + 17) mod 5600 spreads the title groups over everyone

TOWNSHIPS = {
    "鹿寨镇": "450223100",
    "中渡镇": "450223101",
    "寨沙镇": "450223102",
    "平山镇": "450223103",
    "黄冕镇": "450223104",
    "四排镇": "450223105",
    "江口乡": "450223200",
    "导江乡": "450223201",
    "拉沟乡": "450223202",
}
# The 22 villages the commissioners served (贫困村), with the township and the local industry they supported.
VILLAGES = [
    ("中渡镇", "大兆村", "桑蚕"), ("中渡镇", "长盛村", "桑蚕"), ("中渡镇", "九简村", "水果种植"),
    ("寨沙镇", "龙岩村", "甘蔗种植"), ("寨沙镇", "同乐村", "甘蔗种植"), ("寨沙镇", "仁德村", "生猪养殖"),
    ("平山镇", "大坡村", "蔬菜种植"), ("平山镇", "六堡村", "蔬菜种植"),
    ("黄冕镇", "幽兰村", "油茶种植"), ("黄冕镇", "龙团村", "林下养鸡"), ("黄冕镇", "韦塘村", "油茶种植"),
    ("四排镇", "英山村", "沃柑种植"), ("四排镇", "思贤村", "沃柑种植"), ("四排镇", "六元村", "林下养鸡"),
    ("江口乡", "新兴村", "水产养殖"), ("江口乡", "欧洞村", "水产养殖"), ("江口乡", "江口村", "蔬菜种植"),
    ("导江乡", "导江村", "生猪养殖"), ("导江乡", "南岸村", "水果种植"), ("导江乡", "杨柳村", "桑蚕"),
    ("拉沟乡", "拉沟村", "中药材种植"), ("拉沟乡", "木龙村", "林下养鸡"),
]  # fmt: skip
SENDING_UNITS = {
    CommissionerLevel.REGION: ("广西壮族自治区农业科学院", "广西大学农学院"),
    CommissionerLevel.CITY: ("柳州市农业科学研究中心", "柳州市畜牧兽医站", "柳州职业技术学院"),
    CommissionerLevel.COUNTY: ("鹿寨县农业技术推广中心", "鹿寨县林业局", "鹿寨县水产畜牧兽医局", "鹿寨县农业农村局"),
}
# County-level commissioners sent by demo enterprises rather than by an agency (the sending unit is a record).
SENT_BY_ENTERPRISE = {20: "鹿寨县智农科技有限公司", 21: "鹿寨县蚕桑科技有限公司", 22: "鹿寨县林下经济科技有限公司"}

SURNAMES = "韦覃黄梁莫蓝李陈刘张王潘廖吴罗杨周蒙卢谢何钟邓赵曾林蒋唐欧龙胡苏陆朱徐孙马冯石谭农韩郑许宋"
MALE = "志伟强明军华建国海林勇斌杰涛峰鹏俊宇浩文鑫磊超刚平辉东荣成永春德宏新光庆金振忠世"
FEMALE = "丽芳敏静燕红霞玲娟梅艳琳婷秀兰萍雪慧颖洁莉倩晓春桂凤英丹云秋月琼珍"
# Liuzhou's county-level codes (4502xx): most people were born in the county, some elsewhere in the city.
BIRTH_PLACES = ("450223",) * 8 + ("450221", "450222", "450202", "450203", "450204", "450224", "450225", "450226")
FIELDS = {
    "36": "汽车零部件", "26": "化学工程", "30": "材料科学与工程", "20": "木材科学与技术", "22": "制浆造纸工程",
    "13": "食品科学与工程", "14": "食品科学与工程", "15": "食品科学与工程", "17": "纺织工程", "38": "电气工程",
    "39": "电子信息工程", "35": "机械工程", "34": "机械工程", "27": "药学", "33": "金属材料工程",
    "65": "软件工程", "75": "农业技术", "73": "新材料研发", "74": "检验检测", "10": "采矿工程", "44": "电力工程",
    "46": "给排水工程", "29": "高分子材料", "21": "家具设计与制造", "01": "中药材栽培", "77": "环境工程",
}  # fmt: skip
AGRI_FIELDS = ("农学", "园艺", "畜牧兽医", "林学", "水产养殖", "植物保护")
# Title names by field: (高级, 中级, 初级).
AGRI_TITLES = {
    "农学": ("高级农艺师", "农艺师", "助理农艺师"),
    "园艺": ("高级农艺师", "农艺师", "助理农艺师"),
    "植物保护": ("高级农艺师", "农艺师", "助理农艺师"),
    "畜牧兽医": ("高级兽医师", "兽医师", "助理兽医师"),
    "林学": ("林业高级工程师", "林业工程师", "林业助理工程师"),
    "水产养殖": ("高级水产工程师", "水产工程师", "助理水产工程师"),
}
ENGINEER = ("高级工程师", "工程师", "助理工程师")
ECONOMIST = ("高级经济师", "经济师", "助理经济师")
# Talent programmes of some seniors, by their place in the title groups (a few hold a regional title).
PROGRAMMES = (
    (1, ["八桂青年拔尖人才", "柳州市高层次人才"]),
    (4, ["广西高层次人才（D类）"]),
    (12, ["广西高层次人才（E类）"]),
    (40, ["柳州市高层次人才"]),
)
VISIT_TOPICS = {
    ServiceKind.GUIDANCE: "现场指导{industry}：病虫害防治和田间管理",
    ServiceKind.DEMONSTRATION: "示范推广{industry}新品种、新技术，建设示范基地",
    ServiceKind.TRAINING: "举办{industry}实用技术培训班",
}


def _mix(i: int, salt: int) -> int:
    """A deterministic pseudo-random number for person (or record) i (no RNG: the same every run)."""
    return ((i + 1) * 2654435761 + salt * 40503 + 7) % 4294967296 // 7


def _pick(sequence, i: int, salt: int):
    return sequence[_mix(i, salt) % len(sequence)]


def _split(total: int, weights: list[int]) -> list[int]:
    """An integer total split in proportion to weights, summing exactly (largest remainders, earlier first)."""
    whole = sum(weights)
    shares = [total * w / whole for w in weights]
    parts = [int(s) for s in shares]
    order = sorted(range(len(shares)), key=lambda i: (shares[i] - parts[i], -i), reverse=True)
    for i in order[: total - sum(parts)]:
        parts[i] += 1
    return parts


def _day(year: int, i: int, salt: int) -> datetime.date:
    return datetime.date(year, 1 + _mix(i, salt) % 12, 1 + _mix(i, salt + 1) % 28)


# --- the people ----------------------------------------------------------------------------------------------


def _title_years(group: str, i: int) -> tuple[dict[str, int], int]:
    """Title years by level, and the birth year, for person i of a title group."""

    def spread(salt: int, n: int) -> int:
        return _mix(i, salt) % n

    years: dict[str, int] = {}
    if group == "senior":
        years["senior"] = 2001 + spread(1, 20)
        years["intermediate"] = years["senior"] - 5 - spread(2, 5)
        years["junior"] = years["intermediate"] - 4 - spread(3, 3)
        return years, years["senior"] - 38 - spread(4, 10)
    if group in ("intermediate", "promoted_senior"):
        latest = 2020
        if group == "promoted_senior":
            years["senior"] = 2021 + spread(1, 5)
            latest = years["senior"] - 5
        years["intermediate"] = 1998 + spread(2, latest - 1998 + 1)
        years["junior"] = years["intermediate"] - 4 - spread(3, 3)
        return years, years["intermediate"] - 28 - spread(4, 8)
    if group in ("junior", "promoted_intermediate"):
        latest = 2020
        if group == "promoted_intermediate":
            years["intermediate"] = 2021 + spread(1, 5)
            latest = years["intermediate"] - 4
        years["junior"] = 2005 + spread(2, latest - 2005 + 1)
        return years, years["junior"] - 22 - spread(4, 5)
    if group == "new_junior":
        years["junior"] = 2021 + spread(2, 5)
        return years, years["junior"] - 22 - spread(4, 4)
    return years, 1975 + spread(4, 26)


def _position(i: int) -> int:
    """Person i's place in the title groups; the permutation spreads each group over researchers and others."""
    return (i * PERMUTATION + 17) % PEOPLE


def _group(i: int) -> str:
    """Which title group person i is in."""
    q = _position(i)
    bounds = (
        (SENIOR_2020, "senior"),
        (SENIOR_2020 + PROMOTED_TO_SENIOR, "promoted_senior"),
        (SENIOR_2020 + INTERMEDIATE_2020, "intermediate"),
        (SENIOR_2020 + INTERMEDIATE_2020 + PROMOTED_TO_INTERMEDIATE, "promoted_intermediate"),
        (SENIOR_2020 + INTERMEDIATE_2020 + JUNIOR_2020, "junior"),
        (SENIOR_2020 + INTERMEDIATE_2020 + JUNIOR_2020 + NEW_JUNIORS, "new_junior"),
    )
    return next((name for bound, name in bounds if q < bound), "none")


def _name(i: int, male: bool) -> str:
    chars = MALE if male else FEMALE
    given = _pick(chars, i, 11) + (_pick(chars, i, 12) if _mix(i, 13) % 10 < 7 else "")
    return _pick(SURNAMES, i, 10) + given


def _education(group: str, i: int) -> str:
    roll = _mix(i, 20) % 100
    if group in ("senior", "promoted_senior"):
        cut = ((4, Education.DOCTOR), (30, Education.MASTER), (88, Education.BACHELOR))
    elif group in ("intermediate", "promoted_intermediate"):
        cut = ((1, Education.DOCTOR), (14, Education.MASTER), (78, Education.BACHELOR))
    else:
        cut = ((0, Education.DOCTOR), (4, Education.MASTER), (55, Education.BACHELOR))
    return next((level for bound, level in cut if roll < bound), Education.COLLEGE)


def _id_number(i: int, birth_year: int, male: bool, taken: set) -> str:
    born = datetime.date(birth_year, 1 + _mix(i, 30) % 12, 1 + _mix(i, 31) % 28)
    place = _pick(BIRTH_PLACES, i, 32)
    serial = (i % 499) * 2 + (1 if male else 0)
    while True:
        first17 = f"{place}{born:%Y%m%d}{serial:03d}"
        if first17 not in taken:
            taken.add(first17)
            return first17 + idcard_check_char(first17)
        serial = (serial + 2) % 1000


def _workplaces(orgs: dict) -> list:
    """One organisation per person working in an enterprise, in proportion to its size (the demo's 万元)."""
    from kechuang.orgs.demo import ABOVE_SCALE, HTES, SMALL

    candidates = [o for o in (*HTES, *ABOVE_SCALE, *SMALL) if o.name in orgs]
    quotas = _split(PEOPLE - TOWNSHIP_PEOPLE, [max(o.size, 2500) for o in candidates])
    return [orgs[o.name] for o, quota in zip(candidates, quotas, strict=True) for _ in range(quota)]


def people_plan(orgs: dict, regions: dict) -> list[dict]:
    """Every demo person as values (without the protected number columns) plus ``number`` and ``titles``."""
    from kechuang.orgs.models import Organisation

    workplaces, taken, plan = _workplaces(orgs), set(), []
    ids = [o.pk for o in orgs.values()]
    industry = dict(Organisation.objects.filter(pk__in=ids).values_list("pk", "industry__code"))
    township_codes = list(TOWNSHIPS.values())
    for i in range(PEOPLE):
        group = _group(i)
        male = _mix(i, 1) % 100 < 62
        years, birth_year = _title_years(group, i)
        # Researchers are the first 5000; then the township technicians; then other staff of the enterprises.
        at_township = RESEARCHERS <= i < RESEARCHERS + TOWNSHIP_PEOPLE
        slot = i if i < RESEARCHERS else i - TOWNSHIP_PEOPLE
        organisation = None if at_township else workplaces[slot]
        field = _pick(AGRI_FIELDS, i, 40) if at_township else FIELDS.get(industry[organisation.pk], "工程技术")
        names = AGRI_TITLES.get(field) or (ECONOMIST if _mix(i, 41) % 10 == 0 else ENGINEER)
        titles = {
            level: {"name": names[("senior", "intermediate", "junior").index(level)], "year": year}
            for level, year in years.items()
        }
        plan.append(
            {
                "number": _id_number(i, birth_year, male, taken),
                "titles": titles,
                "name": _name(i, male),
                "organisation": organisation,
                "region": regions[_pick(township_codes, i, 42)] if at_township else None,
                "field": field,
                "education": _education(group, i),
                "is_researcher": i < RESEARCHERS,
                "programmes": next((list(p) for bound, p in PROGRAMMES if _position(i) < bound), []),
                "phone": f"1397721{i:04d}" if at_township else "",
            }
        )
    return plan


# --- the commissioners and their service logs ------------------------------------------------------------------


def _roster() -> list[tuple[int, int, int]]:
    """(commissioner k, year, village index): each of the 47 serves one village for two to five years."""
    rows = []
    for k in range(COMMISSIONERS):
        first = 2016 + k % 3
        last = 2020 - (k // 3) % 2
        rows += [(k, year, k % len(VILLAGES)) for year in range(first, last + 1)]
    return rows


def _level(k: int) -> str:
    return CommissionerLevel.REGION if k < 5 else CommissionerLevel.CITY if k < 15 else CommissionerLevel.COUNTY


def _logs(roster: list) -> list[list[tuple[str, int, int]]]:
    """(kind, days, trainees) of every log, per roster row, adding up to the seed's figures."""
    weights = [3 + _mix(r, 50) % 5 for r in range(len(roster))]
    guidance, demos, trainings = _split(GUIDANCE, weights), _split(DEMONSTRATIONS, weights), _split(TRAININGS, weights)
    trainees = _split(TRAINEES, [12 + _mix(t, 51) % 20 for t in range(TRAININGS)])
    extra_days = VISIT_DAYS - GUIDANCE - DEMONSTRATIONS  # visits that took two days
    logs, visit, training = [], 0, 0
    for row in range(len(roster)):
        entries = []
        for kind, count in ((ServiceKind.GUIDANCE, guidance[row]), (ServiceKind.DEMONSTRATION, demos[row])):
            for _ in range(count):
                entries.append((kind, 2 if visit % 21 == 0 and visit // 21 < extra_days else 1, 0))
                visit += 1
        for _ in range(trainings[row]):
            entries.append((ServiceKind.TRAINING, 1, trainees[training]))
            training += 1
        logs.append(entries)
    return logs


def _content(kind: str, industry: str, i: int) -> str:
    text = VISIT_TOPICS[kind].format(industry=industry)
    return f"{text}（第{i + 1}次）" if kind != ServiceKind.TRAINING else f"{text}，发放技术资料"


# --- loading -----------------------------------------------------------------------------------------------------


def _bulk(model, objects: list) -> int:
    for start in range(0, len(objects), 1000):
        chunk = objects[start : start + 1000]
        model.objects.bulk_create(chunk)
        audit_bulk(actor=None, action=AuditAction.CREATE, entries=[(o, None, snapshot(o)) for o in chunk])
    return len(objects)


def _load_people(plan: list[dict]) -> tuple[dict[str, Person], int, int]:
    """The people and their titles; returns the people by keyed hash, and how many records were created / left."""
    for entry in plan:
        entry["hash"] = identity.lookup_hash(entry["number"])
    existing = {p.id_number_hash: p for p in Person.objects.filter(id_number_hash__in=[e["hash"] for e in plan])}
    new = []
    for entry in plan:
        if entry["hash"] not in existing:
            person = Person(**{k: v for k, v in entry.items() if k not in ("number", "titles", "hash")})
            person.set_id_number(entry["number"])
            new.append(person)
    people_created = _bulk(Person, new)
    people = existing | {p.id_number_hash: p for p in new}
    held = set(Title.objects.filter(person__in=people.values()).values_list("person_id", "level"))
    titles = [
        Title(person=people[entry["hash"]], level=level, name=t["name"], obtained=_day(t["year"], i, 60 + len(level)))
        for i, entry in enumerate(plan)
        for level, t in entry["titles"].items()
        if (people[entry["hash"]].pk, level) not in held
    ]
    titles_created = _bulk(Title, titles)
    return people, people_created + titles_created, len(plan) - people_created + len(held)


def _load_commissioners(plan_people: list[Person], orgs: dict, regions: dict) -> tuple[int, int]:
    roster = _roster()
    existing = {(c.person_id, c.year): c for c in Commissioner.objects.filter(person__in=plan_people)}
    new = []
    for k, year, village in roster:
        if (plan_people[k].pk, year) in existing:
            continue
        township, name, industry = VILLAGES[village]
        level = _level(k)
        unit = orgs.get(SENT_BY_ENTERPRISE.get(k, ""))
        new.append(
            Commissioner(
                person=plan_people[k],
                year=year,
                level=level,
                township=regions[TOWNSHIPS[township]],
                village=name,
                sending_unit=unit,
                sending_unit_name="" if unit else _pick(SENDING_UNITS[level], k, 70),
                field=industry,
            )
        )
    created = _bulk(Commissioner, new)
    rows = {(c.person_id, c.year): c for c in Commissioner.objects.filter(person__in=plan_people)}
    logs_created, logs_unchanged = _load_logs(roster, plan_people, rows)
    return created + logs_created, len(roster) - created + logs_unchanged


def _load_logs(roster, plan_people, rows) -> tuple[int, int]:
    existing = set(
        ServiceLog.objects.filter(commissioner__in=rows.values()).values_list(
            "commissioner_id", "date", "village", "kind"
        )
    )
    new, total = [], 0
    for (k, year, village), entries in zip(roster, _logs(roster), strict=True):
        commissioner = rows[(plan_people[k].pk, year)]
        industry = VILLAGES[village][2]
        step = 360 // max(len(entries), 1)
        for j, (kind, days, trainees) in enumerate(entries):
            total += 1
            day = datetime.date(year, 1, 1) + datetime.timedelta(days=j * step + k % 5)
            if (commissioner.pk, day, commissioner.village, kind) in existing:
                continue
            new.append(
                ServiceLog(
                    commissioner=commissioner,
                    date=day,
                    village=commissioner.village,
                    kind=kind,
                    days=days,
                    trainees=trainees,
                    content=_content(kind, industry, j),
                )
            )
    created = _bulk(ServiceLog, new)
    return created, total - created


@transaction.atomic
def load(loader, orgs: dict) -> None:
    """Create what is missing of this registry's demo records (bulk, audited); a second run creates nothing."""
    regions = {r.code: r for r in Region.objects.filter(code__in=TOWNSHIPS.values())}
    plan = people_plan(orgs, regions)
    people, created, unchanged = _load_people(plan)
    # The commissioners are township technicians (people 5000–5199): every fourth of them.
    serving = [people[plan[RESEARCHERS + 4 * k]["hash"]] for k in range(COMMISSIONERS)]
    roster_created, roster_unchanged = _load_commissioners(serving, orgs, regions)
    loader.add({"created": created + roster_created, "unchanged": unchanged + roster_unchanged})


def counts() -> dict:
    """The demo facts of this registry, computed from the records through the plan-monitoring selectors."""
    county = Region.objects.get(code=COUNTY)
    figures = selectors.commissioner_figures(year_from=YEARS[0], year_to=YEARS[-1], region=county)
    return {
        "talent_people": Person.objects.filter(person_region_q(county.path)).count(),
        "talent_senior_2020": selectors.senior_professionals(year=2020, region=county).count(),
        "talent_intermediate_2020": selectors.intermediate_professionals(year=2020, region=county).count(),
        "talent_researchers": selectors.researchers(region=county).count(),
        "commissioners_2016_2020": figures.commissioners,
        "commissioner_visits_2016_2020": figures.visits,
        "commissioner_days_2016_2020": figures.days,
        "commissioner_villages_2016_2020": figures.villages,
        "commissioner_trainings_2016_2020": figures.trainings,
        "commissioner_trainees_2016_2020": figures.trainees,
    }
