"""List and export columns of the IP registry."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kechuang.core.tables import Column, Table


def _joined(names: list[str]) -> str:
    return "；".join(names)


class PatentTable(Table):
    title = _("专利")
    columns = (
        Column("number", _("申请号"), value=lambda p: p.number_display, link=True),
        Column("title", _("专利名称")),
        Column("patent_type", _("专利类型"), value=lambda p: p.get_patent_type_display()),
        Column("ip_class", _("知识产权类别"), value=lambda p: p.get_ip_class_display()),
        Column("owners", _("专利权人"), value=lambda p: _joined(p.owner_names)),
        Column("region", _("所在区划"), value=lambda p: p.region.name),
        Column("application_date", _("申请日")),
        Column("grant_date", _("授权公告日")),
        Column("status", _("当前法律状态"), value=lambda p: p.status_on(timezone.localdate())),
        Column("ended_on", _("终止日期"), value=lambda p: _ended(p)),
        Column("acquisition", _("获得方式"), value=lambda p: p.get_acquisition_display()),
        Column("inventors", _("发明人"), value=lambda p: "、".join(p.inventors)),
    )


def _ended(patent):
    """The end date once it has passed (a future one is only the end of the statutory term)."""
    return patent.ended_on if patent.ended_on and patent.ended_on <= timezone.localdate() else None


class OrganisationPatentTable(Table):
    """The patents tab of an organisation's master file."""

    title = _("专利")
    columns = (
        Column("number", _("申请号"), value=lambda p: p.number_display, link=True),
        Column("title", _("专利名称")),
        Column("patent_type", _("专利类型"), value=lambda p: p.get_patent_type_display()),
        Column("owners", _("专利权人"), value=lambda p: _joined(p.owner_names)),
        Column("application_date", _("申请日")),
        Column("grant_date", _("授权公告日")),
        Column("status", _("当前法律状态"), value=lambda p: p.status_on(timezone.localdate())),
    )


class OtherIPTable(Table):
    title = _("其他知识产权")
    columns = (
        Column("organisation", _("单位名称"), value=lambda r: r.organisation.name),
        Column("kind", _("类别"), value=lambda r: r.get_kind_display()),
        Column("number", _("登记号/证书号/标准号"), link=True),
        Column("title", _("名称")),
        Column("date", _("登记/授权/发布日期")),
        Column("end_date", _("终止日期")),
        Column("ip_class", _("知识产权类别"), value=lambda r: r.get_ip_class_display()),
        Column("standard", _("标准级别/参与方式"), value=lambda r: _standard(r)),
        Column("acquisition", _("获得方式"), value=lambda r: r.get_acquisition_display()),
        Column("valid", _("当前有效"), value=lambda r: r.is_valid_on(timezone.localdate())),
    )


def _standard(record) -> str:
    if not record.standard_level:
        return ""
    return f"{record.get_standard_level_display()} · {record.get_standard_role_display()}"
