"""Choices of the science and technology activities registry (科技活动、科普)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

__all__ = ["ActivityKind"]


class ActivityKind(models.TextChoices):
    COMPETITION = "competition", _("创新创业大赛")
    TRAINING = "training", _("培训")
    POPULARISATION = "popularisation", _("科普活动")
    SCIENCE_WEEK = "science_week", _("科技活动周")
    MATCHMAKING = "matchmaking", _("项目推介与对接")
    OTHER = "other", _("其他科技活动")
