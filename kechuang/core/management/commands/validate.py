"""``kechuang validate uscc|idcard|patent VALUE...``: check identifiers from the shell, one verdict per line."""

from argparse import ArgumentParser
from collections.abc import Callable

from django.core.management.base import BaseCommand
from django.utils.translation import gettext_lazy as _

from kechuang.core.i18n import TranslatedHelpMixin
from kechuang.core.validators import idcard_error, patent_error, uscc_error

CHECKS: dict[str, Callable[[str], str | None]] = {
    "uscc": uscc_error,
    "idcard": idcard_error,
    "patent": patent_error,
}


class Command(TranslatedHelpMixin, BaseCommand):
    help = _("校验统一社会信用代码（uscc）、身份证号码（idcard）或专利申请号（patent）；有任一无效时退出码为 1。")
    # A pure check must work even while the project's own system checks fail, e.g. on a half-configured server.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "kind",
            choices=list(CHECKS),
            help=_("号码类型：uscc 统一社会信用代码，idcard 身份证号码，patent 专利申请号"),
        )
        parser.add_argument("values", nargs="+", metavar="VALUE", help=_("要校验的号码，可一次给出多个"))

    def handle(self, *args: object, kind: str, values: list[str], **options: object) -> None:
        check = CHECKS[kind]
        invalid = 0
        for value in values:
            error = check(value)
            invalid += error is not None
            # The verdict words are a fixed interface (scripts parse them); only the reason is translated.
            self.stdout.write(f"{value}\t有效" if error is None else f"{value}\t无效：{error}")
        if invalid:
            # SystemExit rather than CommandError: the verdicts above are the whole report, no extra line.
            raise SystemExit(1)
