"""List and export columns of the innovation carriers registry."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kechuang.core.tables import Column, Table

__all__ = ["CarrierTable", "TenantTable"]


def _location(carrier) -> str:
    region = carrier.location
    return region.name if region is not None else ""


class CarrierTable(Table):
    title = _("创新载体")
    columns = (
        Column("name", _("载体名称"), link=True),
        Column("kind", _("载体类型"), value=lambda c: c.get_kind_display()),
        Column("level", _("级别"), value=lambda c: c.get_level_display()),
        Column("demonstration", _("示范")),
        Column("host", _("依托单位"), value=lambda c: c.host.name if c.host_id else ""),
        Column("location", _("所在区划"), value=_location),
        Column("recognised_date", _("认定日期")),
        Column("revoked_date", _("撤销日期")),
        Column("document_number", _("认定文号")),
        Column("valid", _("当前有效"), value=lambda c: c.is_valid_on(timezone.localdate())),
    )


class TenantTable(Table):
    title = _("入驻企业")
    columns = (
        Column("tenant_name", _("企业/团队名称"), link=True),
        Column("uscc", _("统一社会信用代码"), value=lambda t: t.organisation.uscc if t.organisation_id else ""),
        Column("carrier", _("孵化载体"), value=lambda t: t.carrier.name),
        Column("carrier_kind", _("载体类型"), value=lambda t: t.carrier.get_kind_display()),
        Column("entry_date", _("入驻日期")),
        Column("exit_date", _("迁出日期")),
        Column("graduated", _("已毕业")),
        Column("resident", _("当前在孵"), value=lambda t: t.in_residence_on(timezone.localdate())),
    )
