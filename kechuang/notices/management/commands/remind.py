"""``kechuang remind [--days N]``: deadline reminders as in-app messages (run daily from cron or a timer)."""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kechuang.core.i18n import TranslatedHelpMixin
from kechuang.notices.services import reminders_send


class Command(TranslatedHelpMixin, BaseCommand):
    help = _("为截止日期临近的通知生成站内提醒消息")

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=3, help=_("提前几天提醒（默认 3 天）"))

    def handle(self, *args, days, **options):
        self.stdout.write(gettext("已生成 {count} 条提醒").format(count=reminders_send(days=days)))
