from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "kechuang.orgs"
    verbose_name = "单位档案"
