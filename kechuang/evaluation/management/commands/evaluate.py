"""``kechuang evaluate hte|tsme --input FILE [--format json|table]``: the standalone evaluation for enterprises and
consultants, without an account and without a database (issue #5 item 7)."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kechuang.core.i18n import TranslatedHelpMixin, join_list
from kechuang.core.tabular import TableError
from kechuang.evaluation import hte, tsme
from kechuang.evaluation.inputs import InputRefused, read_inputs
from kechuang.evaluation.labels import CONDITIONS, FIELDS, ROUTES, VERDICTS, shown

ENGINES = {"hte": hte, "tsme": tsme}


class Command(TranslatedHelpMixin, BaseCommand):
    help = _("按国家高新技术企业认定条件（hte）或科技型中小企业评价办法（tsme）自评，不需要账号和数据库")
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=sorted(ENGINES), help=_("hte：高新技术企业；tsme：科技型中小企业"))
        parser.add_argument("--input", required=True, help=_("企业数据：xlsx 模板（kechuang template evaluation-hte|"
                                                             "evaluation-tsme）或 JSON"))  # fmt: skip
        parser.add_argument("--format", choices=("json", "table"), default="json", help=_("输出格式（默认 json）"))

    def handle(self, *args, kind, input, format, **options):
        path = Path(input)
        if not path.is_file():
            raise CommandError(gettext("找不到文件“{file}”").format(file=input))
        try:
            records = read_inputs(kind, path.read_bytes(), path.name)
            results = ENGINES[kind].evaluate(records)
        except (InputRefused, hte.ExpertScoreError) as exc:
            raise CommandError("\n".join(exc.messages)) from exc
        except TableError as exc:
            raise CommandError(str(exc)) from exc
        if format == "json":
            self.stdout.write(json.dumps(results, ensure_ascii=False, indent=2))
        else:
            self.stdout.write(table(kind, records, results))


MARKS = {True: "✔", False: "✘", None: "?"}


def table(kind: str, records: list[dict], results: list[dict]) -> str:
    """The results as text for a terminal: one block per enterprise with its verdict, score, every condition, the
    missing data and the gaps."""
    lines = []
    for record, result in zip(records, results, strict=True):
        low, high = result["total"]
        score = f"{low}" if low == high else f"{low}–{high}"
        lines.append(f"{record['uscc']}  {record['name']}")
        lines.append("  " + gettext("结论：{verdict}　得分：{score}").format(verdict=VERDICTS[result["verdict"]],
                                                                         score=score))  # fmt: skip
        if result["route"]:
            lines.append("  " + gettext("认定途径：{route}").format(route=ROUTES[result["route"]]))
        for condition in result["conditions"]:
            label = CONDITIONS[kind][condition["code"]]
            value = shown(condition["code"], condition["value"])
            value = "" if value == "—" else f"  {value}"
            lines.append(f"  {MARKS[condition['passed']]} {label}{value}")
        if result["missing"]:
            fields = dict.fromkeys(str(FIELDS.get(name.split("[")[0], name)) for name in result["missing"])
            lines.append("  " + gettext("缺少数据：{fields}").format(fields=join_list(fields)))
        for gap in result["gaps"]:
            lines.append("  " + gettext("差距：{gap}").format(gap=gap))
        lines.append("")
    return "\n".join(lines)
