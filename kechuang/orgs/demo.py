"""Luzhai demo data (鹿寨县演示数据): a synthetic county whose records add up to the seed plan's 2020 figures.

Everything here is DEMO DATA, not official statistics. Organisation names are invented (any likeness to a
real firm is coincidental), their credit codes are synthetic but pass the GB 32100 check, and the resident
population of 鹿寨县 for 2015–2025 is a plausible series of about 36万 people with source "演示数据". Its
2020 value, 361600, is chosen so that an invention-patent stock of 81 gives the seed's 2.24 per 10,000 people.

What the records reproduce exactly (seed ch.1 §1, 专栏1, 专栏2):

- 25 high-tech enterprises (高新技术企业) hold a certificate valid on 2020-12-31, and 3 on 2015-12-31.
  A certificate is valid for three years from its issue date, so one issued in year Y counts at the end of
  Y, Y+1 and Y+2; the holders at each year end are 3, 6, 10, 15, 22, 25 (2015–2020). One enterprise's
  2016 certificate lapses in 2019 without renewal; 3 enterprises are first recognised in 2020 (the seed's
  2020 "新增规模以上高新技术企业 3").
- Their 2020 营业收入 (``total_income``) sums to 29.9 亿元 = 2,990,000,000.00 元.
- 101 above-scale (规模以上) industrial enterprises have 2020 industrial output (工业总产值) summing to
  195.11 亿元. The 25 high-tech enterprises are among the 101: the seed's ratio is named "规上高新技术企业
  总产值占工业总产值的比重", a part of the whole, and a high-tech enterprise with 1.2 亿元 average income is
  far above the 2000万元 threshold. Their output sums to 36.00 亿元: 36.00 / 195.11 = 18.4511…%, which
  rounds to the seed's 18.45%.
- Above-scale R&D expense over sales revenue (主营业务收入) is 1.80% (专栏1 row 2).
- 24 tech-SME registrations (科技型中小企业入库), one per enterprise, 2016–2020; 2 gazelle enterprises (瞪羚企业).
- Exactly 3 organisations sit in the graphene park (入驻石墨烯企业数量达到3家).

Only above-scale enterprises carry ``industrial_output``, so the output total is the same whether a metric
sums every 2020 figure or only those of above-scale enterprises. Amounts are whole 千元 (as statistics
report them), stored in 元 with 2 decimals. Loading is idempotent: every record is matched by a natural key
(credit code; organisation and year; certificate number; …), and a second run creates and saves nothing.
Creations are audited with actor "system". A credit code is derived from the organisation's position in
``ORGANISATIONS``, so add new organisations only at the end of that list (after the providers).
"""

import datetime
import importlib
from collections import Counter
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.db.models import Exists, OuterRef, Sum
from django.utils.translation import gettext

from kechuang.core.validators import uscc_check_char
from kechuang.regions.models import Population, Region
from kechuang.regions.services import ImportResult, load_builtin_regions, population_import

from .choices import CertificateKind, FigureSource, OrgKind, RecognitionLevel, ReviewStatus, ServiceType
from .models import AnnualFigures, Certificate, Industry, Organisation, Pool, PoolMembership, ServiceRecord
from .reference import load_industries, load_pools, system_upsert
from .selectors import approved_figures, hte_valid_q
from .services import pinyin_initials

__all__ = ["DEMO_SOURCE", "ORGANISATIONS", "apportion", "demo_counts", "demo_uscc", "load_demo"]

DEMO_SOURCE = "演示数据"
COUNTY = "450223"
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
ZONE = "鹿寨经济开发区"
STATISTICS_BASIS = "统计年报口径"
REPORT_BASIS = "企业财务报表口径"
GRAPHENE_PARK = "鹿寨县石墨烯产业园"

# Demo values, not official statistics (see the module docstring).
POPULATION = {
    2015: 367200,
    2016: 366500,
    2017: 365700,
    2018: 364600,
    2019: 363200,
    2020: 361600,
    2021: 360300,
    2022: 359100,
    2023: 358000,
    2024: 357000,
    2025: 356100,
}

CENT = Decimal("0.01")
THOUSAND = Decimal(1000)
YI = Decimal(100_000_000)
WAN = Decimal(10_000)
HTE_INCOME_2020 = Decimal("2990000000.00")  # 高新技术企业营业收入 29.9 亿元
ABOVE_SCALE_OUTPUT_2020 = Decimal("19511000000.00")  # 规上工业总产值 195.11 亿元
HTE_OUTPUT_2020 = Decimal("3600000000.00")  # 36.00 / 195.11 → 18.45%
ABOVE_SCALE_RD_RATIO = Decimal("0.018")  # 规上工业企业研发经费支出与主营业务收入之比

# One batch of high-tech certificates a year, issued late in the year as Guangxi's batches are.
HTE_BATCHES = {
    2013: datetime.date(2013, 12, 3),
    2014: datetime.date(2014, 11, 20),
    2015: datetime.date(2015, 11, 30),
    2016: datetime.date(2016, 12, 7),
    2017: datetime.date(2017, 11, 27),
    2018: datetime.date(2018, 11, 30),
    2019: datetime.date(2019, 12, 2),
    2020: datetime.date(2020, 12, 1),
}


