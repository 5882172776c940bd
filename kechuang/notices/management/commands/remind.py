"""``kechuang remind [--days N]``: deadline reminders as in-app messages (run daily from cron or a timer)."""

from django.core.management.base import BaseCommand

from kechuang.notices.services import reminders_send


class Command(BaseCommand):
    help = "为截止日期临近的通知生成站内提醒消息"

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=3, help="提前几天提醒（默认 3 天）")

    def handle(self, *args, days, **options):
        self.stdout.write(f"已生成 {reminders_send(days=days)} 条提醒")
