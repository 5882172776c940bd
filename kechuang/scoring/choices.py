"""Vocabularies of the scoring models (评价模型)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Subject(models.TextChoices):
    """What a model scores."""

    ENTERPRISE = "enterprise", _("企业")
    ACHIEVEMENT = "achievement", _("科技成果")
    TALENT = "talent", _("科技人才")
    PROJECT = "project", _("项目")


class ModelStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    PUBLISHED = "published", _("已发布")
    RETIRED = "retired", _("已停用")


class BandUnit(models.TextChoices):
    """How a band's value is read: points, or a fraction of the criterion's weight."""

    POINTS = "points", _("分值")
    FRACTION = "fraction", _("权重的比例")


class Verdict(models.TextChoices):
    """Whether a subject meets a model's pass score; undecided when missing data could still lift it over."""

    MEETS = "meets", _("达标")
    UNDECIDED = "undecided", _("待定（缺少数据）")
    FAILS = "fails", _("未达标")