@dataclass(frozen=True)
class Org:
    """One demo organisation: what it is, where, and its certificate history."""

    name: str
    division: str
    township: str
    size: int  # 万元: relative size for apportioning the totals; a small firm's 2020 income
    park: str = ""
    domain: int | None = None
    hte: tuple[int, ...] = ()  # issue years of its high-tech certificates
    tsme: int | None = None  # year of its tech-SME registration
    kind: str = OrgKind.ENTERPRISE


# The 25 high-tech enterprises valid at the end of 2020; all above-scale industrial enterprises.
HTES = [
    Org("广西鹿寨恒驰汽车零部件有限公司", "36", "鹿寨镇", 42000, ZONE, 8, (2013, 2016, 2019)),
    Org("广西鹿寨鹿化科技有限公司", "26", "鹿寨镇", 35000, ZONE, 7, (2014, 2017, 2020)),
    Org("鹿寨县虹晶珠光材料有限公司", "26", "鹿寨镇", 26000, ZONE, 4, (2015, 2018)),
    Org("广西鹿寨烯源新材料科技有限公司", "30", "鹿寨镇", 12000, GRAPHENE_PARK, 4, (2016, 2019)),
    Org("广西鹿寨林丰木业有限公司", "20", "黄冕镇", 18000, "", 4, (2016, 2019)),
    Org("柳州鹿捷汽车配件有限公司", "36", "鹿寨镇", 22000, ZONE, 8, (2017, 2020)),
    Org("鹿寨县纳滑新材料有限公司", "30", "鹿寨镇", 9000, ZONE, 4, (2017, 2020)),
    Org("广西鹿寨鹿江纸业有限公司", "22", "鹿寨镇", 15000, ZONE, 7, (2017, 2020)),
    Org("鹿寨县瑞通汽车内饰件有限公司", "36", "鹿寨镇", 11000, ZONE, 8, (2017, 2020)),
    Org("鹿寨县彩虹纳米涂料有限公司", "26", "鹿寨镇", 4500, ZONE, 4, (2018,), 2017),
    Org("鹿寨县智联电子科技有限公司", "39", "鹿寨镇", 3800, ZONE, 1, (2018,), 2017),
    Org("广西鹿寨甘源糖业有限公司", "13", "寨沙镇", 16000, "", 2, (2018,)),
    Org("广西鹿寨丝源茧丝绸有限公司", "17", "中渡镇", 6500, "", 8, (2018,)),
    Org("鹿寨县宏达汽车制动系统有限公司", "36", "鹿寨镇", 13000, ZONE, 8, (2018,)),
    Org("鹿寨县彩晶化工新材料有限公司", "26", "鹿寨镇", 5200, ZONE, 4, (2019,), 2018),
    Org("鹿寨县竹韵竹木制品有限公司", "20", "中渡镇", 4200, "", 4, (2019,), 2018),
    Org("鹿寨县林机装备制造有限公司", "35", "平山镇", 3500, "", 8, (2019,), 2018),
    Org("鹿寨县汇联汽车电器有限公司", "36", "鹿寨镇", 9800, ZONE, 8, (2019,)),
    Org("广西鹿寨烯能电池材料有限公司", "38", "鹿寨镇", 8000, GRAPHENE_PARK, 6, (2019,)),
    Org("广西鹿寨瑶康药业有限公司", "27", "鹿寨镇", 6000, "", 2, (2019,)),
    Org("鹿寨县平山新型建材有限公司", "30", "平山镇", 14000, "", 7, (2019,)),
    Org("鹿寨县森宝人造板有限公司", "20", "寨沙镇", 10000, "", 4, (2019,)),
    Org("鹿寨县精铸汽车零部件有限公司", "36", "鹿寨镇", 5000, ZONE, 8, (2020,), 2019),
    Org("鹿寨县滑石新材料科技有限公司", "30", "鹿寨镇", 4000, ZONE, 4, (2020,), 2019),
    Org("鹿寨县精密模具有限公司", "35", "鹿寨镇", 3000, ZONE, 8, (2020,), 2019),
]

