from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IpConfig(AppConfig):
    name = "kechuang.ip"
    verbose_name = _("知识产权")

    def ready(self):
        from . import importers, sections  # noqa: F401  (importers registers the patents and other-ip kinds)

        sections.register()
