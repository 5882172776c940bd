from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActivitiesConfig(AppConfig):
    name = "kechuang.activities"
    verbose_name = _("科技活动")

    def ready(self):
        from . import importers, sections  # noqa: F401  (importers registers the activities kind)

        sections.register()
