"""Luzhai demo records of the S&T achievements, conversions, technology contracts, awards (科技成果、技术合同、科技奖励)
registry (演示数据); see kechuang/orgs/demo.py.

DEMO DATA, not official records: the titles, numbers, people and amounts are invented. What the records
reproduce exactly (seed ch.1 §1 and 专栏1, all in 鹿寨县 over 2016–2020, the 十三五 period):

- 42 achievements registered (完成科技成果登记42项), by registration date;
- 29 conversions (五年累计科技成果转化29项), 7 of them major (完成7项重大科技成果转化任务);
- 16737.29 万元 of technology contracts (科技成果技术合同成交金额达16737.29万元) = 167,372,900.00 元 in contract
  amount registered over 2016–2020. The seed also says the amount of the last year alone was 1.67 亿元
  (“十三五”期末年度技术合同成交金额仅为1.67亿元), so the demo's contracts of 2020 add up to 16,700.00 万元 and the
  few small ones of 2017–2019 to the remaining 37.29 万元: both readings of the seed hold;
- the 2018 自治区科学技术进步一等奖 of 桑蚕茧丝绸产业发展关键技术研究开发与应用.

Every record is matched by a natural key (registration number; achievement or subject + year + form +
implementing unit; contract number; award name + year + project; a parent and a rank), so a second load
creates and saves nothing.
"""

import datetime
from decimal import Decimal

from kechuang.orgs.choices import HitechDomain, RecognitionLevel
from kechuang.regions.models import Region

from .choices import (
    AchievementKind,
    AwardGrade,
    ContractKind,
    ConversionForm,
    EvaluationConclusion,
    EvaluationMethod,
    ParticipantKind,
)
from .models import Achievement, AchievementUnit, Award, AwardParticipant, Conversion, TechContract
from .selectors import achievements_registered, awards_in, contract_turnover, conversions_in

__all__ = ["ACHIEVEMENTS", "AWARDS", "CONTRACTS", "CONVERSIONS", "FIRST_YEAR", "LAST_YEAR", "counts", "load"]

COUNTY = "450223"
FIRST_YEAR, LAST_YEAR = 2016, 2020
WAN = Decimal(10_000)
CENT = Decimal("0.01")

A, B, S = AchievementKind.APPLIED, AchievementKind.BASIC, AchievementKind.SOFT
M = EvaluationMethod
C = EvaluationConclusion
D = HitechDomain

SILK_PROJECT = "桑蚕茧丝绸产业发展关键技术研究开发与应用"
SERICULTURE_STATION = "广西壮族自治区蚕业技术推广站"
GXU, GXUST = "广西大学", "广西科技大学"

