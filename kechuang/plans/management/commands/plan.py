"""``kechuang plan import|export|assess|observe|metrics|list`` — plans and their monitoring from the command line."""

import json
import unicodedata
from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kechuang.core.commands import command_actor
from kechuang.core.exceptions import ServiceError
from kechuang.core.i18n import TranslatedHelpMixin, join_list
from kechuang.plans.explain import percent, status_label, value_text
from kechuang.plans.models import Plan
from kechuang.plans.planfile import PlanFileError, plan_to_data, read_plan, write_xlsx, write_yaml
from kechuang.plans.selectors import assessed_regions, assessment_data, assessment_results
from kechuang.plans.services import assessment_run_many, observations_import, plan_import
from kechuang.regions.models import Region


class Command(TranslatedHelpMixin, BaseCommand):
    help = _("规划监测：导入导出规划、评估、导入人工统计数据、查看计算指标目录")

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        imp = sub.add_parser("import", help=gettext("从 YAML 或 xlsx 文件导入（新建或更新）规划"))
        imp.add_argument("file")
        exp = sub.add_parser("export", help=gettext("把规划导出为 YAML（.yaml）或 xlsx 文件"))
        exp.add_argument("code")
        exp.add_argument("file")
        assess = sub.add_parser("assess", help=gettext("评估规划某年的全部指标并保存结果"))
        assess.add_argument("code")
        assess.add_argument("--year", type=int, required=True)
        assess.add_argument("--region", help=gettext("区划代码（默认：规划所属区划）"))
        assess.add_argument("--format", choices=("table", "json"), default="table")
        assess.add_argument(
            "--children", action="store_true", help=gettext("同时评估下级区划（如市规划的各县），输出对比表")
        )
        observe = sub.add_parser(
            "observe", help=gettext("导入人工填报的统计数据（表头 indicator,region,year,value,source,vintage）")
        )
        observe.add_argument("code")
        observe.add_argument("file")
        observe.add_argument("--approve", action="store_true", help=gettext("导入后直接审核通过"))
        sub.add_parser("metrics", help=gettext("列出可用的计算指标"))
        sub.add_parser("list", help=gettext("列出规划"))
        for p in (imp, assess, observe):
            p.add_argument("--user", help=gettext("以该账号的权限操作（默认：系统）"))

    def handle(self, *args, action, **options):
        try:
            getattr(self, f"_{action}")(**options)
        except (ServiceError, PlanFileError) as exc:
            problems = getattr(exc, "problems", None) or getattr(exc, "messages", None) or [str(exc)]
            raise CommandError("\n".join(str(p) for p in problems)) from exc
        except PermissionDenied as exc:
            raise CommandError(str(exc)) from exc

    @staticmethod
    def _plan(code) -> Plan:
        plan = Plan.objects.select_related("region").filter(code=code).first()
        if plan is None:
            codes = join_list(Plan.objects.values_list("code", flat=True)) or gettext("（尚无规划）")
            raise CommandError(gettext("没有代码为“{code}”的规划；已有：{codes}").format(code=code, codes=codes))
        return plan

    def _import(self, *, file, user, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(gettext("找不到文件 {file}").format(file=file))
        plan, counts = plan_import(actor=command_actor(user), data=read_plan(path.read_bytes(), path.name))
        self.stdout.write(
            gettext(
                "已导入规划 {code}（{name}）：{count} 项指标；新建 {created} 条、更新 {updated} 条、未变 {unchanged} 条"
            ).format(code=plan.code, name=plan.name, count=plan.indicators.count(), **counts)
        )

    def _export(self, *, code, file, **options):
        data = plan_to_data(self._plan(code))
        if file.lower().endswith((".yaml", ".yml")):
            content = write_yaml(data)
        elif file.lower().endswith(".xlsx"):
            content = write_xlsx(data)
        else:
            raise CommandError(gettext("导出文件须以 .yaml、.yml 或 .xlsx 结尾"))
        Path(file).write_bytes(content)
        self.stdout.write(gettext("已导出规划 {code} 到 {file}").format(code=code, file=file))

    def _assess(self, *, code, year, region, format, user, children, **options):
        plan = self._plan(code)
        area = plan.region
        if region:
            area = Region.objects.filter(code=region).first()
            if area is None:
                raise CommandError(gettext("区划代码“{code}”不存在").format(code=region))
        regions = assessed_regions(area, children=children, year=year)
        runs = assessment_run_many(actor=command_actor(user), plan=plan, regions=regions, year=year)
        if format == "json":
            data = [assessment_data(run) for run in runs]
            self.stdout.write(json.dumps(data if children else data[0], ensure_ascii=False, indent=2))
            return
        for run in runs:
            title = gettext("{plan} · {region} · {year}年")
            self.stdout.write(title.format(plan=plan.name, region=run.region.name, year=year))
            self.stdout.write(_table(assessment_results(run)) + "\n")

    def _observe(self, *, code, file, approve, user, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(gettext("找不到文件 {file}").format(file=file))
        plan = self._plan(code)
        counts = observations_import(
            actor=command_actor(user), plan=plan, raw=path.read_bytes(), filename=path.name, approve=approve
        )
        self.stdout.write(
            gettext(
                "已导入统计数据：新建 {created} 条、更新 {updated} 条、未变 {unchanged} 条，审核通过 {approved} 条"
            ).format(**counts)
        )

    def _metrics(self, **options):
        from kechuang.plans.metrics import METRICS

        for metric in METRICS.values():
            self.stdout.write(f"{metric.code}\t{metric.name}\t{metric.unit}\t{metric.description}")

    def _list(self, **options):
        for plan in Plan.objects.select_related("region"):
            self.stdout.write(
                f"{plan.code}\t{plan.name}\t{plan.region.name}\t{plan.baseline_year}—{plan.target_year}"
                f"\t{plan.indicators.count()}"
            )


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


def _table(results) -> str:
    header = [
        gettext("指标"),
        gettext("实际值"),
        gettext("目标值"),
        gettext("完成率"),
        gettext("进度比"),
        gettext("状态"),
        gettext("年均增长"),
    ]
    rows = [header]
    for r in results:
        indicator = r.indicator
        growth = percent(r.planned_growth, indicator.growth_precision)
        rows.append(
            [
                indicator.name,
                value_text(r.actual, indicator),
                value_text(r.target, indicator),
                percent(r.completion),
                "—" if r.progress is None else f"{r.progress:.2f}",
                status_label(r.status, r.reason),
                growth,
            ]
        )
    widths = [max(_width(row[i]) for row in rows) for i in range(len(header))]
    return "\n".join("  ".join(_pad(cell, widths[i]) for i, cell in enumerate(row)).rstrip() for row in rows)
