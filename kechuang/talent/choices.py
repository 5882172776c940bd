"""Choices of the talent registry."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Gender(models.TextChoices):
    MALE = "male", _("男")
    FEMALE = "female", _("女")


class Education(models.TextChoices):
    DOCTOR = "doctor", _("博士")
    MASTER = "master", _("硕士")
    BACHELOR = "bachelor", _("本科")
    COLLEGE = "college", _("大专及以下")


class TitleLevel(models.TextChoices):
    """Level of a professional title (专业技术职称等级); 正高 and 副高 both count as 高级."""

    SENIOR = "senior", _("高级")
    INTERMEDIATE = "intermediate", _("中级")
    JUNIOR = "junior", _("初级")


# Highest first: a person's level on a day is the highest of the titles obtained by then.
TITLE_RANK = {TitleLevel.SENIOR: 3, TitleLevel.INTERMEDIATE: 2, TitleLevel.JUNIOR: 1}


class CommissionerLevel(models.TextChoices):
    """Who selected the commissioner (选派层级): 区 (自治区), 市 or 县."""

    REGION = "region", _("自治区级")
    CITY = "city", _("市级")
    COUNTY = "county", _("县级")


class ServiceKind(models.TextChoices):
    GUIDANCE = "guidance", _("现场指导")
    DEMONSTRATION = "demonstration", _("示范推广")
    TRAINING = "training", _("技术培训")
    OTHER = "other", _("其他")


# Field visits (实地科技服务) are every kind but training, which the plan counts separately (培训次数、培训人数).
VISIT_KINDS = (ServiceKind.GUIDANCE, ServiceKind.DEMONSTRATION, ServiceKind.OTHER)
