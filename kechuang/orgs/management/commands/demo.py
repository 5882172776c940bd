"""``kechuang demo``: load the Luzhai demo data (idempotent; a second run changes nothing)."""

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from kechuang.core.i18n import TranslatedHelpMixin
from kechuang.orgs.demo import load_demo


class Command(TranslatedHelpMixin, BaseCommand):
    help = _(
        "加载鹿寨县演示数据：行政区划、行业分类、培育库、常住人口，以及单位和它们的资质证书、年度数据、"
        "入库记录、服务记录；合计数与规划中的2020年数据一致。可重复运行，不会产生重复记录。"
    )

    def handle(self, *args: object, **options: object) -> None:
        # One transaction: an error anywhere leaves the database as it was.
        with transaction.atomic():
            load_demo(stdout=self.stdout)
