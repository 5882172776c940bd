"""List and export columns of the annual screening."""

from decimal import Decimal

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kechuang.core.tables import Column, Table
from kechuang.core.units import to_wan
from kechuang.evaluation.labels import VERDICTS


def percent(value) -> Decimal | None:
    """A stored ratio ("0.200000") as a percentage with two decimals (20.00)."""
    return None if value in (None, "") else (Decimal(str(value)) * 100).quantize(Decimal("0.01"))


def _figure(name: str, convert=None):
    def get(row):
        value = (row.figures or {}).get(name)
        return convert(value) if convert is not None and value is not None else value

    return get


def _wan(value):
    return to_wan(Decimal(str(value)))


class RunTable(Table):
    title = _("筛选批次")
    columns = (
        Column("run_at", _("筛选时间"), link=True),
        Column("pool", pgettext_lazy("field", "培育库"), value=lambda r: r.pool.name),
        Column("year", _("数据年度")),
        Column("region", _("筛选范围"), value=lambda r: r.region.name),
        Column("screened", _("参评单位数")),
        Column("run_by", _("筛选人"), value=lambda r: getattr(r.run_by, "username", "") or _("系统")),
        Column("digest", _("标准摘要"), value=lambda r: r.digest[:12]),
    )


class CandidateTable(Table):
    title = _("候选名单")
    columns = (
        Column("rank", _("排名")),
        Column("organisation", _("单位名称"), value=lambda c: c.organisation.name),
        Column("uscc", _("统一社会信用代码"), value=lambda c: c.organisation.uscc),
        Column("region", _("所在区划"), value=lambda c: c.organisation.region.name),
        Column("proposal", _("建议"), value=lambda c: c.get_proposal_display()),
        Column("revenue", _("销售收入（万元）"), value=_figure("revenue", _wan)),
        Column("revenue_growth", _("销售收入增长率（%）"), value=_figure("revenue_growth", percent)),
        Column("revenue_cagr_2y", _("两年复合增长率（%）"), value=_figure("revenue_cagr_2y", percent)),
        Column("rd_ratio", _("研发费用占比（%）"), value=_figure("rd_ratio", percent)),
        Column("hte_total_max", _("高企评价最高可得分"), value=_figure("hte_total_max")),
        Column("reasons", _("理由"), value=lambda c: c.reason_text()),
        Column("decision", _("确认结果"), value=lambda c: c.get_decision_display()),
        Column("decided_by", _("确认人"), value=lambda c: getattr(c.decided_by, "username", "")),
        Column("decided_at", _("确认时间")),
        Column("comment", _("确认意见")),
    )


class TrajectoryTable(Table):
    """One row per member and year (export of the trajectories)."""

    title = _("成长轨迹")
    columns = (
        Column("organisation", _("单位名称"), value=lambda r: r["organisation"].name),
        Column("uscc", _("统一社会信用代码"), value=lambda r: r["organisation"].uscc),
        Column("year", _("年度"), value=lambda r: r["point"].year),
        Column("revenue", _("销售收入"), value=lambda r: r["point"].revenue, money=True),
        Column("rd_expense", _("研究开发费用"), value=lambda r: r["point"].rd_expense, money=True),
        Column("rd_ratio", _("研发费用占比（%）"), value=lambda r: percent(r["point"].rd_ratio)),
        Column("staff_total", _("职工总数"), value=lambda r: r["point"].staff_total),
        Column("st_staff", _("科技人员数"), value=lambda r: r["point"].st_staff),
        Column("class1_ip", _("Ⅰ类知识产权"), value=lambda r: r["point"].class1_ip),
        Column("class2_ip", _("Ⅱ类知识产权"), value=lambda r: r["point"].class2_ip),
        Column("hte", _("高新技术企业评价"), value=lambda r: _verdict(r["point"].verdicts.get("hte"))),
        Column("tsme", _("科技型中小企业评价"), value=lambda r: _verdict(r["point"].verdicts.get("tsme"))),
    )


class MemberTrajectoryTable(TrajectoryTable):
    """One member's years on its own page (its name is the page's title)."""

    columns = TrajectoryTable.columns[2:]


def _verdict(code: str | None) -> str:
    return str(VERDICTS.get(code, "")) if code else ""


class ExpiringTable(Table):
    title = _("高新技术企业证书到期")
    columns = (
        Column("organisation", _("单位名称"), value=lambda c: c.organisation.name, link=True),
        Column("uscc", _("统一社会信用代码"), value=lambda c: c.organisation.uscc),
        Column("region", _("所在区划"), value=lambda c: c.organisation.region.name),
        Column("number", _("证书编号")),
        Column("issue_date", _("发证日期")),
        Column("valid_until", _("有效期至")),
        Column("flag", _("提示"), value=lambda c: _("须申请重新认定")),
    )