# (year, title, first unit, kind, hitech domain or discipline, method, conclusion, other units in rank order)
ACHIEVEMENTS = [
    (2016, "汽车悬架弹簧轻量化设计与制造技术", "广西鹿寨恒驰汽车零部件有限公司", A, D.ADVANCED_MANUFACTURING,
     M.EVALUATION, C.DOMESTIC_ADVANCED, (GXUST,)),
    (2016, "云母钛珠光颜料包覆工艺优化", "鹿寨县虹晶珠光材料有限公司", A, D.NEW_MATERIALS, M.APPRAISAL,
     C.DOMESTIC_LEADING, ()),
    (2016, "歧化松香清洁生产新工艺", "广西鹿寨鹿化科技有限公司", A, D.NEW_MATERIALS, M.APPRAISAL,
     C.DOMESTIC_ADVANCED, ("鹿寨县松香化工有限公司",)),
    (2016, "桉树单板旋切及高强度胶合板制造技术", "广西鹿寨林丰木业有限公司", A, D.NEW_MATERIALS, M.EVALUATION,
     C.REGION_ADVANCED, ()),
    (2016, "甘蔗糖厂蔗渣综合利用技术", "广西鹿寨甘源糖业有限公司", A, D.RESOURCES_ENVIRONMENT, M.ACCEPTANCE, "", ()),
    (2016, "鹿寨县科技型中小企业创新发展路径研究", "鹿寨县众创科技服务有限公司", S, "科技管理", M.REVIEW, "", ()),
    (2017, SILK_PROJECT, "广西鹿寨丝源茧丝绸有限公司", A, "蚕桑与丝绸工程", M.EVALUATION, C.DOMESTIC_LEADING,
     ("鹿寨县中渡茧丝绸有限公司", SERICULTURE_STATION, "鹿寨县蚕桑科技有限公司")),
    (2017, "汽车制动器总成耐磨性能提升技术", "鹿寨县宏达汽车制动系统有限公司", A, D.ADVANCED_MANUFACTURING,
     M.EVALUATION, C.DOMESTIC_ADVANCED, ()),
    (2017, "高白度超细滑石粉制备技术", "鹿寨县纳滑新材料有限公司", A, D.NEW_MATERIALS, M.APPRAISAL,
     C.DOMESTIC_LEADING, ("鹿寨县滑石矿业有限公司",)),
    (2017, "松节油合成香料关键工艺研究", "鹿寨县林化科技有限公司", A, D.NEW_MATERIALS, M.EVALUATION,
     C.REGION_LEADING, ()),
    (2017, "废纸脱墨浆高效制浆技术", "广西鹿寨鹿江纸业有限公司", A, D.RESOURCES_ENVIRONMENT, M.EVALUATION,
     C.DOMESTIC_ADVANCED, ()),
    (2017, "汽车内饰件低挥发性有机物环保材料应用", "鹿寨县瑞通汽车内饰件有限公司", A, D.NEW_MATERIALS,
     M.EVALUATION, C.REGION_ADVANCED, ()),
    (2017, "鹿寨县优质水果品种筛选及高效栽培技术推广", "鹿寨县智农科技有限公司", A, "果树学", M.ACCEPTANCE, "", ()),
    (2018, "石墨烯改性导热复合材料制备技术", "广西鹿寨烯源新材料科技有限公司", A, D.NEW_MATERIALS, M.EVALUATION,
     C.DOMESTIC_LEADING, (GXUST,)),
    (2018, "纳米氧化锌抗菌涂料研制", "鹿寨县彩虹纳米涂料有限公司", A, D.NEW_MATERIALS, M.EVALUATION,
     C.REGION_LEADING, ()),
    (2018, "汽车电子控制单元自动测试系统", "鹿寨县智联电子科技有限公司", A, D.ELECTRONIC, M.EVALUATION,
     C.REGION_ADVANCED, ()),
    (2018, "金银花规范化种植及产地加工技术", "鹿寨县中药材科技开发有限公司", A, D.BIO_MEDICINE, M.ACCEPTANCE, "", ()),
    (2018, "竹材重组结构材料制造技术", "鹿寨县竹韵竹木制品有限公司", A, D.NEW_MATERIALS, M.EVALUATION,
     C.DOMESTIC_ADVANCED, ()),
    (2018, "丘陵山地林业机械化整地装备研制", "鹿寨县林机装备制造有限公司", A, D.ADVANCED_MANUFACTURING, M.APPRAISAL,
     C.REGION_LEADING, ()),
    (2018, "缫丝废料综合利用技术", "鹿寨县中渡茧丝绸有限公司", A, "纺织工程", M.EVALUATION, C.REGION_ADVANCED,
     ("广西鹿寨丝源茧丝绸有限公司",)),
    (2018, "瑶医药特色制剂质量标准研究", "广西鹿寨瑶康药业有限公司", A, D.BIO_MEDICINE, M.REVIEW, "", ()),
    (2019, "石墨烯锂电池导电剂制备技术", "广西鹿寨烯能电池材料有限公司", A, D.NEW_ENERGY, M.EVALUATION,
     C.DOMESTIC_ADVANCED, ("广西鹿寨烯源新材料科技有限公司",)),
    (2019, "汽车转向系统关键零部件精密加工技术", "鹿寨县汇联汽车电器有限公司", A, D.ADVANCED_MANUFACTURING,
     M.EVALUATION, C.REGION_LEADING, ()),
    (2019, "低碳高性能水泥混合材应用技术", "鹿寨县平山新型建材有限公司", A, D.RESOURCES_ENVIRONMENT, M.EVALUATION,
     C.REGION_ADVANCED, ("鹿寨县鹿山水泥有限公司",)),
    (2019, "无醛人造板胶黏剂研制与应用", "鹿寨县森宝人造板有限公司", A, D.NEW_MATERIALS, M.EVALUATION,
     C.DOMESTIC_ADVANCED, (GXU,)),
    (2019, "珠光颜料耐候性提升技术", "鹿寨县彩晶化工新材料有限公司", A, D.NEW_MATERIALS, M.EVALUATION,
     C.REGION_LEADING, ()),
    (2019, "蔗汁清净工艺节能降耗技术", "广西鹿寨甘源糖业有限公司", A, D.NEW_ENERGY, M.EVALUATION,
     C.REGION_ADVANCED, ()),
    (2019, "桑树病虫害绿色防控技术研究", "鹿寨县蚕桑科技有限公司", A, "植物保护", M.ACCEPTANCE, "",
     (SERICULTURE_STATION,)),
    (2019, "县域企业创新能力评价方法研究", "鹿寨县数联软件有限公司", S, "管理科学", M.REVIEW, "", ()),
    (2019, "汽车覆盖件冲压模具设计与制造技术", "鹿寨县精密模具有限公司", A, D.ADVANCED_MANUFACTURING, M.EVALUATION,
     C.REGION_ADVANCED, ()),
    (2020, "高纯超细滑石粉表面改性技术", "鹿寨县滑石新材料科技有限公司", A, D.NEW_MATERIALS, M.EVALUATION,
     C.DOMESTIC_LEADING, ("鹿寨县白云滑石粉有限公司",)),
    (2020, "汽车轮毂轴承单元精密铸造技术", "鹿寨县精铸汽车零部件有限公司", A, D.ADVANCED_MANUFACTURING, M.EVALUATION,
     C.REGION_LEADING, ()),
    (2020, "改性石墨烯防腐涂料研制", "广西鹿寨石墨烯应用技术研究院有限公司", A, D.NEW_MATERIALS, M.EVALUATION,
     C.DOMESTIC_LEADING, ("广西鹿寨烯源新材料科技有限公司", GXUST)),
    (2020, "化工废水深度处理回用技术", "鹿寨县环保科技有限公司", A, D.RESOURCES_ENVIRONMENT, M.EVALUATION,
     C.REGION_ADVANCED, ()),
    (2020, "汽车零部件智能化装配生产线", "鹿寨县智造自动化设备有限公司", A, D.ADVANCED_MANUFACTURING, M.EVALUATION,
     C.REGION_LEADING, ("鹿寨县通达汽车零部件有限公司",)),
    (2020, "珠光颜料新型包膜工艺", "鹿寨县珠光新材料科技有限公司", A, D.NEW_MATERIALS, M.EVALUATION,
     C.DOMESTIC_ADVANCED, ("鹿寨县虹晶珠光材料有限公司",)),
    (2020, "新能源汽车动力电池热管理系统", "鹿寨县新能源科技有限公司", A, D.NEW_ENERGY, M.EVALUATION,
     C.REGION_ADVANCED, ()),
    (2020, "林下中草药套种模式研究", "鹿寨县林下经济科技有限公司", A, "林学", M.ACCEPTANCE, "", ()),
    (2020, "桉木单板无胶热压成型机理研究", "鹿寨县竹木新材料科技有限公司", B, "木材科学与技术", M.NONE, "", (GXU,)),
    (2020, "农产品质量安全快速检测技术", "鹿寨县科信检测技术服务有限公司", A, D.HITECH_SERVICES, M.EVALUATION,
     C.REGION_ADVANCED, ()),
    (2020, "汽车电子线束智能检测系统", "鹿寨县汽车电子科技有限公司", A, D.ELECTRONIC, M.EVALUATION,
     C.REGION_ADVANCED, ("鹿寨县顺达汽车线束有限公司",)),
    (2020, "鹿寨县“十四五”科技创新发展战略研究", "鹿寨县众创科技服务有限公司", S, "科技管理", M.REVIEW, "", ()),
]  # fmt: skip

