"""Luzhai demo records of the innovation carriers registry (创新载体, 演示数据); see kechuang/orgs/demo.py.

DEMO DATA, not official records: carrier names, dates and document numbers are invented around the names the
seed plan itself uses (颐高众创空间, 电商孵化器, 鹿寨县中小型科技企业创业孵化基地, 知航知识产权交易平台,
水资源利用研究服务平台, 鹿寨经济开发区, 石墨烯产业园). What the records reproduce at the end of 2020 (seed ch.1 §1
and 专栏1): 4 engineering technology research centres, 5 enterprise technology centres, 1 key laboratory,
4 incubators and 7 maker spaces — the 21 innovation platforms of 专栏1 —, 5 small-business innovation bases,
4 small-business public service demonstration platforms (besides the water-resources research service
platform), no 自治区级 high-tech zone, and 86 tenants entering the incubators and maker spaces in 2016–2020
(“新增入驻企业80多家”). A revoked research centre and maker space, and carriers recognised after 2020, make the
year-end rule matter. 创业孵化基地 (6) and 商贸聚集区 (6) of the same sentence are human-resources and commerce
designations, not carriers of this registry.
"""

import datetime

from kechuang.core.audit import audit_bulk, snapshot
from kechuang.core.choices import AuditAction
from kechuang.orgs.choices import RecognitionLevel as L
from kechuang.regions.models import Region

from .choices import TENANT_CARRIERS
from .choices import CarrierKind as K
from .models import Carrier, Tenant
from .selectors import (
    carrier_counts,
    carriers_valid_at_year_end,
    innovation_platforms,
    tenants_entered,
    tenants_in_residence,
    year_end,
)

D = datetime.date
COUNTY = "450223"
TOWNSHIPS = {
    "鹿寨镇": "450223100",
    "中渡镇": "450223101",
    "寨沙镇": "450223102",
    "平山镇": "450223103",
    "黄冕镇": "450223104",
    "四排镇": "450223105",
}

