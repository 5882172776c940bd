"""``kechuang account reset-password|unlock USERNAME``: the server-side way to manage any account, including the
three administrators' (which nobody can manage from the web). Audited like every other change."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kechuang.accounts import services
from kechuang.accounts.models import User
from kechuang.core.i18n import TranslatedHelpMixin


class Command(TranslatedHelpMixin, BaseCommand):
    help = _("在服务器上重置账号密码或解除锁定（包括三员账号），操作记入审计日志")

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["reset-password", "unlock"])
        parser.add_argument("username")

    def handle(self, *args, action, username, **options):
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(gettext("账号“{username}”不存在").format(username=username))
        if action == "unlock":
            services.user_unlock(actor=None, user=user)
            self.stdout.write(gettext("已解除 {username} 的锁定").format(username=username))
            return
        password = services.password_reset(actor=None, user=user)
        self.stdout.write(
            gettext("{username} 的新初始密码：{password}（只显示这一次，登录后须修改）").format(
                username=username, password=password
            )
        )