# (year, achievement title or None, subject of an unregistered item, form, implementer or None, 万元, major reason)
CONVERSIONS = [
    (2016, "汽车悬架弹簧轻量化设计与制造技术", "", ConversionForm.SELF, None, "80", ""),
    (2016, "云母钛珠光颜料包覆工艺优化", "", ConversionForm.SELF, None, "120", ""),
    (2016, None, "发明专利：一种歧化松香的制备方法", ConversionForm.TRANSFER, "鹿寨县松香化工有限公司", "35", ""),
    (2017, "歧化松香清洁生产新工艺", "", ConversionForm.SELF, None, "150", ""),
    (2017, "桉树单板旋切及高强度胶合板制造技术", "", ConversionForm.JOINT, "鹿寨县森宝人造板有限公司", "60", ""),
    (2017, SILK_PROJECT, "", ConversionForm.SELF, None, "260",
     "成果在中渡、平山、四排等乡镇推广，带动蚕农增收，年新增产值超过5000万元"),
    (2017, "高白度超细滑石粉制备技术", "", ConversionForm.SELF, None, "90", ""),
    (2017, "废纸脱墨浆高效制浆技术", "", ConversionForm.SELF, None, "75", ""),
    (2018, SILK_PROJECT, "", ConversionForm.LICENSING, "鹿寨县平山缫丝有限公司", "45", ""),
    (2018, "汽车制动器总成耐磨性能提升技术", "", ConversionForm.SELF, None, "110", ""),
    (2018, "石墨烯改性导热复合材料制备技术", "", ConversionForm.EQUITY, "广西鹿寨烯能电池材料有限公司", "800",
     "以技术作价入股，形成石墨烯电池材料产业化项目，投资超过1亿元"),
    (2018, "汽车内饰件低挥发性有机物环保材料应用", "", ConversionForm.SELF, None, "55", ""),
    (2018, "纳米氧化锌抗菌涂料研制", "", ConversionForm.SELF, None, "40", ""),
    (2018, None, "实用新型专利：一种蚕茧烘干装置", ConversionForm.LICENSING, "鹿寨县四排桑蚕丝绸有限公司", "12", ""),
    (2019, "石墨烯改性导热复合材料制备技术", "", ConversionForm.SELF, None, "300",
     "建成年产100吨石墨烯改性材料生产线，年新增产值超过1亿元"),
    (2019, "汽车电子控制单元自动测试系统", "", ConversionForm.SELF, None, "70", ""),
    (2019, "竹材重组结构材料制造技术", "", ConversionForm.TRANSFER, "鹿寨县翠竹竹制品有限公司", "50", ""),
    (2019, "丘陵山地林业机械化整地装备研制", "", ConversionForm.SELF, None, "65", ""),
    (2019, "石墨烯锂电池导电剂制备技术", "", ConversionForm.SELF, None, "420",
     "导电剂产品进入新能源汽车动力电池配套体系，年新增销售收入超过8000万元"),
    (2019, "无醛人造板胶黏剂研制与应用", "", ConversionForm.LICENSING, "鹿寨县华森人造板有限公司", "30", ""),
    (2019, "蔗汁清净工艺节能降耗技术", "", ConversionForm.SELF, None, "85", ""),
    (2020, "高纯超细滑石粉表面改性技术", "", ConversionForm.SELF, None, "260",
     "改性滑石粉实现规模化生产，年新增产值超过6000万元"),
    (2020, "改性石墨烯防腐涂料研制", "", ConversionForm.TRANSFER, "鹿寨县宝彩颜料有限公司", "500",
     "技术转让后建成石墨烯防腐涂料生产线，填补县内空白，年新增产值超过5000万元"),
    (2020, "汽车轮毂轴承单元精密铸造技术", "", ConversionForm.SELF, None, "150", ""),
    (2020, "化工废水深度处理回用技术", "", ConversionForm.LICENSING, "鹿寨县桂中化工有限公司", "90", ""),
    (2020, "汽车零部件智能化装配生产线", "", ConversionForm.JOINT, "鹿寨县通达汽车零部件有限公司", "210",
     "智能装配线在县内汽车零部件企业推广应用，带动10余家企业数字化改造"),
    (2020, "珠光颜料新型包膜工艺", "", ConversionForm.SELF, None, "130", ""),
    (2020, "农产品质量安全快速检测技术", "", ConversionForm.OTHER, "鹿寨县农副产品加工有限公司", "20", ""),
    (2020, None, "发明专利：一种改性云母片的制备方法", ConversionForm.EQUITY, "鹿寨县新型保温材料有限公司", "180",
     ""),
]  # fmt: skip

