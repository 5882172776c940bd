"""Choices of the annual screening (年度筛选)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Proposal(models.TextChoices):
    ENTRY = "entry", _("建议入库")
    EXIT = "exit", _("建议出库")
    STAY = "stay", _("继续在库")


class Decision(models.TextChoices):
    PENDING = "pending", _("待确认")
    CONFIRMED = "confirmed", _("已确认")
    REJECTED = "rejected", _("不予采纳")
    NONE = "none", _("无需确认")
