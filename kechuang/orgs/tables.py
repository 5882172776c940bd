"""List and export columns of the organisation master file."""

from django.utils import timezone

from kechuang.core.tables import Column, Table

from .models import AnnualFigures


class OrganisationTable(Table):
    title = "单位档案"
    columns = (
        Column("name", "单位名称", link=True),
        Column("uscc", "统一社会信用代码"),
        Column("kind", "单位类型", value=lambda o: o.get_kind_display()),
        Column("region", "所在区划", value=lambda o: o.region.name),
        Column("industry", "所属行业", value=lambda o: str(o.industry) if o.industry else ""),
        Column(
            "hitech_domain", "高新技术领域", value=lambda o: o.get_hitech_domain_display() if o.hitech_domain else ""
        ),
        Column("above_scale", "规模以上"),
        Column("status", "状态", value=lambda o: o.get_status_display()),
    )


def _org(attr: str = "name"):
    return lambda row: getattr(row.organisation, attr)


class AnnualFiguresTable(Table):
    title = "年度数据"
    columns = (
        Column("organisation", "单位名称", value=_org(), link=True),
        Column("uscc", "统一社会信用代码", value=_org("uscc")),
        Column("year", "年度"),
        Column("staff_total", "职工总数"),
        Column("st_staff", "科技人员数"),
        *(
            Column(name, str(AnnualFigures._meta.get_field(name).verbose_name).replace("（元）", ""), money=True)
            for name in AnnualFigures.MONEY_FIELDS
        ),
        Column("source", "数据来源", value=lambda r: r.get_source_display()),
    )


class CertificateTable(Table):
    title = "资质证书"
    columns = (
        Column("organisation", "单位名称", value=_org(), link=True),
        Column("kind", "类型", value=lambda c: c.get_kind_display()),
        Column("name", "认定名称"),
        Column("level", "级别", value=lambda c: c.get_level_display()),
        Column("number", "编号"),
        Column("year", "年度"),
        Column("issue_date", "发证日期"),
        Column("valid_until", "有效期至"),
        Column("valid", "当前有效", value=lambda c: c.is_valid_on(timezone.localdate())),
    )


class PoolMembershipTable(Table):
    title = "入库记录"
    columns = (
        Column("organisation", "单位名称", value=_org(), link=True),
        Column("pool", "培育库", value=lambda m: m.pool.name),
        Column("entry_year", "入库年度"),
        Column("entry_reason", "入库理由"),
        Column("exit_year", "出库年度"),
        Column("exit_reason", "出库原因"),
    )


class ServiceRecordTable(Table):
    title = "服务记录"
    columns = (
        Column("organisation", "单位名称", value=_org(), link=True),
        Column("date", "服务日期"),
        Column("service_type", "服务类型", value=lambda r: r.get_service_type_display()),
        Column("staff", "服务人员", value=lambda r: str(r.staff or "")),
        Column("content", "服务内容"),
        Column("follow_up", "后续跟进"),
    )