LIUZHOU, GUANGXI = "450200", "450000"
# (registration date, name, kind, seller, buyer in the register or (name, region code or ""), 万元, technical share)
CONTRACTS = [
    (datetime.date(2017, 6, 20), "滑石粉表面改性检测分析技术服务", ContractKind.SERVICE, "鹿寨县纳滑新材料有限公司",
     ("柳州某塑料制品有限公司", LIUZHOU), "8.5", "0.90"),
    (datetime.date(2017, 11, 8), "汽车弹簧疲劳试验技术咨询", ContractKind.CONSULTING,
     "广西鹿寨恒驰汽车零部件有限公司", "鹿寨县恒力汽车弹簧有限公司", "6.79", "1.00"),
    (datetime.date(2018, 9, 14), "珠光颜料色差检测方法技术服务", ContractKind.SERVICE, "鹿寨县虹晶珠光材料有限公司",
     "鹿寨县宝彩颜料有限公司", "10", "0.85"),
    (datetime.date(2019, 5, 23), "企业研发项目管理软件技术开发", ContractKind.DEVELOPMENT, "鹿寨县数联软件有限公司",
     "鹿寨县通用机械制造有限公司", "5", "0.80"),
    (datetime.date(2019, 10, 17), "糖厂蔗渣锅炉节能诊断技术服务", ContractKind.SERVICE,
     "广西鹿寨甘源糖业有限公司", "鹿寨县寨沙制糖有限公司", "7", "0.90"),
    (datetime.date(2020, 3, 26), "石墨烯导热膜规模化制备技术开发", ContractKind.DEVELOPMENT,
     "广西鹿寨烯源新材料科技有限公司", ("广东某新能源科技有限公司", ""), "2680", "0.85"),
    (datetime.date(2020, 4, 15), "石墨烯导电浆料配方技术开发", ContractKind.DEVELOPMENT,
     "广西鹿寨石墨烯应用技术研究院有限公司", "广西鹿寨烯能电池材料有限公司", "2520", "0.80"),
    (datetime.date(2020, 5, 12), "商用车悬架轻量化弹簧联合开发", ContractKind.DEVELOPMENT,
     "广西鹿寨恒驰汽车零部件有限公司", ("柳州某商用车制造有限公司", LIUZHOU), "2500", "0.75"),
    (datetime.date(2020, 5, 28), "歧化松香生产工艺技术转让", ContractKind.TRANSFER, "广西鹿寨鹿化科技有限公司",
     ("梧州某林化有限公司", GUANGXI), "1500", "0.90"),
    (datetime.date(2020, 6, 18), "云母钛珠光颜料专利实施许可", ContractKind.LICENSING, "鹿寨县虹晶珠光材料有限公司",
     ("浙江某颜料有限公司", ""), "1200", "0.95"),
    (datetime.date(2020, 7, 9), "改性滑石粉表面处理技术转让", ContractKind.TRANSFER, "鹿寨县滑石新材料科技有限公司",
     "鹿寨县白云滑石粉有限公司", "900", "0.90"),
    (datetime.date(2020, 7, 30), "汽车零部件智能装配线技术开发", ContractKind.DEVELOPMENT,
     "鹿寨县智造自动化设备有限公司", "鹿寨县通达汽车零部件有限公司", "850", "0.70"),
    (datetime.date(2020, 8, 13), "石墨烯改性防腐涂料技术转让", ContractKind.TRANSFER,
     "广西鹿寨石墨烯应用技术研究院有限公司", "鹿寨县宝彩颜料有限公司", "780", "0.90"),
    (datetime.date(2020, 8, 27), "动力电池导电剂应用技术开发", ContractKind.DEVELOPMENT,
     "广西鹿寨烯能电池材料有限公司", ("柳州某动力电池有限公司", LIUZHOU), "760", "0.80"),
    (datetime.date(2020, 9, 10), "制造企业数字化管理系统技术开发", ContractKind.DEVELOPMENT,
     "鹿寨县数联软件有限公司", ("柳州某机械制造有限公司", LIUZHOU), "600", "0.85"),
    (datetime.date(2020, 9, 24), "化工园区废水处理技术服务", ContractKind.SERVICE, "鹿寨县环保科技有限公司",
     "鹿寨县桂中化工有限公司", "520", "0.80"),
    (datetime.date(2020, 10, 15), "汽车制动盘耐磨涂层技术开发", ContractKind.DEVELOPMENT,
     "鹿寨县宏达汽车制动系统有限公司", ("柳州某汽车零部件有限公司", LIUZHOU), "480", "0.75"),
    (datetime.date(2020, 10, 29), "无醛胶黏剂生产技术许可", ContractKind.LICENSING, "鹿寨县森宝人造板有限公司",
     "鹿寨县华森人造板有限公司", "350", "0.90"),
    (datetime.date(2020, 11, 12), "竹材重组材生产线技术服务", ContractKind.SERVICE, "鹿寨县竹韵竹木制品有限公司",
     "鹿寨县翠竹竹制品有限公司", "260", "0.85"),
    (datetime.date(2020, 11, 19), "汽车覆盖件模具设计技术服务", ContractKind.SERVICE, "鹿寨县精密模具有限公司",
     "鹿寨县华翔汽车冲压件有限公司", "180", "0.80"),
    (datetime.date(2020, 11, 26), "农产品农药残留快速检测技术服务", ContractKind.SERVICE,
     "鹿寨县科信检测技术服务有限公司", "鹿寨县农副产品加工有限公司", "120", "0.85"),
    (datetime.date(2020, 12, 3), "高新技术企业认定及研发管理咨询", ContractKind.CONSULTING,
     "鹿寨县众创科技服务有限公司", "鹿寨县精铸汽车零部件有限公司", "80", "1.00"),
    (datetime.date(2020, 12, 10), "企业知识产权布局咨询", ContractKind.CONSULTING, "鹿寨县知识产权代理服务有限公司",
     "鹿寨县彩晶化工新材料有限公司", "60", "1.00"),
    (datetime.date(2020, 12, 17), "林业整地装备改进技术开发", ContractKind.DEVELOPMENT,
     "鹿寨县林机装备制造有限公司", ("来宾某林业机械有限公司", GUANGXI), "360", "0.80"),
]  # fmt: skip