# (type, name, level, host organisation or None, township when no host, recognised, revoked, document, demo,
#  area in m², notes)
CARRIERS = [
    (K.ETRC, "柳州市汽车零部件轻量化工程技术研究中心", L.CITY, "广西鹿寨恒驰汽车零部件有限公司", None,
     D(2016, 11, 18), None, "柳科发〔2016〕87号", False, None, ""),
    (K.ETRC, "广西珠光效应材料工程技术研究中心", L.REGION, "鹿寨县虹晶珠光材料有限公司", None,
     D(2018, 12, 10), None, "桂科计字〔2018〕215号", False, None, ""),
    (K.ETRC, "柳州市林产化工工程技术研究中心", L.CITY, "广西鹿寨鹿化科技有限公司", None,
     D(2017, 10, 25), None, "柳科发〔2017〕64号", False, None, ""),
    (K.ETRC, "柳州市石墨烯改性材料工程技术研究中心", L.CITY, "广西鹿寨烯源新材料科技有限公司", None,
     D(2019, 11, 6), None, "柳科发〔2019〕72号", False, None, ""),
    (K.ETRC, "柳州市人造板工程技术研究中心", L.CITY, "广西鹿寨林丰木业有限公司", None,
     D(2013, 9, 16), D(2019, 6, 28), "柳科发〔2013〕51号", False, None, "2019年绩效评价不合格，撤销认定"),
    (K.ETRC, "柳州市汽车制动系统工程技术研究中心", L.CITY, "鹿寨县宏达汽车制动系统有限公司", None,
     D(2021, 10, 20), None, "柳科发〔2021〕58号", False, None, ""),
    (K.ETC, "广西鹿寨恒驰汽车零部件有限公司企业技术中心", L.REGION, "广西鹿寨恒驰汽车零部件有限公司", None,
     D(2018, 12, 28), None, "桂工信科技〔2018〕1023号", False, None, ""),
    (K.ETC, "柳州鹿捷汽车配件有限公司企业技术中心", L.CITY, "柳州鹿捷汽车配件有限公司", None,
     D(2017, 8, 15), None, "柳工信技术〔2017〕36号", False, None, ""),
    (K.ETC, "广西鹿寨甘源糖业有限公司企业技术中心", L.CITY, "广西鹿寨甘源糖业有限公司", None,
     D(2016, 9, 20), None, "柳工信技术〔2016〕41号", False, None, ""),
    (K.ETC, "广西鹿寨鹿江纸业有限公司企业技术中心", L.CITY, "广西鹿寨鹿江纸业有限公司", None,
     D(2019, 9, 12), None, "柳工信技术〔2019〕29号", False, None, ""),
    (K.ETC, "鹿寨县桂中化工有限公司企业技术中心", L.CITY, "鹿寨县桂中化工有限公司", None,
     D(2015, 10, 8), None, "柳工信技术〔2015〕33号", False, None, ""),
    (K.KEY_LAB, "柳州市纳米滑石粉改性材料重点实验室", L.CITY, "鹿寨县纳滑新材料有限公司", None,
     D(2019, 12, 16), None, "柳科发〔2019〕88号", False, None, "按《柳州市重点实验室建设管理办法》认定"),
    (K.INCUBATOR, "鹿寨县中小型科技企业创业孵化基地", L.CITY, "鹿寨县众创科技服务有限公司", None,
     D(2016, 6, 20), None, "柳科发〔2016〕40号", False, 12000, "争取培育为国家级科技企业孵化器"),
    (K.INCUBATOR, "鹿寨县电商孵化器", L.COUNTY, None, "鹿寨镇",
     D(2017, 5, 10), None, "鹿科发〔2017〕12号", False, 3500, ""),
    (K.INCUBATOR, "鹿寨经济开发区科技企业孵化器", L.CITY, None, "鹿寨镇",
     D(2018, 8, 22), None, "柳科发〔2018〕49号", False, 8600, ""),
    (K.INCUBATOR, "广西石墨烯产业孵化器（鹿寨）", L.CITY, "广西鹿寨石墨烯应用技术研究院有限公司", None,
     D(2020, 9, 25), None, "柳科发〔2020〕61号", False, 5200, ""),
    (K.MAKER_SPACE, "颐高众创空间（鹿寨）", L.NATIONAL, None, "鹿寨镇",
     D(2017, 10, 16), None, "国科火字〔2017〕120号", False, 2600, "国家级众创空间（备案）"),
    (K.MAKER_SPACE, "鹿寨县大学生创业众创空间", L.COUNTY, None, "鹿寨镇",
     D(2016, 4, 18), None, "鹿科发〔2016〕9号", False, 1200, ""),
    (K.MAKER_SPACE, "鹿寨经济开发区众创空间", L.CITY, None, "鹿寨镇",
     D(2017, 6, 12), None, "柳科发〔2017〕38号", False, 1800, ""),
    (K.MAKER_SPACE, "中渡古镇文化创意众创空间", L.COUNTY, None, "中渡镇",
     D(2018, 5, 16), None, "鹿科发〔2018〕15号", False, 900, ""),
    (K.MAKER_SPACE, "黄冕林业科技众创空间", L.COUNTY, None, "黄冕镇",
     D(2018, 11, 9), None, "鹿科发〔2018〕31号", False, 1000, ""),
    (K.MAKER_SPACE, "鹿寨县农村电商众创空间", L.COUNTY, None, "寨沙镇",
     D(2019, 4, 25), None, "鹿科发〔2019〕10号", False, 800, ""),
    (K.MAKER_SPACE, "石墨烯应用众创空间", L.CITY, "广西鹿寨烯源新材料科技有限公司", None,
     D(2019, 10, 30), None, "柳科发〔2019〕70号", False, 1500, ""),
    (K.MAKER_SPACE, "平山镇农业科技众创空间", L.COUNTY, None, "平山镇",
     D(2016, 7, 8), D(2019, 12, 20), "鹿科发〔2016〕17号", False, 600, "运营不达标，2019年取消备案"),
    (K.SME_BASE, "鹿寨经济开发区小微企业创业创新基地", L.CITY, None, "鹿寨镇",
     D(2017, 12, 20), None, "鹿政办发〔2017〕86号", False, 56000, "小微企业创业创新基地城市示范"),
    (K.SME_BASE, "鹿寨县石墨烯产业园小微企业创业创新基地", L.CITY, None, "鹿寨镇",
     D(2018, 12, 18), None, "鹿政办发〔2018〕92号", False, 32000, "小微企业创业创新基地城市示范"),
    (K.SME_BASE, "鹿寨县电子商务产业园小微企业创业创新基地", L.COUNTY, None, "鹿寨镇",
     D(2017, 12, 20), None, "鹿政办发〔2017〕86号", False, 9000, "小微企业创业创新基地城市示范"),
    (K.SME_BASE, "中渡镇特色产业小微企业创业创新基地", L.COUNTY, None, "中渡镇",
     D(2018, 12, 18), None, "鹿政办发〔2018〕92号", False, 12000, "小微企业创业创新基地城市示范"),
    (K.SME_BASE, "黄冕镇林产品加工小微企业创业创新基地", L.COUNTY, None, "黄冕镇",
     D(2019, 6, 6), None, "鹿政办发〔2019〕41号", False, 15000, "小微企业创业创新基地城市示范"),
    (K.SERVICE_PLATFORM, "鹿寨县中小企业公共服务平台", L.CITY, "鹿寨县众创科技服务有限公司", None,
     D(2017, 9, 26), None, "柳工信中小〔2017〕22号", True, None, "小微企业公共服务示范平台"),
    (K.SERVICE_PLATFORM, "知航知识产权交易平台", L.CITY, "鹿寨县知识产权代理服务有限公司", None,
     D(2018, 10, 15), None, "柳工信中小〔2018〕27号", True, None, "小微企业公共服务示范平台"),
    (K.SERVICE_PLATFORM, "鹿寨县科技金融服务平台", L.COUNTY, None, "鹿寨镇",
     D(2019, 3, 20), None, "鹿政办发〔2019〕12号", True, None, "小微企业公共服务示范平台"),
    (K.SERVICE_PLATFORM, "鹿寨县检验检测公共服务平台", L.CITY, "鹿寨县科信检测技术服务有限公司", None,
     D(2019, 11, 22), None, "柳工信中小〔2019〕31号", True, None, "小微企业公共服务示范平台"),
    (K.SERVICE_PLATFORM, "鹿寨县水资源利用研究服务平台", L.COUNTY, "鹿寨县清泉供水有限公司", None,
     D(2019, 8, 8), None, "鹿科发〔2019〕21号", False, None, ""),
    (K.PARK, "鹿寨经济开发区", L.REGION, None, "鹿寨镇",
     D(2006, 3, 28), None, "桂政函〔2006〕47号", False, 15600000, "自治区级经济开发区；全国绿色循环化改造示范试点园区"),
    (K.PARK, "鹿寨县石墨烯产业园", L.COUNTY, None, "鹿寨镇",
     D(2018, 6, 8), None, "鹿政发〔2018〕19号", False, 2100000, "规划建设广西石墨烯小镇（鹿寨）"),
    (K.NEW_RD, "广西鹿寨石墨烯应用技术研究院", L.CITY, "广西鹿寨石墨烯应用技术研究院有限公司", None,
     D(2022, 8, 19), None, "柳科发〔2022〕44号", False, 3000, ""),
    (K.TECH_TRANSFER, "清华紫荆（柳州）技术转移中心鹿寨工作站", L.COUNTY, None, "鹿寨镇",
     D(2021, 6, 18), None, "鹿科发〔2021〕14号", False, None, "科技成果转移转化节点"),
]  # fmt: skip

