"""``kechuang remind [--days N]``: deadline reminders as in-app messages (run daily from cron or a timer).

Two kinds: notices whose deadline is near (to everyone the notice is aimed at), and open yearly reporting rounds
(年报填报) whose deadline is near (to the users of the organisations that have not submitted). Each recipient gets
each reminder once, however often the command runs."""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kechuang.core.i18n import TranslatedHelpMixin
from kechuang.notices.services import reminders_send
from kechuang.orgs.services import round_reminders_send


class Command(TranslatedHelpMixin, BaseCommand):
    help = _("为截止日期临近的通知和年报填报生成站内提醒消息")

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=3, help=_("提前几天提醒（默认 3 天）"))

    def handle(self, *args, days, **options):
        notices = reminders_send(days=days)
        rounds = round_reminders_send(days=days)
        self.stdout.write(gettext("已生成 {count} 条提醒").format(count=notices + rounds))
        if rounds:
            self.stdout.write(gettext("其中年报填报提醒 {count} 条").format(count=rounds))
