from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "kechuang.core"
    verbose_name = "核心"
