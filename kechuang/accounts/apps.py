from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "kechuang.accounts"
    verbose_name = "账号与权限"

    def ready(self):
        from . import signals  # noqa: F401
