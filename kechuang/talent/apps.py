from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TalentConfig(AppConfig):
    name = "kechuang.talent"
    verbose_name = _("科技人才")

    def ready(self):
        from . import checks, importers, sections  # noqa: F401  (system checks, import kinds, master-file tabs)
