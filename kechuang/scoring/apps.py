from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScoringConfig(AppConfig):
    name = "kechuang.scoring"
    verbose_name = _("评价模型")
