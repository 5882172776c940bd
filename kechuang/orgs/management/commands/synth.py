"""``kechuang synth --scale county|city|province --seed N``: fill a benchmark database with synthetic data."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kechuang.core.exceptions import ServiceError
from kechuang.core.i18n import TranslatedHelpMixin
from kechuang.orgs.synth import SCALES, synth_generate


class Command(TranslatedHelpMixin, BaseCommand):
    help = _(
        "生成基准测试用的合成数据：行政区划、单位、近5个完整年度的年度数据、资质证书、专利及其权利人和法律状态。"
        "county 为鹿寨县（约1,000家单位、10,000件专利），city 为柳州市（约10,000家、100,000件），"
        "province 为广西14个设区市、111个县级区划（100,000家、1,000,000件）。同一 --seed 生成的数据相同。"
        "合成数据只用于基准测试库，例如 export DATABASE_URL=sqlite:////tmp/province.sqlite3; "
        "kechuang migrate && kechuang synth --scale province。"
        "合成记录批量写入，不写逐条审计日志：它们是基准数据，不是任何人录入的记录。"
        "库中已有非合成单位时拒绝执行（--force 除外）；已有同样参数生成的合成数据时不做任何改动，"
        "已有其他参数生成的合成数据时拒绝执行。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=list(SCALES), required=True, help=_("规模：county、city 或 province"))
        parser.add_argument("--seed", type=int, default=1, help=_("随机数种子（默认 1）"))
        parser.add_argument("--orgs", type=int, help=_("单位数，代替该规模的默认值（测试用）"))
        parser.add_argument("--patents", type=int, help=_("专利数，代替该规模的默认值（测试用）"))
        parser.add_argument("--force", action="store_true", help=_("库中已有非合成单位时仍然写入"))

    def handle(self, *args, scale, seed, orgs, patents, force, **options):
        try:
            summary = synth_generate(
                scale=scale, seed=seed, orgs=orgs, patents=patents, force=force, progress=self._progress
            )
        except ServiceError as error:
            raise CommandError(" ".join(error.messages)) from error
        if summary.unchanged:
            self.stdout.write(gettext("库中已有同样参数生成的合成数据，未做任何改动"))
            return
        self.stdout.write(
            gettext("已生成合成数据（{scale}，种子 {seed}），用时 {seconds:.1f} 秒：").format(
                scale=scale, seed=seed, seconds=summary.seconds
            )
        )
        width = max(len(label) for label in summary.counts)
        for label, count in summary.counts.items():
            self.stdout.write(f"  {label}{'　' * (width - len(label))}  {count:>12,}")

    def _progress(self, label: str, done: int, total: int) -> None:
        if self.stdout.isatty():
            self.stdout.write(f"\r{label} {done:,}/{total:,}", ending="\n" if done == total else "")
            self.stdout.flush()