# The other 76 above-scale industrial enterprises; 鹿寨县林化科技 held a 2016 certificate that lapsed in 2019.
ABOVE_SCALE = [
    Org("鹿寨县通达汽车零部件有限公司", "36", "鹿寨镇", 38000, ZONE),
    Org("柳州鹿丰汽车配件制造有限公司", "36", "鹿寨镇", 25000, ZONE),
    Org("鹿寨县华翔汽车冲压件有限公司", "36", "鹿寨镇", 30000, ZONE),
    Org("鹿寨县宏运车桥有限公司", "36", "鹿寨镇", 21000, ZONE),
    Org("鹿寨县锦程汽车塑料件有限公司", "36", "鹿寨镇", 12000, ZONE),
    Org("鹿寨县恒力汽车弹簧有限公司", "36", "鹿寨镇", 8000, ZONE),
    Org("鹿寨县顺达汽车线束有限公司", "36", "鹿寨镇", 9500, ZONE),
    Org("鹿寨县金桥汽车减震器有限公司", "36", "鹿寨镇", 7000, ZONE),
    Org("鹿寨县鑫源汽车散热器有限公司", "36", "鹿寨镇", 6000, ZONE),
    Org("鹿寨县安驰汽车饰件有限公司", "36", "鹿寨镇", 5000, ZONE),
    Org("广西鹿寨鹿森木业有限公司", "20", "黄冕镇", 24000),
    Org("鹿寨县黄冕林产品加工有限公司", "20", "黄冕镇", 16000),
    Org("鹿寨县寨沙胶合板有限公司", "20", "寨沙镇", 9000),
    Org("鹿寨县中渡单板加工有限公司", "20", "中渡镇", 5000),
    Org("鹿寨县四排木业有限公司", "20", "四排镇", 6500),
    Org("鹿寨县拉沟林木加工有限公司", "20", "拉沟乡", 4000),
    Org("鹿寨县导江木材加工有限公司", "20", "导江乡", 4500),
    Org("鹿寨县绿林生态板材有限公司", "20", "鹿寨镇", 18000, ZONE),
    Org("鹿寨县桉源木业有限公司", "20", "平山镇", 7500),
    Org("鹿寨县华森人造板有限公司", "20", "寨沙镇", 13000),
    Org("鹿寨县长青刨花板有限公司", "20", "鹿寨镇", 11000, ZONE),
    Org("鹿寨县嘉木细木工板有限公司", "20", "黄冕镇", 3500),
    Org("鹿寨县翠竹竹制品有限公司", "20", "中渡镇", 3000),
    Org("鹿寨县鑫林木业有限公司", "20", "江口乡", 5500),
    Org("鹿寨县雅居家具有限公司", "21", "鹿寨镇", 4000),
    Org("鹿寨县木艺家具制造有限公司", "21", "四排镇", 3200),
    Org("鹿寨县鹿山水泥有限公司", "30", "平山镇", 42000),
    Org("鹿寨县鹿华水泥有限公司", "30", "鹿寨镇", 36000),
    Org("鹿寨县新型墙体材料有限公司", "30", "平山镇", 6000),
    Org("鹿寨县通力商品混凝土有限公司", "30", "鹿寨镇", 9000),
    Org("鹿寨县白云滑石粉有限公司", "30", "鹿寨镇", 5000),
    Org("鹿寨县新型保温材料有限公司", "30", "鹿寨镇", 8000, ZONE, 4),
    Org("鹿寨县建华石材有限公司", "30", "中渡镇", 3500),
    Org("鹿寨县金瓷陶瓷有限公司", "30", "四排镇", 4800),
    Org("鹿寨县恒基管桩有限公司", "30", "鹿寨镇", 11000),
    Org("鹿寨县碳素制品有限公司", "30", "江口乡", 7000),
    Org("鹿寨县桂中化工有限公司", "26", "鹿寨镇", 52000, ZONE),
    Org("鹿寨县丰源复合肥有限公司", "26", "鹿寨镇", 15000),
    Org("鹿寨县松香化工有限公司", "26", "黄冕镇", 9000),
    Org("鹿寨县林化科技有限公司", "26", "鹿寨镇", 7500, ZONE, 4, (2016,)),
    Org("鹿寨县宝彩颜料有限公司", "26", "鹿寨镇", 6500, ZONE, 4),
    Org("鹿寨县清源水处理剂有限公司", "26", "鹿寨镇", 4200),
    Org("鹿寨县中渡茧丝绸有限公司", "17", "中渡镇", 8000),
    Org("鹿寨县平山缫丝有限公司", "17", "平山镇", 5000),
    Org("鹿寨县四排桑蚕丝绸有限公司", "17", "四排镇", 4000),
    Org("鹿寨县锦丝纺织有限公司", "17", "鹿寨镇", 3600),
    Org("鹿寨县寨沙绢纺有限公司", "17", "寨沙镇", 3000),
    Org("鹿寨县导江丝织品有限公司", "17", "导江乡", 3300),
    Org("鹿寨县寨沙制糖有限公司", "13", "寨沙镇", 30000),
    Org("鹿寨县四排糖业有限公司", "13", "四排镇", 22000),
    Org("鹿寨县丰牧饲料有限公司", "13", "鹿寨镇", 8000),
    Org("鹿寨县粮油加工有限公司", "13", "鹿寨镇", 4000),
    Org("鹿寨县鹿原肉类加工有限公司", "13", "鹿寨镇", 4500),
    Org("鹿寨县农副产品加工有限公司", "13", "中渡镇", 3000),
    Org("鹿寨县桂鹿纸业有限公司", "22", "鹿寨镇", 20000, ZONE),
    Org("鹿寨县包装纸板有限公司", "22", "鹿寨镇", 6000),
    Org("鹿寨县生活用纸有限公司", "22", "鹿寨镇", 4500),
    Org("鹿寨县蔗渣浆纸有限公司", "22", "寨沙镇", 9000),
    Org("鹿寨县江口电镀有限公司", "33", "江口乡", 4000),
    Org("鹿寨县钢构制品有限公司", "33", "鹿寨镇", 7000),
    Org("鹿寨县五金制品有限公司", "33", "鹿寨镇", 3500),
    Org("鹿寨县金属表面处理有限公司", "33", "江口乡", 3200),
    Org("鹿寨县通用机械制造有限公司", "34", "鹿寨镇", 5500, ZONE),
    Org("鹿寨县液压件有限公司", "34", "鹿寨镇", 4200, ZONE),
    Org("鹿寨县电线电缆有限公司", "38", "鹿寨镇", 9000, ZONE),
    Org("鹿寨县电机制造有限公司", "38", "鹿寨镇", 4500, ZONE),
    Org("鹿寨县香满园食品有限公司", "14", "鹿寨镇", 3800),
    Org("鹿寨县螺蛳粉食品有限公司", "14", "鹿寨镇", 6000),
    Org("鹿寨县山泉饮品有限公司", "15", "中渡镇", 3000),
    Org("鹿寨县滑石矿业有限公司", "10", "鹿寨镇", 5000),
    Org("鹿寨县石灰石矿业有限公司", "10", "平山镇", 4000),
    Org("鹿寨县砂石开采有限公司", "10", "导江乡", 3500),
    Org("鹿寨县水电开发有限公司", "44", "江口乡", 8000),
    Org("鹿寨县热电有限公司", "44", "鹿寨镇", 12000, ZONE),
    Org("鹿寨县清泉供水有限公司", "46", "鹿寨镇", 5000),
    Org("鹿寨县塑胶制品有限公司", "29", "鹿寨镇", 5500, ZONE),
]

