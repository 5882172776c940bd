"""``kechuang report monitoring --plan CODE --year Y --out FILE.docx [--region CODE] [--xlsx FILE.xlsx]
[--user NAME]`` — the annual monitoring report of a plan as Word and/or xlsx."""

from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError
from django.http import Http404
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kechuang.core.commands import command_actor
from kechuang.core.exceptions import ServiceError
from kechuang.core.i18n import TranslatedHelpMixin, join_list
from kechuang.plans.models import Assessment, Plan
from kechuang.plans.services import assessment_run
from kechuang.regions.models import Region
from kechuang.reports.fonts import FontMissing, cjk_font
from kechuang.reports.monitoring import monitoring_docx, monitoring_report, monitoring_xlsx
from kechuang.reports.selectors import report_assessment, report_scope


class Command(TranslatedHelpMixin, BaseCommand):
    help = _("生成报告：monitoring 为规划年度监测评估报告（Word，并可同时输出 xlsx）")

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="kind", required=True)
        monitoring = sub.add_parser("monitoring", help=gettext("规划年度监测评估报告；没有当前评估结果时先运行评估"))
        monitoring.add_argument("--plan", required=True, help=gettext("规划代码，如 luzhai-14"))
        monitoring.add_argument("--year", type=int, required=True, help=gettext("评估年份"))
        monitoring.add_argument("--out", required=True, help=gettext("输出文件：.docx（Word），或 .xlsx（只输出表格）"))
        monitoring.add_argument("--region", default="", help=gettext("区划代码（默认：规划所属区划）"))
        monitoring.add_argument("--xlsx", help=gettext("同时把表格写入该 .xlsx 文件"))
        monitoring.add_argument("--user", help=gettext("以该账号的权限和管辖范围生成（默认：系统）"))

    def handle(self, *args, kind, **options):
        try:
            getattr(self, f"_{kind}")(**options)
        except (ServiceError, PermissionDenied, FontMissing) as exc:
            raise CommandError("\n".join(getattr(exc, "messages", None) or [str(exc)])) from exc

    def _monitoring(self, *, plan, year, out, region, xlsx, user, **options):
        outputs = self._outputs(out, xlsx)
        if any(path.suffix.lower() == ".docx" for path in outputs):
            cjk_font()  # refuse before an assessment is run for a report that cannot be drawn
        actor = command_actor(user)
        plan_obj, area = self._scope(actor, plan, region)
        assessment = self._assessment(actor, plan_obj, area, year)
        report = monitoring_report(assessment)
        contents = {
            path: (monitoring_docx(report) if path.suffix.lower() == ".docx" else monitoring_xlsx(report))
            for path in outputs
        }  # both built before either is written: a missing font leaves no half of the pair behind
        for path, content in contents.items():
            path.write_bytes(content)
        counts = join_list(gettext("{label} {count}").format(label=label, count=n) for _key, label, n in report.counts)
        self.stdout.write(
            gettext("已生成《{title}》：{files}（{total}项指标：{counts}）").format(
                title=report.title, files=join_list(str(p) for p in outputs), total=len(report.rows), counts=counts
            )
        )

    @staticmethod
    def _outputs(out: str, xlsx: str | None) -> list[Path]:
        outputs = [Path(out)] + ([Path(xlsx)] if xlsx else [])
        if outputs[0].suffix.lower() not in (".docx", ".xlsx"):
            raise CommandError(gettext("--out 须以 .docx 或 .xlsx 结尾：{file}").format(file=out))
        if xlsx and outputs[1].suffix.lower() != ".xlsx":
            raise CommandError(gettext("--xlsx 须以 .xlsx 结尾：{file}").format(file=xlsx))
        for path in outputs:
            if not path.parent.is_dir():
                raise CommandError(gettext("目录不存在：{folder}").format(folder=path.parent))
        return outputs

    @staticmethod
    def _scope(actor, code: str, region: str) -> tuple[Plan, Region]:
        if actor is not None:
            try:
                return report_scope(user=actor, plan_code=code, region_code=region)
            except Http404:
                message = gettext("规划“{code}”或区划“{region}”不存在，或不在账号的管辖范围内")
                raise CommandError(message.format(code=code, region=region or "—")) from None
        plan = Plan.objects.select_related("region").filter(code=code).first()
        if plan is None:
            codes = join_list(Plan.objects.values_list("code", flat=True)) or gettext("（尚无规划）")
            raise CommandError(gettext("没有代码为“{code}”的规划；已有：{codes}").format(code=code, codes=codes))
        area = Region.objects.filter(code=region).first() if region else plan.region
        if area is None:
            raise CommandError(gettext("区划代码“{code}”不存在").format(code=region))
        return plan, area

    def _assessment(self, actor, plan: Plan, region: Region, year: int) -> Assessment:
        if actor is None:
            found = (
                Assessment.objects.filter(plan=plan, region=region, year=year, current=True)
                .select_related("plan", "region", "computed_by")
                .first()
            )
        else:
            found = report_assessment(user=actor, plan=plan, region=region, year=year)
        if found is not None:
            return found
        self.stdout.write(gettext("{region}{year}年尚无评估结果，先运行评估").format(region=region.name, year=year))
        return assessment_run(actor=actor, plan=plan, region=region, year=year)
