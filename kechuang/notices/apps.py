from django.apps import AppConfig


class NoticesConfig(AppConfig):
    name = "kechuang.notices"
    verbose_name = "通知公告"
