"""List and export columns of the organisation master file."""

from decimal import Decimal

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
        Column("basis", _("统计口径")),
        Column("review_status", _("审核状态"), value=lambda r: r.get_review_status_display()),
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


# --- the yearly reporting round (年报填报) ---------------------------------------------------------------------


def _local(value):
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


class ReportingRoundTable(Table):
    title = _("年报填报")
    columns = (
        Column("name", _("名称"), value=str, link=True),
        Column("year", _("填报年度")),
        Column("region", _("填报范围"), value=lambda r: r.region.name),
        Column("opens_on", _("开始日期")),
        Column("deadline", _("截止日期")),
        Column("status", _("状态"), value=lambda r: r.get_status_display()),
    )


class RoundReportedTable(Table):
    """The figures handed in for a round (已报送): one row per enterprise, with its review."""

    title = _("已报送")
    columns = (
        Column("organisation", _("单位名称"), value=_org()),
        Column("uscc", _("统一社会信用代码"), value=_org("uscc")),
        Column("region", _("所在区划"), value=lambda f: f.organisation.region.name),
        Column("review_status", _("审核状态"), value=lambda f: f.get_review_status_display()),
        Column("submitted_at", _("提交时间"), value=lambda f: _local(f.submitted_at)),
        Column("reviewer", _("审核人"), value=lambda f: str(f.reviewer or "")),
        Column("reviewed_at", _("审核时间"), value=lambda f: _local(f.reviewed_at)),
        Column("review_comment", _("审核意见")),
        Column("basis", _("统计口径")),
        Column("staff_total", _("职工总数")),
        Column("sales_revenue", _money_label_lazy("sales_revenue"), money=True),
        Column("rd_expense", _money_label_lazy("rd_expense"), money=True),
        Column("industrial_output", _money_label_lazy("industrial_output"), money=True),
    )


class RoundMissingTable(Table):
    """The enterprises of a round that have not reported (未报送)."""

    title = _("未报送")
    columns = (
        Column("name", _("单位名称"), link=True),
        Column("uscc", _("统一社会信用代码")),
        Column("region", _("所在区划"), value=lambda o: o.region.name),
        Column("state", _("填报情况"), value=lambda o: gettext("草稿未提交") if o.has_draft else gettext("未填报")),
        Column("contact", _("联系人")),
        Column("phone", _("联系电话")),
    )


# --- what the evaluations need: monthly head counts, R&D-management evidence, integrity records ---------------


def _month_average(field: str):
    def value(row):
        start, end = getattr(row, f"{field}_start"), getattr(row, f"{field}_end")
        return (Decimal(start) + Decimal(end)) / 2

    return value


_ORG_COLUMNS = (
    Column("organisation", _("单位名称"), value=_org(), link=True),
    Column("uscc", _("统一社会信用代码"), value=_org("uscc")),
)


class MonthlyHeadcountSectionTable(Table):
    title = _("月度职工人数")
    columns = (
        Column("month_label", _("年月"), value=lambda h: f"{h.year}-{h.month:02d}", link=True),
        Column("staff_start", _("月初职工人数")),
        Column("staff_end", _("月末职工人数")),
        Column("staff_average", _("当月平均职工人数"), value=_month_average("staff")),
        Column("st_start", _("月初科技人员数")),
        Column("st_end", _("月末科技人员数")),
        Column("st_average", _("当月平均科技人员数"), value=_month_average("st")),
        Column("confirmed", _("科技局已确认")),
    )


class MonthlyHeadcountTable(MonthlyHeadcountSectionTable):
    columns = (*_ORG_COLUMNS, *MonthlyHeadcountSectionTable.columns)


class RDManagementEvidenceSectionTable(Table):
    title = _("研发组织管理佐证")
    columns = (
        Column("year", _("会计年度"), link=True),
        Column("item", _("评价子项"), value=lambda e: e.get_item_display()),
        Column("description", _("佐证说明")),
        Column("confirmed", _("科技局已确认")),
    )


class RDManagementEvidenceTable(RDManagementEvidenceSectionTable):
    columns = (*_ORG_COLUMNS, *RDManagementEvidenceSectionTable.columns)


class IntegrityRecordSectionTable(Table):
    title = _("违法失信记录")
    columns = (
        Column("kind", _("类型"), value=lambda r: r.get_kind_display(), link=True),
        Column("date", _("发生或列入日期")),
        Column("until", _("移出日期")),
        Column("description", _("情况说明")),
        Column("source", _("认定文书或来源")),
    )


class IntegrityRecordTable(IntegrityRecordSectionTable):
    columns = (*_ORG_COLUMNS, *IntegrityRecordSectionTable.columns)