# Small tech firms below the above-scale threshold; each registered once as a tech SME.
SMALL = [
    Org("鹿寨县智农科技有限公司", "75", "鹿寨镇", 600, "", 2, (), 2016),
    Org("鹿寨县绿源生物科技有限公司", "26", "鹿寨镇", 900, "", 2, (), 2016),
    Org("鹿寨县数联软件有限公司", "65", "鹿寨镇", 450, "", 1, (), 2017),
    Org("鹿寨县科信检测技术服务有限公司", "74", "鹿寨镇", 380, "", 5, (), 2018),
    Org("鹿寨县纳米材料科技有限公司", "30", "鹿寨镇", 1500, ZONE, 4, (), 2018),
    Org("鹿寨县蚕桑科技有限公司", "75", "中渡镇", 320, "", 2, (), 2019),
    Org("鹿寨县竹木新材料科技有限公司", "20", "黄冕镇", 1200, "", 4, (), 2019),
    Org("鹿寨县新能源科技有限公司", "38", "鹿寨镇", 1600, ZONE, 6, (), 2019),
    Org("鹿寨县智造自动化设备有限公司", "34", "鹿寨镇", 1800, ZONE, 8, (), 2020),
    Org("鹿寨县云数信息技术有限公司", "65", "鹿寨镇", 520, "", 1, (), 2020),
    Org("鹿寨县环保科技有限公司", "77", "鹿寨镇", 700, "", 7, (), 2020),
    Org("鹿寨县珠光新材料科技有限公司", "26", "鹿寨镇", 1300, ZONE, 4, (), 2020),
    Org("鹿寨县汽车电子科技有限公司", "39", "鹿寨镇", 1100, ZONE, 1, (), 2020),
    Org("鹿寨县中药材科技开发有限公司", "01", "拉沟乡", 350, "", 2, (), 2020),
    Org("鹿寨县林下经济科技有限公司", "75", "导江乡", 300, "", 2, (), 2020),
    Org("广西鹿寨石墨烯应用技术研究院有限公司", "73", "鹿寨镇", 650, GRAPHENE_PARK, 4, (), 2020),
]

PROVIDERS = [
    Org("鹿寨县众创科技服务有限公司", "75", "鹿寨镇", 0, kind=OrgKind.PROVIDER),
    Org("鹿寨县知识产权代理服务有限公司", "75", "鹿寨镇", 0, kind=OrgKind.PROVIDER),
]

ORGANISATIONS = [*HTES, *ABOVE_SCALE, *SMALL, *PROVIDERS]

GAZELLES = {"广西鹿寨烯源新材料科技有限公司": 2019, "广西鹿寨烯能电池材料有限公司": 2020}

_RESERVE_REASON = "科技型中小企业，研发投入强度和知识产权基础较好，具备三年内申报高新技术企业的条件"
# (pool code, organisation, entry year, entry reason, exit year, exit reason)
MEMBERSHIPS = [
    ("hte-reserve", "鹿寨县林化科技有限公司", 2020, "高新技术企业证书2019年到期未重新认定，列入后备重新培育", None, ""),
    ("hte-reserve", "鹿寨县宝彩颜料有限公司", 2020, "规上企业，主导产品属新材料领域，研发投入逐年增加", None, ""),
    ("hte-reserve", "鹿寨县新型保温材料有限公司", 2020, "规上企业，已拥有发明专利，研发组织较完善", None, ""),
    *[
        ("hte-reserve", name, 2020, _RESERVE_REASON, None, "")
        for name in (
            "鹿寨县数联软件有限公司",
            "鹿寨县科信检测技术服务有限公司",
            "鹿寨县纳米材料科技有限公司",
            "鹿寨县竹木新材料科技有限公司",
            "鹿寨县新能源科技有限公司",
            "鹿寨县智造自动化设备有限公司",
            "鹿寨县珠光新材料科技有限公司",
        )
    ],
    *[
        ("hte-reserve", name, 2019, _RESERVE_REASON, 2020, "2020年通过高新技术企业认定")
        for name in ("鹿寨县精铸汽车零部件有限公司", "鹿寨县滑石新材料科技有限公司", "鹿寨县精密模具有限公司")
    ],
    *[
        ("high-growth-tsme", name, 2020, "近两年营业收入和研发投入保持较快增长", None, "")
        for name in (
            "鹿寨县纳米材料科技有限公司",
            "鹿寨县智造自动化设备有限公司",
            "鹿寨县云数信息技术有限公司",
            "鹿寨县珠光新材料科技有限公司",
            "鹿寨县汽车电子科技有限公司",
        )
    ],
    (
        "listing-reserve",
        "广西鹿寨恒驰汽车零部件有限公司",
        2019,
        "纳入自治区及柳州市上市（挂牌）后备企业资源库",
        None,
        "",
    ),
    *[
        ("gazelle", name, 2020, "高新技术企业，近三年营业收入年均增长超过20%", None, "")
        for name in ("鹿寨县彩虹纳米涂料有限公司", "鹿寨县彩晶化工新材料有限公司", "鹿寨县汇联汽车电器有限公司")
    ],
]

