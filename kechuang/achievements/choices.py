"""Choices of the achievements registry (科技成果、成果转化、技术合同、科技奖励)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from kechuang.orgs.choices import RecognitionLevel

__all__ = [
    "AchievementKind",
    "AwardGrade",
    "AwardLevel",
    "ContractKind",
    "ConversionForm",
    "EvaluationConclusion",
    "EvaluationMethod",
    "ParticipantKind",
]


class AchievementKind(models.TextChoices):
    """成果类型 of the 科技成果登记 form."""

    APPLIED = "applied", _("应用技术")
    BASIC = "basic", _("基础理论")
    SOFT = "soft", _("软科学")


class EvaluationMethod(models.TextChoices):
    """How the achievement was assessed before registration (评价方式)."""

    EVALUATION = "evaluation", _("评价")
    APPRAISAL = "appraisal", _("鉴定")
    ACCEPTANCE = "acceptance", _("验收")
    REVIEW = "review", _("评审")
    ACCESS = "access", _("行业准入")
    OTHER = "other", _("其他")
    NONE = "none", _("未评价")


class EvaluationConclusion(models.TextChoices):
    """The level the assessment concluded (评价结论)."""

    INTL_LEADING = "intl_leading", _("国际领先")
    INTL_ADVANCED = "intl_advanced", _("国际先进")
    DOMESTIC_LEADING = "domestic_leading", _("国内领先")
    DOMESTIC_ADVANCED = "domestic_advanced", _("国内先进")
    REGION_LEADING = "region_leading", _("区内领先")
    REGION_ADVANCED = "region_advanced", _("区内先进")


class ConversionForm(models.TextChoices):
    """转化方式, as in the 促进科技成果转化法 (Art. 16)."""

    SELF = "self", _("自行实施")
    TRANSFER = "transfer", _("转让")
    LICENSING = "licensing", _("许可")
    JOINT = "joint", _("合作实施")
    EQUITY = "equity", _("作价投资")
    OTHER = "other", _("其他")


class ContractKind(models.TextChoices):
    """技术合同类别 of the 技术合同认定登记."""

    DEVELOPMENT = "development", _("技术开发")
    TRANSFER = "transfer", _("技术转让")
    LICENSING = "licensing", _("技术许可")
    CONSULTING = "consulting", _("技术咨询")
    SERVICE = "service", _("技术服务")


# 国家/自治区/市/县 — the same four levels as a recognition (orgs.choices.RecognitionLevel).
AwardLevel = RecognitionLevel


class AwardGrade(models.TextChoices):
    """奖励等级."""

    SPECIAL = "special", _("特等奖")
    FIRST = "first", _("一等奖")
    SECOND = "second", _("二等奖")
    THIRD = "third", _("三等奖")


class ParticipantKind(models.TextChoices):
    """An award's participants: completing units and completing people, each ranked separately."""

    UNIT = "unit", _("完成单位")
    PERSON = "person", _("完成人")
