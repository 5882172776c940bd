from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CarriersConfig(AppConfig):
    name = "kechuang.carriers"
    verbose_name = _("创新载体")

    def ready(self):
        from . import importers, sections  # noqa: F401  (importers registers the carriers and tenants kinds)

        sections.register()
