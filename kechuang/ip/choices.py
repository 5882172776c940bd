"""Choices of the IP registry (知识产权)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class PatentType(models.TextChoices):
    """The type named by the 5th digit of an application number; PCT: an international application entering
    the Chinese national phase (进入中国国家阶段的PCT申请)."""

    INVENTION = "invention", _("发明")
    UTILITY = "utility", _("实用新型")
    DESIGN = "design", _("外观设计")
    PCT_INVENTION = "pct_invention", _("PCT发明")
    PCT_UTILITY = "pct_utility", _("PCT实用新型")


class PatentStatus(models.TextChoices):
    """A legal-status event of a patent (法律状态), each with its date."""

    PENDING = "pending", _("审查中")
    GRANTED = "granted", _("授权")
    TRANSFERRED = "transferred", _("转让")
    LAPSED = "lapsed", _("失效")
    INVALIDATED = "invalidated", _("无效")
    REJECTED = "rejected", _("驳回或撤回")


class PatentEnd(models.TextChoices):
    """Why a patent or an application stopped having effect (stored beside the end date)."""

    LAPSED = "lapsed", _("失效")
    INVALIDATED = "invalidated", _("无效")
    REJECTED = "rejected", _("驳回或撤回")
    EXPIRED = "expired", _("期限届满")


class Acquisition(models.TextChoices):
    """How the holder obtained the IP (知识产权获得方式), as the high-tech criteria ask."""

    OWN_RD = "own_rd", _("自主研发")
    ASSIGNMENT = "assignment", _("受让")
    GIFT = "gift", _("受赠")
    MERGER = "merger", _("并购")
    OTHER = "other", _("其他")


class IPClass(models.TextChoices):
    """Class I / Class II IP of the high-tech and tech-SME rules (Ⅰ类、Ⅱ类知识产权)."""

    I = "I", _("Ⅰ类")  # noqa: E741 — the official name of the class
    II = "II", _("Ⅱ类")


class OtherIPKind(models.TextChoices):
    SOFTWARE = "software", _("软件著作权")
    IC_LAYOUT = "ic_layout", _("集成电路布图设计")
    PLANT_VARIETY = "plant_variety", _("植物新品种")
    CROP_VARIETY = "crop_variety", _("国家级农作物品种")
    NATIONAL_DRUG = "national_drug", _("国家新药")
    TCM_VARIETY = "tcm_variety", _("国家一级中药保护品种")
    STANDARD = "standard", _("标准")


class StandardLevel(models.TextChoices):
    INTERNATIONAL = "international", _("国际标准")
    NATIONAL = "national", _("国家标准")
    INDUSTRY = "industry", _("行业标准")
    LOCAL = "local", _("地方标准")
    GROUP = "group", _("团体标准")


class StandardRole(models.TextChoices):
    LEAD = "lead", _("主导制定")
    PARTICIPANT = "participant", _("参与制定")