# (year, award, level, grade, project, first unit, other units, people)
AWARDS = [
    (2018, "自治区科学技术进步奖", RecognitionLevel.REGION, AwardGrade.FIRST, SILK_PROJECT,
     "广西鹿寨丝源茧丝绸有限公司", ("鹿寨县中渡茧丝绸有限公司", SERICULTURE_STATION, "鹿寨县蚕桑科技有限公司"), 10),
    (2019, "柳州市科学技术进步奖", RecognitionLevel.CITY, AwardGrade.SECOND, "石墨烯改性导热复合材料制备技术",
     "广西鹿寨烯源新材料科技有限公司", (GXUST,), 7),
    (2020, "柳州市科学技术进步奖", RecognitionLevel.CITY, AwardGrade.THIRD, "汽车制动器总成耐磨性能提升技术",
     "鹿寨县宏达汽车制动系统有限公司", (), 5),
]  # fmt: skip

SURNAMES = "韦覃黄莫蓝梁李陈刘张潘罗廖蒙吴谢林周何唐"
GIVEN = (
    "建华", "丽萍", "志强", "海燕", "国庆", "春梅", "永明", "秀英", "德胜", "小红", "文军", "玉兰", "振宇",
    "慧敏", "明辉", "桂芳", "立新", "晓东", "少华", "雪莲", "家宁", "红霞", "卫东", "美玲", "克勤", "凤英",
    "光荣", "翠萍", "宏伟", "静怡", "世杰", "月娥",
)  # fmt: skip


