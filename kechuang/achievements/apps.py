from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AchievementsConfig(AppConfig):
    name = "kechuang.achievements"
    verbose_name = _("科技成果")

    def ready(self):
        from . import importers  # noqa: F401  (registers the achievements, conversions and contracts import kinds)
        from .sections import register

        register()