# (organisation, date, type, content, follow-up)
SERVICES = [
    (
        "鹿寨县精铸汽车零部件有限公司",
        datetime.date(2020, 3, 18),
        ServiceType.APPLICATION,
        "高新技术企业认定申报辅导：研发费用辅助账归集、高新技术产品（服务）收入核算。",
        "5月前完成申报材料初审。",
    ),
    (
        "鹿寨县滑石新材料科技有限公司",
        datetime.date(2020, 4, 9),
        ServiceType.APPLICATION,
        "高新技术企业认定申报辅导：知识产权与主要产品的对应关系、科技成果转化证明材料。",
        "",
    ),
    (
        "鹿寨县纳米材料科技有限公司",
        datetime.date(2020, 5, 12),
        ServiceType.MATCHMAKING,
        "组织企业与区内高校新材料研究团队对接纳米滑石粉改性项目。",
        "跟进联合申报市级科技项目。",
    ),
    (
        "鹿寨县林化科技有限公司",
        datetime.date(2020, 6, 16),
        ServiceType.VISIT,
        "走访了解高新技术企业证书到期未重新认定的原因：研发投入占比不足。",
        "列入后备高新技术企业库，按季度跟踪研发投入。",
    ),
    (
        "鹿寨县宝彩颜料有限公司",
        datetime.date(2020, 7, 8),
        ServiceType.POLICY,
        "宣讲研发费用税前加计扣除政策及研发经费投入奖补政策。",
        "",
    ),
    (
        "鹿寨县智造自动化设备有限公司",
        datetime.date(2020, 8, 20),
        ServiceType.FINANCING,
        "对接科技信贷风险补偿资金合作银行，协助办理知识产权质押贷款。",
        "银行已受理贷款申请。",
    ),
    (
        "广西鹿寨恒驰汽车零部件有限公司",
        datetime.date(2020, 9, 10),
        ServiceType.OTHER,
        "上市后备企业绿色通道专项服务：协调解决股份制改造中的土地和环评手续问题。",
        "",
    ),
    (
        "鹿寨县珠光新材料科技有限公司",
        datetime.date(2020, 10, 15),
        ServiceType.VISIT,
        "走访了解珠光颜料中试线建设进度和技术难题。",
        "推荐申报县级科技计划项目。",
    ),
]


def demo_uscc(serial: int) -> str:
    """Synthetic credit code of the serial-th demo organisation: 91, 鹿寨 450223, body MA5LD + 4 digits, check."""
    first17 = f"91{COUNTY}MA5LD{serial:04d}"
    return first17 + uscc_check_char(first17)


def _spread(serial: int, salt: int, low: str, high: str) -> Decimal:
    """A factor between low and high that looks random but is fixed by the serial (no RNG, same every run)."""
    step = (serial * 37 + salt * 53 + 11) % 101
    return Decimal(low) + (Decimal(high) - Decimal(low)) * step / 100


def _yuan(value: Decimal) -> Decimal:
    """An amount rounded to whole 千元, as statistics report it, with 2 decimals."""
    return ((value / THOUSAND).quantize(Decimal(1), ROUND_HALF_UP) * THOUSAND).quantize(CENT)


def apportion(total: Decimal, weights: list[Decimal]) -> list[Decimal]:
    """Split a whole number of 千元 in proportion to weights, in whole 千元, summing exactly to total."""
    units = int(total / THOUSAND)
    if units * THOUSAND != total:
        raise ValueError(f"{total} is not a whole number of 千元")
    weight_sum = sum(weights)
    shares = [units * w / weight_sum for w in weights]
    parts = [int(s) for s in shares]
    # Largest remainders get the units left over; ties go to the earlier entry.
    order = sorted(range(len(shares)), key=lambda i: (shares[i] - parts[i], -i), reverse=True)
    for i in order[: units - sum(parts)]:
        parts[i] += 1
    return [(part * THOUSAND).quantize(CENT) for part in parts]


def _rd_rate(serial: int, sales: Decimal) -> Decimal:
    """R&D intensity that meets the high-tech criterion for the firm's size (5% / 4% / 3% of sales)."""
    if sales <= 50_000_000:
        return _spread(serial, 7, "0.052", "0.065")
    if sales <= 200_000_000:
        return _spread(serial, 7, "0.042", "0.050")
    return _spread(serial, 7, "0.031", "0.038")


def _common(serial: int, year: int, income: Decimal, staff: int, st_share: Decimal) -> dict:
    salt = year
    assets = _yuan(income * _spread(serial, salt + 1, "0.8", "1.4"))
    has_exports = serial % 4 == 0
    return {
        "staff_total": staff,
        "st_staff": int(staff * st_share),
        "total_income": income,
        "total_costs": _yuan(income * _spread(serial, salt + 2, "0.86", "0.95")),
        "total_assets": assets,
        "net_assets": _yuan(assets * _spread(serial, salt + 3, "0.35", "0.60")),
        "tax_paid": _yuan(income * _spread(serial, salt + 4, "0.025", "0.050")),
        "exports": _yuan(income * _spread(serial, salt + 5, "0.05", "0.20")) if has_exports else Decimal("0.00"),
    }


