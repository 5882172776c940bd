"""``kechuang setup``: what ``make run`` does after migrating — demo data when empty, and the first accounts."""

import os

from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kechuang.accounts.choices import Role
from kechuang.accounts.models import User
from kechuang.accounts.services import user_create
from kechuang.core.i18n import TranslatedHelpMixin
from kechuang.orgs.models import Organisation
from kechuang.regions.models import Region

# (username, role, region code, full name); the first is the administrator of the installation.
FIRST_ACCOUNTS = (
    ("admin", Role.SYSADMIN, None, "系统管理员"),
    ("luzhai", Role.BUREAU_ADMIN, "450223", "鹿寨县科工贸局管理员"),
    ("security", Role.SECADMIN, None, "安全管理员"),
    ("auditor", Role.AUDITADMIN, None, "审计管理员"),
    ("leader", Role.LEADER, "450223", "县领导"),
)


class Command(TranslatedHelpMixin, BaseCommand):
    help = _("首次启动：数据库为空时载入鹿寨演示数据，并创建管理员等初始账号（密码取自环境变量或自动生成并只显示一次）")

    def add_arguments(self, parser):
        parser.add_argument("--no-demo", action="store_true", help=_("不载入演示数据"))

    def handle(self, *args, no_demo, **options):
        if not no_demo and not Organisation.objects.exists():
            call_command("demo", stdout=self.stdout)
        elif not Region.objects.exists():
            call_command("regions", "builtin", stdout=self.stdout)
        with transaction.atomic():
            created = [
                self._account(*spec) for spec in FIRST_ACCOUNTS if not User.objects.filter(username=spec[0]).exists()
            ]
        for line in created:
            self.stdout.write(self.style.WARNING(line))

    def _account(self, username, role, region_code, full_name):
        env_password = os.environ.get("KECHUANG_ADMIN_PASSWORD") if username == "admin" else None
        region = Region.objects.filter(code=region_code).first() if region_code else None
        try:
            _user, generated = user_create(
                actor=None, username=username, role=role, password=env_password, region=region, full_name=full_name
            )
        except ValidationError as error:
            raise CommandError(
                gettext("KECHUANG_ADMIN_PASSWORD 不符合密码规则：{reason}").format(reason="；".join(error.messages))
            ) from error
        if generated is None:
            return gettext("已创建账号 {username}，密码取自环境变量 KECHUANG_ADMIN_PASSWORD").format(username=username)
        return gettext(
            "已创建账号 {username}（{full_name}），初始密码：{password}（只显示这一次，首次登录须修改）"
        ).format(username=username, full_name=full_name, password=generated)
