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


VERDICTS = {
    "likely": _("很可能通过（每项条件符合，最低得分高于 70 分）"),
    "borderline": _("待定（条件符合，但得分取决于专家评分）"),
    "fails": _("不符合"),
    "qualifies": _("符合"),
}
LABELS = {
    "hte": {
        "registered_1y": _("注册成立满一年（天）"),
        "core_ip": _("拥有核心知识产权（项）"),
        "domain": _("属于国家重点支持的高新技术领域"),
        "st_staff_ratio": _("科技人员占职工总数比例"),
        "rd_ratio": _("近三年研发费用占销售收入比例"),
        "rd_domestic_ratio": _("境内研发费用占研发费用比例"),
        "hitech_revenue_ratio": _("近一年高新技术产品（服务）收入占总收入比例"),
        "no_violation": _("申请前一年内无重大安全、质量事故或严重环境违法"),
        "innovation_score": _("企业创新能力评价高于 70 分"),
    },
    "tsme": {
        "resident": _("居民企业"),
        "audit_taxation": _("查账征收"),
        "size": _("职工≤500人、销售收入≤2亿元、资产总额≤2亿元"),
        "not_excluded_industry": _("不属于不适用研发费用加计扣除的行业"),
        "no_violation": _("上一年度至今无重大事故、严重违法失信"),
        "score": _("评价得分不低于 60 分"),
        "st_staff_nonzero": _("科技人员指标得分不为 0"),
    },
}
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
            lines.append("  " + gettext("认定途径：{route}").format(route=result["route"]))
        for condition in result["conditions"]:
            label = LABELS[kind][condition["code"]]
            value = "" if condition["value"] is None else f"  {_text(condition['value'])}"
            lines.append(f"  {MARKS[condition['passed']]} {label}{value}")
        if result["missing"]:
            lines.append("  " + gettext("缺少数据：{fields}").format(fields=join_list(result["missing"])))
        for gap in result["gaps"]:
            lines.append("  " + gettext("差距：{gap}").format(gap=gap))
        lines.append("")
    return "\n".join(lines)


def _text(value) -> str:
    if isinstance(value, bool):
        return gettext("是") if value else gettext("否")
    if isinstance(value, float):
        return f"{value:.2%}" if abs(value) < 10 else f"{value:,}"
    if isinstance(value, dict):
        return join_list(f"{k} {_text(v)}" for k, v in value.items())
    if isinstance(value, list):
        return "–".join(str(v) for v in value)
    return str(value)