def _hte_figures(serial: int, year: int, income: Decimal, output: Decimal) -> dict:
    sales = _yuan(income * _spread(serial, year, "0.94", "0.99"))
    rd = _yuan(sales * _rd_rate(serial, sales))
    staff = max(30 + serial * 7 % 40, int(income / (_spread(serial, 9, "0.8", "1.3") * 1_000_000)))
    return {
        **_common(serial, year, income, staff, _spread(serial, 10, "0.14", "0.22")),
        "sales_revenue": sales,
        "hitech_revenue": _yuan(income * _spread(serial, 11, "0.65", "0.88")),
        "rd_expense": rd,
        "rd_domestic": _yuan(rd * _spread(serial, 12, "0.90", "1.00")),
        "industrial_output": output,
        "source": FigureSource.STATISTICS,
        "basis": STATISTICS_BASIS,
    }


def _plain_figures(serial: int, output: Decimal) -> dict:
    """2020 figures of an above-scale enterprise without a high-tech certificate; R&D is filled in later."""
    sales = _yuan(output * _spread(serial, 1, "0.92", "0.99"))
    income = _yuan(sales * _spread(serial, 2, "1.01", "1.05"))
    staff = max(40, int(output / (_spread(serial, 3, "0.6", "1.2") * 1_000_000)))
    return {
        **_common(serial, 2020, income, staff, _spread(serial, 4, "0.02", "0.08")),
        "sales_revenue": sales,
        "industrial_output": output,
        "source": FigureSource.STATISTICS,
        "basis": STATISTICS_BASIS,
    }


def _small_figures(serial: int, org: Org) -> dict:
    """2020 figures a small tech firm reported itself; no industrial output (only above-scale firms have one)."""
    income = _yuan(org.size * WAN * _spread(serial, 1, "0.97", "1.03"))
    sales = _yuan(income * _spread(serial, 2, "0.95", "0.99"))
    rd = _yuan(sales * _spread(serial, 3, "0.06", "0.15"))
    staff = 12 + (serial * 7) % 60
    return {
        **_common(serial, 2020, income, staff, _spread(serial, 4, "0.20", "0.40")),
        "sales_revenue": sales,
        "hitech_revenue": _yuan(income * _spread(serial, 5, "0.30", "0.70")),
        "rd_expense": rd,
        "rd_domestic": rd,
        "source": FigureSource.REPORT,
        "basis": REPORT_BASIS,
    }


def _rd_weight(serial: int, sales: Decimal) -> Decimal:
    return Decimal(0) if serial % 3 == 0 else sales * _spread(serial, 5, "0.5", "1.5")


def _figures_plan() -> dict[str, dict[int, dict]]:
    """Every demo figure, by organisation name and year, with the seed's totals hit exactly."""
    serial = {org.name: i for i, org in enumerate(ORGANISATIONS, 1)}
    plan: dict[str, dict[int, dict]] = {}
    incomes = apportion(HTE_INCOME_2020, [Decimal(o.size) for o in HTES])
    outputs = apportion(
        HTE_OUTPUT_2020, [i * _spread(serial[o.name], 0, "1.05", "1.35") for o, i in zip(HTES, incomes, strict=True)]
    )
    for org, income, output in zip(HTES, incomes, outputs, strict=True):
        s = serial[org.name]
        growth = _spread(s, 13, "1.04", "1.22")
        plan[org.name] = {
            2020: _hte_figures(s, 2020, income, output),
            2019: _hte_figures(s, 2019, _yuan(income / growth), _yuan(output / (growth + Decimal("0.02")))),
        }
    others = apportion(ABOVE_SCALE_OUTPUT_2020 - HTE_OUTPUT_2020, [Decimal(o.size) for o in ABOVE_SCALE])
    for org, output in zip(ABOVE_SCALE, others, strict=True):
        plan[org.name] = {2020: _plain_figures(serial[org.name], output)}
    # R&D of the enterprises without a certificate makes up the above-scale total of 1.8% of sales;
    # every third of them does no R&D at all.
    above = [plan[o.name][2020] for o in (*HTES, *ABOVE_SCALE)]
    target = _yuan(sum(f["sales_revenue"] for f in above) * ABOVE_SCALE_RD_RATIO)
    remaining = target - sum(plan[o.name][2020]["rd_expense"] for o in HTES)
    weights = [_rd_weight(serial[o.name], plan[o.name][2020]["sales_revenue"]) for o in ABOVE_SCALE]
    for org, rd in zip(ABOVE_SCALE, apportion(remaining, weights), strict=True):
        plan[org.name][2020].update(rd_expense=rd, rd_domestic=rd)
    for org in SMALL:
        plan[org.name] = {2020: _small_figures(serial[org.name], org)}
    return plan


def _registration_date(serial: int, org: Org) -> datetime.date:
    milestones = [*org.hte, *([org.tsme] if org.tsme else [])]
    if milestones:
        year = min(milestones) - 2 - serial % 9
    elif org in ABOVE_SCALE:
        year = 1993 + serial % 20
    else:
        year = 2010 + serial % 8
    return datetime.date(year, 1 + serial * 5 % 12, 1 + serial * 11 % 28)


