"""``kechuang regions import FILE`` and ``kechuang regions population FILE``: load divisions or population."""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kechuang.core.i18n import TranslatedHelpMixin
from kechuang.regions import services


class Command(TranslatedHelpMixin, BaseCommand):
    help = _(
        "导入行政区划（表头 code,name,level,parent_code,valid_from,valid_to）"
        "或常住人口（表头 code,year,resident,source）"
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        for name, text in (
            ("import", _("导入行政区划")),
            ("population", _("导入常住人口")),
            ("builtin", _("载入内置的广西—柳州—鹿寨区划")),
        ):
            p = sub.add_parser(name, help=text)
            if name != "builtin":
                p.add_argument("file", help=_("CSV（UTF-8 或 GB18030）或 xlsx 文件"))

    def handle(self, *args, action, **options):
        try:
            if action == "builtin":
                result = services.load_builtin_regions()
            else:
                path = Path(options["file"])
                if not path.is_file():
                    raise CommandError(gettext("找不到文件：{path}").format(path=path))
                service = services.region_import if action == "import" else services.population_import
                result = service(actor=None, raw=path.read_bytes(), filename=path.name)
        except ValidationError as error:
            for message in error.messages:
                self.stderr.write(message)
            raise CommandError(
                gettext("共 {count} 处错误，未导入任何数据").format(count=len(error.messages))
            ) from error
        self.stdout.write(
            gettext("新增 {created} 条，更新 {updated} 条，未变 {unchanged} 条").format(
                created=result.created, updated=result.updated, unchanged=result.unchanged
            )
        )
