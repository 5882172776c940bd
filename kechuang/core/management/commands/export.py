"""``kechuang export KIND FILE.xlsx [--region CODE] [--year Y] [--where FIELD=VALUE ...] [--user NAME]``."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kechuang.core.commands import command_actor
from kechuang.core.i18n import TranslatedHelpMixin
from kechuang.core.importkit import get_schema, write_export
from kechuang.core.tabular import TableError
from kechuang.regions.models import Region


class Command(TranslatedHelpMixin, BaseCommand):
    help = _("按导入模板的格式导出数据（导出的文件可修改后用 --update 导回）；只导出该账号可见的记录")

    def add_arguments(self, parser):
        parser.add_argument("kind", help=_("导入类型，见 kechuang import --list"))
        parser.add_argument("file", help=_("要写入的 .xlsx 文件"))
        parser.add_argument("--region", help=_("只导出该区划及其下级的记录（区划代码）"))
        parser.add_argument("--year", type=int, help=_("只导出该年度（有年度的类型）"))
        parser.add_argument("--where", action="append", default=[], metavar="FIELD=VALUE",
                            help=_("只导出该列等于该值的行（列名用模板表头或字段名），可重复"))  # fmt: skip
        parser.add_argument("--user", help=_("以该账号的权限和管辖范围导出（默认：系统，全部记录）"))

    def handle(self, *args, kind, file, region, year, where, user, **options):
        try:
            schema = get_schema(kind)
            conditions = dict(self._condition(text) for text in where)
            actor = command_actor(user)
            area = Region.objects.filter(code=region).first() if region else None
            if region and area is None:
                raise CommandError(gettext("区划代码“{code}”不存在").format(code=region))
            records = schema.export_queryset(actor=actor, region=area, year=year)
            with open(file, "wb") as stream:
                count = write_export(schema, records.iterator(chunk_size=2000), stream, where=conditions)
        except TableError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(gettext("已导出 {count} 行到 {file}").format(count=count, file=file))

    @staticmethod
    def _condition(text: str) -> tuple[str, str]:
        name, sep, value = text.partition("=")
        if not sep:
            raise CommandError(gettext("--where 应写成 列名=值，例如 --where 规模以上=是"))
        return name.strip(), value.strip()