class _Loader:
    """Runs the upserts and tallies what each one did."""

    def __init__(self):
        self.outcomes: Counter[str] = Counter()

    def upsert(self, model, key: dict, values: dict):
        instance, outcome = system_upsert(model, key, values)
        self.outcomes[outcome] += 1
        return instance

    def add(self, result: ImportResult | dict) -> None:
        if isinstance(result, ImportResult):
            result = {"created": result.created, "updated": result.updated, "unchanged": result.unchanged}
        self.outcomes.update(result)

    def organisations(self) -> dict[str, Organisation]:
        regions = {r.code: r for r in Region.objects.filter(code__in=TOWNSHIPS.values())}
        industries = {i.code: i for i in Industry.objects.filter(level="division")}
        loaded = {}
        for serial, org in enumerate(ORGANISATIONS, 1):
            values = {
                "kind": org.kind,
                "name": org.name,
                "name_initials": pinyin_initials(org.name),
                "region": regions[TOWNSHIPS[org.township]],
                "park": org.park,
                "address": f"广西壮族自治区柳州市鹿寨县{org.township}{org.park}",
                "registration_date": _registration_date(serial, org),
                "industry": industries[org.division],
                "hitech_domain": org.domain,
                "above_scale": org in HTES or org in ABOVE_SCALE,
            }
            loaded[org.name] = self.upsert(Organisation, {"uscc": demo_uscc(serial)}, values)
        return loaded

    def certificates(self, orgs: dict[str, Organisation]) -> None:
        for serial, org in enumerate(ORGANISATIONS, 1):
            holder = orgs[org.name]
            for year in org.hte:
                number = f"GR{year}45{200 + 37 * serial:06d}"
                self.upsert(
                    Certificate,
                    {"kind": CertificateKind.HTE, "number": number},
                    {"organisation": holder, "year": year, "issue_date": HTE_BATCHES[year]},
                )
            if org.tsme:
                number = f"{org.tsme}{COUNTY}{1000 + 17 * serial:06d}"
                issued = datetime.date(org.tsme, 3 + serial % 8, 1 + serial % 27)
                self.upsert(
                    Certificate,
                    {"kind": CertificateKind.TSME, "number": number},
                    {"organisation": holder, "year": org.tsme, "issue_date": issued},
                )
        for name, year in GAZELLES.items():
            self.upsert(
                Certificate,
                {"organisation": orgs[name], "kind": CertificateKind.OTHER, "name": "瞪羚企业", "year": year},
                {"level": RecognitionLevel.REGION, "issue_date": datetime.date(year, 12, 18)},
            )

    def figures(self, orgs: dict[str, Organisation]) -> None:
        # Every demo figure has been through the reporting round: approved, so it counts (no reviewer: the system).
        for name, years in _figures_plan().items():
            for year, values in years.items():
                values = {**values, "review_status": ReviewStatus.APPROVED}
                self.upsert(AnnualFigures, {"organisation": orgs[name], "year": year}, values)

    def memberships(self, orgs: dict[str, Organisation]) -> None:
        pools = {p.code: p for p in Pool.objects.all()}
        for code, name, entry, reason, exit_year, exit_reason in MEMBERSHIPS:
            self.upsert(
                PoolMembership,
                {"organisation": orgs[name], "pool": pools[code], "entry_year": entry},
                {"entry_reason": reason, "exit_year": exit_year, "exit_reason": exit_reason},
            )

    def services(self, orgs: dict[str, Organisation]) -> None:
        for name, day, kind, content, follow_up in SERVICES:
            self.upsert(
                ServiceRecord,
                {"organisation": orgs[name], "date": day, "service_type": kind},
                {"staff": None, "content": content, "follow_up": follow_up},
            )


# The registries' demo parts, loaded after the organisations in this order; each module has
# ``load(loader, orgs)`` (upserts through the loader) and ``counts()`` (its facts, computed from the records).
DEMO_PARTS = (
    "kechuang.ip.demo",
    "kechuang.talent.demo",
    "kechuang.carriers.demo",
    "kechuang.achievements.demo",
    "kechuang.activities.demo",
    "kechuang.plans.demo",
)


def _parts():
    return [importlib.import_module(name) for name in DEMO_PARTS]


def _population_csv() -> bytes:
    lines = ["code,year,resident,source", *(f"{COUNTY},{y},{n},{DEMO_SOURCE}" for y, n in POPULATION.items())]
    return ("\n".join(lines) + "\n").encode()


def _share(part: Decimal, whole: Decimal) -> Decimal:
    return (part / whole * 100).quantize(CENT, ROUND_HALF_UP) if whole else Decimal("0.00")