def people(serial: int, count: int) -> list[str]:
    """``count`` distinct invented names, fixed by the serial."""
    names: list[str] = []
    step = 0
    while len(names) < count:
        k = len(names) + step
        name = SURNAMES[(serial * 7 + k * 3) % len(SURNAMES)] + GIVEN[(serial * 11 + k * 5) % len(GIVEN)]
        if name in names:
            step += 1
            continue
        names.append(name)
    return names


def registration_date(year: int, index_in_year: int, in_year: int) -> datetime.date:
    """Registrations spread from March to December, none on a weekend."""
    day = datetime.date(year, 3, 6) + datetime.timedelta(days=280 * index_in_year // in_year + year % 7)
    while day.weekday() >= 5:
        day += datetime.timedelta(days=1)
    return day


def achievement_number(year: int, index_in_year: int, kind: str) -> str:
    return f"{year}{COUNTY}{'ABS'[list(AchievementKind.values).index(kind)]}{index_in_year + 1:03d}"


def _yuan(wan: str) -> Decimal:
    return (Decimal(wan) * WAN).quantize(CENT)


def _achievement_values(year: int, index: int, row: tuple, orgs: dict, serial: int) -> tuple[str, dict]:
    _, title, lead, kind, domain, method, conclusion, _units = row
    registered = registration_date(year, index, sum(1 for r in ACHIEVEMENTS if r[0] == year))
    evaluated = registered - datetime.timedelta(days=30 + serial % 20) if method != M.NONE else None
    values = {
        "title": title,
        "kind": kind,
        "hitech_domain": domain if isinstance(domain, int) else None,
        "discipline": domain if isinstance(domain, str) else "",
        "organisation": orgs[lead],
        "registration_date": registered,
        "evaluation_method": method,
        "evaluation_conclusion": conclusion,
        "evaluation_date": evaluated,
        "people": people(serial, 3 + serial % 5),
        "summary": "",
    }
    return achievement_number(year, index, kind), values


def _units(loader, model, parent_field: str, parent, units, orgs: dict, **extra) -> None:
    for rank, unit in enumerate(units, start=2):
        organisation = orgs.get(unit)
        loader.upsert(
            model,
            {parent_field: parent, "position": rank, **extra},
            {"organisation": organisation, "name": "" if organisation else unit},
        )


def load(loader, orgs: dict) -> None:
    """Upsert this registry's demo records through ``loader.upsert`` (idempotent)."""
    achievements = {}
    by_year: dict[int, int] = {}
    for serial, row in enumerate(ACHIEVEMENTS, 1):
        year = row[0]
        index = by_year.get(year, 0)
        by_year[year] = index + 1
        number, values = _achievement_values(year, index, row, orgs, serial)
        achievement = loader.upsert(Achievement, {"number": number}, values)
        _units(loader, AchievementUnit, "achievement", achievement, row[7], orgs)
        achievements[row[1]] = achievement
    for year, title, subject, form, implementer, wan, reason in CONVERSIONS:
        key = {
            "achievement": achievements[title] if title else None,
            "subject": subject,
            "year": year,
            "form": form,
            "organisation": orgs[implementer] if implementer else None,
        }
        loader.upsert(Conversion, key, {"amount": _yuan(wan), "major": bool(reason), "major_reason": reason})
    _contracts(loader, orgs)
    for serial, (year, name, level, grade, project, lead, units, n_people) in enumerate(AWARDS, 1):
        award = loader.upsert(
            Award,
            {"name": name, "year": year, "project": project},
            {
                "level": level,
                "grade": grade,
                "organisation": orgs[lead],
                "achievement": achievements.get(project),
                "certificate_number": f"{year}-J-{serial:03d}",
            },
        )
        _units(loader, AwardParticipant, "award", award, units, orgs, kind=ParticipantKind.UNIT)
        for rank, person in enumerate(people(100 + serial, n_people), start=1):
            loader.upsert(
                AwardParticipant,
                {"award": award, "kind": ParticipantKind.PERSON, "position": rank},
                {"organisation": None, "name": person},
            )


def _contracts(loader, orgs: dict) -> None:
    regions = {r.code: r for r in Region.objects.filter(code__in=[LIUZHOU, GUANGXI])}
    serials: dict[int, int] = {}
    for registered, name, kind, seller, buyer, wan, share in CONTRACTS:
        serials[registered.year] = serials.get(registered.year, 0) + 1
        amount = _yuan(wan)
        in_register = isinstance(buyer, str)
        loader.upsert(
            TechContract,
            {"number": f"{registered.year}{COUNTY}{serials[registered.year]:06d}"},
            {
                "name": name,
                "kind": kind,
                "seller": orgs[seller],
                "buyer": orgs[buyer] if in_register else None,
                "buyer_name": "" if in_register else buyer[0],
                "buyer_region": None if in_register or not buyer[1] else regions[buyer[1]],
                "amount": amount,
                "technical_income": (amount * Decimal(share)).quantize(Decimal(100)).quantize(CENT),
                "signing_date": registered - datetime.timedelta(days=12 + serials[registered.year] % 17),
                "registration_date": registered,
            },
        )


def counts() -> dict:
    """The demo facts of this registry, computed from the records through the plan-monitoring selectors."""
    county = Region.objects.get(code=COUNTY)
    period = {"region": county, "start": FIRST_YEAR, "end": LAST_YEAR}
    turnover = contract_turnover(**period)
    last_year = contract_turnover(region=county, start=LAST_YEAR, end=LAST_YEAR)
    return {
        "achievements_registered": achievements_registered(**period).count(),
        "achievement_conversions": conversions_in(**period).count(),
        "major_conversions": conversions_in(**period, major=True).count(),
        "tech_contracts": turnover.count,
        "tech_contract_amount": turnover.amount,
        "tech_contract_income": turnover.technical_income,
        "tech_contract_amount_2020": last_year.amount,
        "region_st_awards": awards_in(**period, level=RecognitionLevel.REGION).count(),
    }
