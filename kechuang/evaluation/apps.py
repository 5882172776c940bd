from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationConfig(AppConfig):
    name = "kechuang.evaluation"
    verbose_name = _("评价与政策")

    def ready(self):
        from . import inputs  # noqa: F401  (registers the evaluation-hte / evaluation-tsme templates)
