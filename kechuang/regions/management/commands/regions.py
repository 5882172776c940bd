"""``kechuang regions import FILE`` and ``kechuang regions population FILE``: load divisions or population."""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from kechuang.regions import services


class Command(BaseCommand):
    help = (
        "导入行政区划（表头 code,name,level,parent_code,valid_from,valid_to）"
        "或常住人口（表头 code,year,resident,source）"
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        for name, text in (
            ("import", "导入行政区划"),
            ("population", "导入常住人口"),
            ("builtin", "载入内置的广西—柳州—鹿寨区划"),
        ):
            p = sub.add_parser(name, help=text)
            if name != "builtin":
                p.add_argument("file", help="CSV（UTF-8 或 GB18030）或 xlsx 文件")

    def handle(self, *args, action, **options):
        try:
            if action == "builtin":
                result = services.load_builtin_regions()
            else:
                path = Path(options["file"])
                if not path.is_file():
                    raise CommandError(f"找不到文件：{path}")
                service = services.region_import if action == "import" else services.population_import
                result = service(actor=None, raw=path.read_bytes(), filename=path.name)
        except ValidationError as error:
            for message in error.messages:
                self.stderr.write(message)
            raise CommandError(f"共 {len(error.messages)} 处错误，未导入任何数据") from error
        self.stdout.write(f"新增 {result.created} 条，更新 {result.updated} 条，未变 {result.unchanged} 条")
