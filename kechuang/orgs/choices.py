"""Choices of the organisation master file."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class OrgKind(models.TextChoices):
    ENTERPRISE = "enterprise", _("企业")
    UNIVERSITY = "university", _("高等院校")
    INSTITUTE = "institute", _("科研院所")
    PROVIDER = "provider", _("科技服务机构")
    GOVERNMENT = "government", _("政府部门")
    OTHER = "other", _("其他")


class OrgStatus(models.TextChoices):
    PENDING = "pending", _("待审核")
    ACTIVE = "active", _("存续")
    MOVED = "moved", _("迁出")
    DEREGISTERED = "deregistered", _("注销")
    REVOKED = "revoked", _("吊销")


class HitechDomain(models.IntegerChoices):
    """国家重点支持的高新技术领域（2016）."""

    ELECTRONIC = 1, _("电子信息")
    BIO_MEDICINE = 2, _("生物与新医药")
    AEROSPACE = 3, _("航空航天")
    NEW_MATERIALS = 4, _("新材料")
    HITECH_SERVICES = 5, _("高技术服务")
    NEW_ENERGY = 6, _("新能源与节能")
    RESOURCES_ENVIRONMENT = 7, _("资源与环境")
    ADVANCED_MANUFACTURING = 8, _("先进制造与自动化")


class IndustryLevel(models.TextChoices):
    SECTION = "section", _("门类")
    DIVISION = "division", _("大类")


class CertificateKind(models.TextChoices):
    HTE = "hte", _("高新技术企业证书")
    TSME = "tsme", _("科技型中小企业入库登记")
    OTHER = "other", _("其他认定")


class RecognitionLevel(models.TextChoices):
    NATIONAL = "national", _("国家级")
    REGION = "region", _("自治区级")
    CITY = "city", _("市级")
    COUNTY = "county", _("县级")


class ServiceType(models.TextChoices):
    VISIT = "visit", _("走访调研")
    POLICY = "policy", _("政策宣讲")
    APPLICATION = "application", _("申报辅导")
    MATCHMAKING = "matchmaking", _("产学研对接")
    FINANCING = "financing", _("融资对接")
    OTHER = "other", _("其他")


class FigureSource(models.TextChoices):
    ENTRY = "entry", _("手工录入")
    REPORT = "report", _("企业填报")
    IMPORT = "import", _("批量导入")
    STATISTICS = "statistics", _("统计部门")


class ReviewStatus(models.TextChoices):
    """Where a year's figures stand in the yearly reporting round (年报填报)."""

    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("已提交")
    RETURNED = "returned", _("已退回")
    APPROVED = "approved", _("已审核")


class RoundStatus(models.TextChoices):
    OPEN = "open", _("填报中")
    CLOSED = "closed", _("已关闭")


# Suggestions for the statistical basis (口径) of a year's figures; the field itself is free text.
BASIS_SUGGESTIONS = (
    _("企业财务报表口径"),
    _("统计年报口径"),
    _("税务口径"),
    _("高企认定专项审计口径"),
)


class RDManagementItem(models.IntegerChoices):
    """The four sub-items of 研究开发组织管理水平 (高新技术企业认定工作指引, policy-rules.md §1.4.3)."""

    RULES_AND_LEDGER = 1, _("研发组织管理制度、研发投入核算体系和研发费用辅助账")
    INSTITUTION_AND_COOPERATION = 2, _("内部研究开发机构及产学研合作")
    CONVERSION_AND_PLATFORM = 3, _("科技成果转化的组织实施与激励奖励制度、开放式创新创业平台")
    TALENT = 4, _("科技人员培训进修、职工技能培训、优秀人才引进及人才绩效评价奖励制度")


class IntegrityKind(models.TextChoices):
    """Violations and integrity records (违法失信记录) the national evaluations ask about (§1.2 condition 8, §2.2)."""

    SAFETY_ACCIDENT = "safety", _("重大安全事故")
    QUALITY_ACCIDENT = "quality", _("重大质量事故")
    ENVIRONMENT = "environment", _("严重环境违法行为")
    RESEARCH_INTEGRITY = "research", _("严重科研失信行为")
    FRAUD = "fraud", _("弄虚作假")
    ABNORMAL_LIST = "abnormal_list", _("列入经营异常名录")
    DISHONESTY_LIST = "dishonesty_list", _("列入严重违法失信名单")


# The kinds that are a listing, ended by removal from the list (移出日期), rather than an event on a day.
INTEGRITY_LISTS = (IntegrityKind.ABNORMAL_LIST, IntegrityKind.DISHONESTY_LIST)
# The kinds condition 8 of the high-tech recognition asks about (no major safety or quality accident, no serious
# environmental violation within the year before application).
HTE_VIOLATIONS = (IntegrityKind.SAFETY_ACCIDENT, IntegrityKind.QUALITY_ACCIDENT, IntegrityKind.ENVIRONMENT)
