from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgsConfig(AppConfig):
    name = "kechuang.orgs"
    verbose_name = _("单位档案")

    def ready(self):
        from . import importers  # noqa: F401  (registers the orgs, figures, certificates and pools import schemas)
        from .evaluation_sections import register

        register()  # the tabs of the monthly head counts, R&D-management evidence and integrity records
