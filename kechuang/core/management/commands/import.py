"""``kechuang import KIND FILE [--dry-run] [--update] [--user NAME]`` and ``kechuang import --list``."""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kechuang.core.commands import command_actor
from kechuang.core.exceptions import AccessDenied
from kechuang.core.i18n import TranslatedHelpMixin
from kechuang.core.importkit import ImportRefused, registry, run_import
from kechuang.core.tabular import TableError


class Command(TranslatedHelpMixin, BaseCommand):
    help = _("从 Excel（.xlsx）或 CSV 导入数据：先整体校验，有任何错误则全部列出、不写入，退出码为 1")

    def add_arguments(self, parser):
        parser.add_argument("kind", nargs="?", help=_("导入类型"))
        parser.add_argument("file", nargs="?", help=_(".xlsx 或 .csv 文件"))
        parser.add_argument("--list", dest="list_kinds", action="store_true", help=_("列出可导入的类型，每行一个"))
        parser.add_argument("--dry-run", action="store_true", help=_("只校验并预览，不写入"))
        parser.add_argument(
            "--update", action="store_true", help=_("按自然键更新已有记录（重复导入同一文件不会改变任何数据）")
        )
        parser.add_argument("--user", help=_("以该账号的权限和管辖范围导入（默认：系统）"))

    def handle(self, *args, kind, file, list_kinds, dry_run, update, user, **options):
        if list_kinds:
            for name, schema in registry().items():
                self.stdout.write(f"{name}\t{schema.title}")
            return
        if not kind or not file:
            raise CommandError(gettext("用法：kechuang import KIND FILE [--dry-run] [--update]"))
        path = Path(file)
        if not path.is_file():
            raise CommandError(gettext("找不到文件：{file}").format(file=file))
        actor = command_actor(user)
        try:
            report = run_import(
                kind,
                actor=actor,
                raw=path.read_bytes(),
                filename=path.name,
                update=update,
                dry_run=dry_run,
                progress=self._progress,
            )
        except ImportRefused as refused:
            for message in refused.messages:
                self.stderr.write(message)
            self.stderr.write(gettext("共 {n} 处错误，未导入任何数据").format(n=len(refused.messages)))
            raise SystemExit(1) from None
        except AccessDenied as denied:
            self.stderr.write(str(denied))
            raise SystemExit(1) from None
        except TableError as exc:  # an unknown kind
            raise CommandError(str(exc)) from exc
        if sys.stderr.isatty():
            sys.stderr.write("\n")
        prefix = gettext("预览（未写入）") if dry_run else gettext("导入完成")
        self.stdout.write(
            gettext("{prefix}：共 {rows} 行，新增 {created}，更新 {updated}，未变 {unchanged}").format(
                prefix=prefix,
                rows=report.rows,
                created=report.created,
                updated=report.updated,
                unchanged=report.unchanged,
            )
        )

    @staticmethod
    def _progress(done: int, total: int | None) -> None:
        if sys.stderr.isatty():
            sys.stderr.write("\r" + progress_bar(done, total))
            sys.stderr.flush()


def progress_bar(done: int, total: int | None, width: int = 30) -> str:
    """``[#########.........]  30% 3000/10000 行`` (the total counts the file's rows, header and blanks included,
    so the bar may end short of 100% until the report is printed)."""
    if not total:
        return gettext("已处理 {done} 行").format(done=done)
    filled = min(width, done * width // total)
    percent = min(100, done * 100 // total)
    return f"[{'#' * filled}{'.' * (width - filled)}] {percent:3d}% " + gettext("{done}/{total} 行").format(
        done=done, total=total
    )
