"""``kechuang template KIND FILE.xlsx``: write the import template of one kind."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kechuang.core.i18n import TranslatedHelpMixin
from kechuang.core.importkit import template_schema, write_template
from kechuang.core.tabular import TableError


class Command(TranslatedHelpMixin, BaseCommand):
    help = _("生成某类数据的 Excel 导入模板（表头、必填标记、下拉选项、填写说明和示例）")

    def add_arguments(self, parser):
        parser.add_argument("kind", help=_("导入类型，见 kechuang import --list"))
        parser.add_argument("file", help=_("要写入的 .xlsx 文件"))

    def handle(self, *args, kind, file, **options):
        try:
            schema = template_schema(kind)
        except TableError as exc:
            raise CommandError(str(exc)) from exc
        with open(file, "wb") as stream:
            write_template(schema, stream)
        self.stdout.write(gettext("已生成{title}导入模板：{file}").format(title=schema.title, file=file))
