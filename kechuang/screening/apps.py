from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScreeningConfig(AppConfig):
    name = "kechuang.screening"
    verbose_name = _("年度筛选")