# Demo organisations that were incubated: (organisation, carrier, entry, exit, graduated).
ORG_TENANTS = [
    ("鹿寨县数联软件有限公司", "鹿寨县中小型科技企业创业孵化基地", D(2016, 9, 5), D(2019, 8, 30), True),
    ("鹿寨县智农科技有限公司", "鹿寨县电商孵化器", D(2017, 7, 3), D(2020, 6, 30), True),
    ("鹿寨县云数信息技术有限公司", "颐高众创空间（鹿寨）", D(2018, 3, 12), None, False),
    ("鹿寨县新能源科技有限公司", "鹿寨经济开发区科技企业孵化器", D(2018, 9, 17), None, False),
    ("鹿寨县汽车电子科技有限公司", "鹿寨经济开发区科技企业孵化器", D(2019, 5, 20), None, False),
    ("鹿寨县纳米材料科技有限公司", "石墨烯应用众创空间", D(2019, 11, 25), None, False),
]

NEW_TENANTS_2016_2020 = 86  # the seed's “新增入驻企业80多家”
CORES = ["云创", "智农", "鹿鸣", "桂香", "山水", "星火", "绿源", "青禾", "众联", "乐业", "优品", "金穗", "蓝海",
         "启航", "匠心", "竹韵", "织锦", "晨光", "恒信", "新桥", "丰泽", "益农", "慧谷", "鹿途", "石韵", "碳谷",
         "烯望", "映山", "瑶乡", "古镇"]  # fmt: skip