def demo_counts() -> dict:
    """The demo facts, computed from the records of the demo organisations (not from the tables above)."""
    orgs = Organisation.objects.filter(uscc__in=[demo_uscc(i) for i in range(1, len(ORGANISATIONS) + 1)])
    certs = Certificate.objects.filter(organisation__in=orgs)

    def holders(day: datetime.date):
        return orgs.filter(Exists(Certificate.objects.filter(hte_valid_q(day), organisation=OuterRef("pk"))))

    hte_2020 = holders(datetime.date(2020, 12, 31))
    figures_2020 = approved_figures().filter(year=2020)  # only approved figures are facts
    above = figures_2020.filter(organisation__in=orgs.filter(above_scale=True))
    total_output = above.aggregate(s=Sum("industrial_output"))["s"] or Decimal(0)
    hte_sums = figures_2020.filter(organisation__in=hte_2020).aggregate(
        income=Sum("total_income"), output=Sum("industrial_output")
    )
    return {
        "regions": Region.objects.count(),
        "industries": Industry.objects.count(),
        "pools": Pool.objects.count(),
        "population": Population.objects.filter(region__code=COUNTY).count(),
        "organisations": orgs.count(),
        "above_scale": orgs.filter(above_scale=True).count(),
        "hte_2015": holders(datetime.date(2015, 12, 31)).count(),
        "hte_2020": hte_2020.count(),
        "hte_income_2020": hte_sums["income"] or Decimal(0),
        "above_scale_output_2020": total_output,
        "hte_output_share_2020": _share(hte_sums["output"] or Decimal(0), total_output),
        "tsme": certs.filter(kind=CertificateKind.TSME).count(),
        "gazelles": certs.filter(kind=CertificateKind.OTHER, name="瞪羚企业").count(),
        "figures": AnnualFigures.objects.filter(organisation__in=orgs).count(),
        "certificates": certs.count(),
        "memberships": PoolMembership.objects.filter(organisation__in=orgs).count(),
        "services": ServiceRecord.objects.filter(organisation__in=orgs).count(),
        **{key: value for part in _parts() for key, value in part.counts().items()},
    }


def _summary(counts: dict) -> str:
    c = {
        **counts,
        "output_yi": counts["above_scale_output_2020"] / YI,
        "income_yi": counts["hte_income_2020"] / YI,
        "share": counts["hte_output_share_2020"],
    }
    heading = gettext("鹿寨县演示数据已就绪（本次新建 {created} 条、更新 {updated} 条、未变 {unchanged} 条）：")
    lines = [
        gettext(
            "行政区划 {regions} 个，行业分类 {industries} 个，培育库 {pools} 个，常住人口 {population} 年（演示数据）"
        ),
        gettext(
            "单位 {organisations} 家，其中规模以上工业企业 {above_scale} 家，2020年工业总产值 {output_yi:.2f} 亿元"
        ),
        gettext(
            "高新技术企业：2020年末 {hte_2020} 家（2015年末 {hte_2015} 家），"
            "营业收入 {income_yi:.2f} 亿元，产值占规上工业 {share}%"
        ),
        gettext(
            "科技型中小企业入库登记 {tsme} 家次，瞪羚企业 {gazelles} 家；年度数据 {figures} 条，"
            "资质证书 {certificates} 条，入库记录 {memberships} 条，服务记录 {services} 条"
        ),
    ]
    if "patent_applications_2016_2020" in counts:  # the registries' parts (DEMO_PARTS) are loaded
        c |= {"contracts_wan": counts["tech_contract_amount"] / WAN}
        lines += [
            gettext(
                "专利：2016—2020年申请 {patent_applications_2016_2020} 件、授权 {patent_grants_2016_2020} 件"
                "（发明 {invention_grants_2016_2020}、实用新型 {utility_grants_2016_2020}、外观设计 "
                "{design_grants_2016_2020}）；2020年末有效发明专利 {valid_inventions_2020} 件，"
                "每万人 {inventions_per_10k_2020} 件"
            ),
            gettext(
                "人才：高级职称 {talent_senior_2020} 人、中级职称 {talent_intermediate_2020} 人、研发人员 "
                "{talent_researchers} 人；科技特派员 {commissioners_2016_2020} 名，服务 "
                "{commissioner_visits_2016_2020} 次、{commissioner_days_2016_2020} 天、"
                "{commissioner_villages_2016_2020} 个村，培训 {commissioner_trainings_2016_2020} 期 "
                "{commissioner_trainees_2016_2020} 人次"
            ),
            gettext(
                "创新载体（2020年末）：工程技术研究中心 {carriers_etrc_2020} 家、企业技术中心 {carriers_etc_2020} 家、"
                "重点实验室 {carriers_key_lab_2020} 家、孵化器 {carriers_incubator_2020} 家、众创空间 "
                "{carriers_maker_space_2020} 家，合计创新平台 {carriers_platforms_2020} 家"
            ),
            gettext(
                "科技成果：登记 {achievements_registered} 项，转化 {achievement_conversions} 项（重大 "
                "{major_conversions} 项）；技术合同成交额 {contracts_wan:.2f} 万元；2020年人均科普经费 "
                "{popularisation_per_resident_2020} 元"
            ),
        ]
    if "plans" in counts:
        lines.append(gettext("规划监测：规划 {plans} 个、指标 {plan_indicators} 项；“十三五”规划已按2020年数据评估"))
    return "\n".join([heading.format(**c), *("  " + line.format(**c) for line in lines)]) + "\n"


@transaction.atomic
def load_demo(stdout=None) -> dict:
    """Load the Luzhai demo data idempotently; return the demo facts plus created/updated/unchanged counts."""
    loader = _Loader()
    loader.add(load_builtin_regions())
    loader.add(load_industries())
    loader.add(load_pools())
    loader.add(population_import(actor=None, raw=_population_csv(), filename="population.csv"))
    orgs = loader.organisations()
    loader.certificates(orgs)
    loader.figures(orgs)
    loader.memberships(orgs)
    loader.services(orgs)
    for part in _parts():
        part.load(loader, orgs)
    counts = {**demo_counts(), **{k: loader.outcomes[k] for k in ("created", "updated", "unchanged")}}
    if stdout is not None:
        stdout.write(_summary(counts))
    return counts
