from django.db import models
from django.utils.translation import gettext_lazy as _


class EvaluationKind(models.TextChoices):
    HTE = "hte", _("高新技术企业认定")
    TSME = "tsme", _("科技型中小企业评价")