TRADES = ["电子商务", "网络科技", "农业科技", "文化传媒", "信息技术", "生物科技", "新材料科技", "智能装备",
          "食品科技", "环保科技", "教育科技", "工业设计"]  # fmt: skip
# Entered after 2020: teams not yet registered as firms, and firms.
LATER_TENANTS = [
    ("鹿寨县鹿途电子商务有限公司", "鹿寨县电商孵化器", D(2021, 3, 8)),
    ("螺蛳粉冷链物流创业团队", "鹿寨县大学生创业众创空间", D(2021, 4, 12)),
    ("鹿寨县碳谷新材料科技有限公司", "广西石墨烯产业孵化器（鹿寨）", D(2021, 6, 21)),
    ("桑蚕智慧养殖创业团队", "黄冕林业科技众创空间", D(2021, 9, 1)),
    ("鹿寨县烯望智能装备有限公司", "广西石墨烯产业孵化器（鹿寨）", D(2022, 2, 14)),
    ("古镇研学旅行创业团队", "中渡古镇文化创意众创空间", D(2022, 5, 9)),
    ("鹿寨县映山农业科技有限公司", "鹿寨县农村电商众创空间", D(2022, 7, 18)),
    ("鹿寨县瑶乡食品科技有限公司", "颐高众创空间（鹿寨）", D(2023, 3, 6)),
]


def _firm(i: int) -> str:
    # Each core word meets a different trade at i, i + 30 and i + 60, so the 80 names are distinct.
    return f"鹿寨县{CORES[i % 30]}{TRADES[(i // 30 + i) % 12]}有限公司"


def _entry(i: int) -> D:
    year = 2016 + i % 5
    return D(year, 8 + i % 5 if year == 2016 else 1 + (i * 5) % 12, 1 + (i * 11) % 28)


