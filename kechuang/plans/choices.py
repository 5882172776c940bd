"""Vocabularies of plan monitoring (规划监测评估); codes are the ones plan-monitoring.md and the YAML form use."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Kind(models.TextChoices):
    LEVEL = "level", _("水平值")
    SHARE = "share", _("比率值")
    CUMULATIVE = "cumulative", _("累计值")


class Direction(models.TextChoices):
    INCREASE = "increase", _("越大越好")
    DECREASE = "decrease", _("越小越好")


class Attribute(models.TextChoices):
    EXPECTED = "expected", _("预期性")
    BINDING = "binding", _("约束性")


class Status(models.TextChoices):
    """An indicator's status for a year (plan-monitoring.md, checked in this order)."""

    NO_DATA = "no_data", _("无法评估")
    ACHIEVED = "achieved", _("已完成")
    MISSED = "missed", _("未完成")
    AHEAD = "ahead", _("快于预期")
    ON_TRACK = "on_track", _("符合预期")
    LAGGING = "lagging", _("滞后")
    SERIOUS = "serious", _("严重滞后")


class Vintage(models.TextChoices):
    """Which release of a statistic a manual observation comes from (统计口径的版本)."""

    FLASH = "快报", pgettext_lazy("vintage", "快报")
    ANNUAL = "年报", pgettext_lazy("vintage", "年报")
    YEARBOOK = "年鉴", pgettext_lazy("vintage", "年鉴")


class ObservationStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("已提交")
    APPROVED = "approved", _("已审核")


class PlanStatus(models.TextChoices):
    ACTIVE = "active", _("执行中")
    ARCHIVED = "archived", _("已归档")
