from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IpConfig(AppConfig):
    name = "kechuang.ip"
    verbose_name = _("知识产权")