def generated_tenants(carriers: list[tuple]) -> list[tuple[str, str, D, D | None, bool]]:
    """The incubated firms that are not demo organisations: (name, carrier, entry, exit, graduated)."""
    hosts = [c for c in carriers if c[0] in TENANT_CARRIERS]
    rows = []
    for i in range(NEW_TENANTS_2016_2020 - len(ORG_TENANTS)):
        entry = _entry(i)
        open_then = [c for c in hosts if c[5] <= entry and (c[6] is None or c[6] > entry)]
        carrier = open_then[(i // 5) % len(open_then)]  # round robin within each year
        leaves = D(entry.year + 2 + i % 2, 1 + (i * 7) % 12, 1 + (i * 3) % 28) if i % 3 == 0 else None
        revoked = carrier[6]
        if revoked is not None and (leaves is None or leaves > revoked):
            leaves = revoked  # a carrier that closes moves its tenants out
        rows.append((_firm(i), carrier[1], entry, leaves, leaves is not None and leaves != revoked and i % 2 == 0))
    return rows


def _load(loader, model, rows: list[tuple[dict, dict]]) -> list:
    """Bulk-create on a first run (one audit row per record, as upserts write); upsert one by one afterwards, so
    a second run only reads and a changed value is put back."""
    if model.objects.exists():
        return [loader.upsert(model, key, values) for key, values in rows]
    records = model.objects.bulk_create([model(**key, **values) for key, values in rows])
    audit_bulk(actor=None, action=AuditAction.CREATE, entries=[(r, None, snapshot(r)) for r in records])
    loader.add({"created": len(records)})
    return records


def load(loader, orgs: dict) -> None:
    """Load this registry's demo records (idempotent, by natural key)."""
    regions = {r.name: r for r in Region.objects.filter(code__in=TOWNSHIPS.values())}
    rows = []
    for kind, name, level, host, township, recognised, revoked, document, demo, area, notes in CARRIERS:
        place = {"host": orgs[host]} if host else {"region": regions[township]}
        other = {"region": None} if host else {"host": None}
        values = {"level": level, "recognised_date": recognised, "revoked_date": revoked, "document_number": document,
                  "demonstration": demo, "area": area, "notes": notes, **other}  # fmt: skip
        rows.append(({"kind": kind, "name": name, **place}, values))
    loaded = {carrier.name: carrier for carrier in _load(loader, Carrier, rows)}
    rows = [
        (
            {"carrier": loaded[carrier], "organisation": orgs[organisation], "entry_date": entry},
            {"team_name": "", "exit_date": leaves, "graduated": graduated, "notes": ""},
        )
        for organisation, carrier, entry, leaves, graduated in ORG_TENANTS
    ]
    later = [(name, carrier, entry, None, False) for name, carrier, entry in LATER_TENANTS]
    rows += [
        (
            {"carrier": loaded[carrier], "team_name": name, "entry_date": entry},
            {"organisation": None, "exit_date": leaves, "graduated": graduated, "notes": ""},
        )
        for name, carrier, entry, leaves, graduated in [*generated_tenants(CARRIERS), *later]
    ]
    _load(loader, Tenant, rows)


def counts() -> dict:
    """The demo facts of this registry, computed from the records through the plan-monitoring selectors."""
    county = Region.objects.filter(code=COUNTY).first()
    by_kind: dict[str, int] = {}
    for (kind, _level), n in carrier_counts(year=2020, region=county).items():
        by_kind[kind] = by_kind.get(kind, 0) + n
    platforms = carriers_valid_at_year_end(year=2020, region=county, kinds=[K.SERVICE_PLATFORM])
    zones = carriers_valid_at_year_end(year=2020, region=county, kinds=[K.HITECH_ZONE], level=L.REGION)
    return {
        "carriers_etrc_2020": by_kind.get(K.ETRC, 0),
        "carriers_etc_2020": by_kind.get(K.ETC, 0),
        "carriers_key_lab_2020": by_kind.get(K.KEY_LAB, 0),
        "carriers_incubator_2020": by_kind.get(K.INCUBATOR, 0),
        "carriers_maker_space_2020": by_kind.get(K.MAKER_SPACE, 0),
        "carriers_platforms_2020": innovation_platforms(year=2020, region=county).count(),
        "carriers_sme_base_2020": by_kind.get(K.SME_BASE, 0),
        "carriers_demonstration_platforms_2020": platforms.filter(demonstration=True).count(),
        "carriers_service_platforms_2020": platforms.count(),
        "carriers_hitech_zones_2020": zones.count(),
        "carriers_parks_2020": by_kind.get(K.PARK, 0),
        "tenants_new_2016_2020": tenants_entered(first_year=2016, last_year=2020, region=county).count(),
        "tenants_2020": tenants_in_residence(day=year_end(2020), region=county).count(),
    }
