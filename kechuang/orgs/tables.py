"""List and export columns of the organisation master file."""

from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from kechuang.core.tables import Column, Table

from .models import AnnualFigures


class OrganisationTable(Table):
    title = _("单位档案")
    columns = (
        Column("name", _("单位名称"), link=True),
        Column("uscc", _("统一社会信用代码")),
        Column("kind", _("单位类型"), value=lambda o: o.get_kind_display()),
        Column("region", _("所在区划"), value=lambda o: o.region.name),
        Column("industry", _("所属行业"), value=lambda o: str(o.industry) if o.industry else ""),
        Column(
            "hitech_domain", _("高新技术领域"), value=lambda o: o.get_hitech_domain_display() if o.hitech_domain else ""
        ),
        Column("above_scale", _("规模以上")),
        Column("status", _("状态"), value=lambda o: o.get_status_display()),
    )


def _money_label(name: str) -> str:
    """The field's name without its unit (元): the table shows the unit, 万元, itself."""
    return str(AnnualFigures._meta.get_field(name).verbose_name).replace(gettext("（元）"), "").strip()


_money_label_lazy = lazy(_money_label, str)


def _org(attr: str = "name"):
    return lambda row: getattr(row.organisation, attr)


class AnnualFiguresTable(Table):
    title = _("年度数据")
    columns = (
        Column("organisation", _("单位名称"), value=_org(), link=True),
        Column("uscc", _("统一社会信用代码"), value=_org("uscc")),
        Column("year", _("年度")),
        Column("staff_total", _("职工总数")),
        Column("st_staff", _("科技人员数")),
        *(Column(name, _money_label_lazy(name), money=True) for name in AnnualFigures.MONEY_FIELDS),
        Column("source", _("数据来源"), value=lambda r: r.get_source_display()),
    )


class CertificateTable(Table):
    title = _("资质证书")
    columns = (
        Column("organisation", _("单位名称"), value=_org(), link=True),
        Column("kind", _("类型"), value=lambda c: c.get_kind_display()),
        Column("name", _("认定名称")),
        Column("level", _("级别"), value=lambda c: c.get_level_display()),
        Column("number", _("编号")),
        Column("year", _("年度")),
        Column("issue_date", _("发证日期")),
        Column("valid_until", _("有效期至")),
        Column("valid", _("当前有效"), value=lambda c: c.is_valid_on(timezone.localdate())),
    )


class PoolMembershipTable(Table):
    title = _("入库记录")
    columns = (
        Column("organisation", _("单位名称"), value=_org(), link=True),
        Column("pool", pgettext_lazy("field", "培育库"), value=lambda m: m.pool.name),
        Column("entry_year", _("入库年度")),
        Column("entry_reason", _("入库理由")),
        Column("exit_year", _("出库年度")),
        Column("exit_reason", _("出库原因")),
    )


class ServiceRecordTable(Table):
    title = _("服务记录")
    columns = (
        Column("organisation", _("单位名称"), value=_org(), link=True),
        Column("date", _("服务日期")),
        Column("service_type", _("服务类型"), value=lambda r: r.get_service_type_display()),
        Column("staff", _("服务人员"), value=lambda r: str(r.staff or "")),
        Column("content", _("服务内容")),
        Column("follow_up", _("后续跟进")),
    )
