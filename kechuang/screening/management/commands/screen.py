"""``kechuang screen POOL --year Y [--region CODE] [--user NAME]``: screen a cultivation pool over the organisations
of a region for a data year, store the candidates for the bureau to confirm, and print their count by proposal."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db.models import Count
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kechuang.core.commands import command_actor
from kechuang.core.exceptions import AccessDenied
from kechuang.core.i18n import TranslatedHelpMixin
from kechuang.orgs.models import Pool
from kechuang.regions.models import Region
from kechuang.screening.choices import Proposal
from kechuang.screening.rules import screened_pools
from kechuang.screening.services import screening_run


class Command(TranslatedHelpMixin, BaseCommand):
    help = _("年度筛选：按培育库的入库标准筛选一个区划的单位，保存候选名单，供科技局确认")

    def add_arguments(self, parser):
        parser.add_argument("pool", help=_("培育库代码：{codes}").format(codes="、".join(screened_pools())))
        parser.add_argument("--year", type=int, required=True, help=_("数据年度（用该年度已审核的年度数据）"))
        parser.add_argument("--region", default="", help=_("区划代码，如 450223；默认为 --user 账号的所属区划"))
        parser.add_argument("--user", default="", help=_("以该账号筛选（其管辖范围和权限）；不指定则以系统身份"))

    def handle(self, *args, pool, year, region, user, **options):
        actor = command_actor(user)
        found = Pool.objects.filter(code=pool).first()
        if found is None:
            raise CommandError(gettext("没有代码为“{code}”的培育库").format(code=pool))
        area = None
        if region:
            area = Region.objects.filter(code=region).first()
            if area is None:
                raise CommandError(gettext("没有代码为“{code}”的区划").format(code=region))
        try:
            run = screening_run(actor=actor, pool=found, year=year, region=area)
        except AccessDenied as exc:
            raise CommandError(str(exc)) from exc
        except ValidationError as exc:
            raise CommandError("；".join(exc.messages)) from exc
        counted = dict(run.candidates.order_by().values_list("proposal").annotate(n=Count("pk")))
        self.stdout.write(gettext("{run}：参评 {n} 家").format(run=run, n=run.screened))
        for proposal in Proposal:
            self.stdout.write(f"  {proposal.label}\t{counted.get(proposal.value, 0)}")
