"""The shipped example of each subject, published as version 1 by the migration: weights and bands are defaults for
the bureau to set (the manual says so), written here as data."""

from django.utils import timezone


def _c(code, name, field, weight, bands, unit="points"):
    bands = [{"lower": lower, "inclusive": inclusive, "value": value} for lower, inclusive, value in bands]
    return {"code": code, "name": name, "field": field, "weight": weight, "unit": unit, "bands": bands}


GE = True  # inclusive lower bound (≥)
GT = False  # exclusive lower bound (>)

# fmt: off
EXAMPLES = [
    {
        "code": "luzhai-shubiao", "subject": "enterprise", "name": "鹿寨县“树标提质”科技型企业评价", "pass_score": "60",
        "purpose": "按《鹿寨县科技创新“十四五”规划》“树标提质”要求，以企业档案数据评出标杆科技型企业；"
                   "权重与档位为默认值，由科技局按年度工作要点调整。",
        "criteria": [
            _c("rd", "研发投入强度", "rd_ratio", "25", [("1", GE, "10"), ("3", GE, "18"), ("5", GE, "25")]),
            _c("st_staff", "科技人员占比", "st_staff_ratio", "15",
               [("5", GE, "6"), ("10", GE, "10"), ("20", GE, "15")]),
            _c("ip1", "Ⅰ类知识产权", "class1_ip", "15", [("1", GE, "10"), ("3", GE, "15")]),
            _c("ip2", "Ⅱ类知识产权", "class2_ip", "10", [("1", GE, "4"), ("3", GE, "7"), ("6", GE, "10")]),
            _c("growth", "销售收入增长", "revenue_growth", "15", [("0", GT, "5"), ("10", GE, "10"), ("20", GE, "15")]),
            _c("conversion", "成果转化", "conversions", "10", [("1", GE, "6"), ("3", GE, "10")]),
            _c("hte", "高新技术企业", "hte_valid", "10", [("1", GE, "10")]),
        ],
    },
    {
        "code": "luzhai-achievement", "subject": "achievement", "name": "鹿寨县科技成果转化价值评价",
        "pass_score": None,
        "purpose": "对登记的科技成果按评价结论、转化与获奖情况排序，供成果推介和转化资助参考；权重为默认值。",
        "criteria": [
            _c("applied", "应用技术成果", "applied", "20", [("1", GE, "20")]),
            _c("conclusion", "评价结论", "conclusion_level", "30", [("1", GE, "10"), ("3", GE, "20"), ("5", GE, "30")]),
            _c("conversions", "转化次数", "conversions", "20", [("1", GE, "10"), ("3", GE, "20")]),
            _c("amount", "转化金额", "conversion_amount", "20", [("0", GT, "5"), ("50", GE, "12"), ("200", GE, "20")]),
            _c("award", "科技奖励", "award_level", "10", [("1", GE, "4"), ("3", GE, "10")]),
        ],
    },
    {
        "code": "luzhai-talent", "subject": "talent", "name": "鹿寨县科技人才评价", "pass_score": None,
        "purpose": "按学历、职称、研发岗位和人才计划对人才库人员排序，供人才项目推荐参考；权重为默认值。",
        "criteria": [
            _c("education", "学历", "education_level", "30",
               [("1", GE, "5"), ("2", GE, "15"), ("3", GE, "24"), ("4", GE, "30")]),
            _c("title", "职称", "title_level", "30", [("1", GE, "10"), ("2", GE, "20"), ("3", GE, "30")]),
            _c("researcher", "研发人员", "researcher", "20", [("1", GE, "20")]),
            _c("programmes", "人才计划", "programmes", "20", [("1", GE, "12"), ("2", GE, "20")]),
        ],
    },
    {
        "code": "luzhai-project", "subject": "project", "name": "鹿寨县科技计划项目立项评审", "pass_score": "60",
        "purpose": "项目尚无登记簿：各指标按评审专家录入或上传的百分制分数计分；权重与档位为默认值。",
        "criteria": [
            _c(code, name, "entered", weight, [("60", GE, "0.6"), ("75", GE, "0.8"), ("90", GE, "1")], unit="fraction")
            for code, name, weight in (("innovation", "创新性", "30"), ("feasibility", "可行性", "25"),
                                       ("benefit", "预期效益", "25"), ("team", "团队与条件", "20"))
        ],
    },
]
# fmt: on


def install(apps, schema_editor=None) -> None:
    """Create the published examples that are not there yet (by code)."""
    ScoringModel = apps.get_model("scoring", "ScoringModel")
    Criterion = apps.get_model("scoring", "Criterion")
    for example in EXAMPLES:
        if ScoringModel.objects.filter(code=example["code"]).exists():
            continue
        fields = {k: v for k, v in example.items() if k != "criteria"}
        model = ScoringModel.objects.create(**fields, version=1, status="published", published_at=timezone.now())
        for order, criterion in enumerate(example["criteria"]):
            Criterion.objects.create(model=model, order=order, **criterion)


def remove(apps, schema_editor=None) -> None:
    apps.get_model("scoring", "ScoringModel").objects.filter(code__in=[e["code"] for e in EXAMPLES], version=1).delete()
