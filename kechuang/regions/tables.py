"""List and export columns of the regions app."""

from django.utils.translation import gettext_lazy as _

from kechuang.core.tables import Column, Table


class RegionTable(Table):
    title = _("行政区划")
    columns = (
        Column("code", _("区划代码")),
        Column("name", _("名称")),
        Column("level", _("级别"), value=lambda r: r.get_level_display()),
        Column("parent", _("上级区划"), value=lambda r: r.parent.name if r.parent else ""),
        Column("valid_from", _("启用日期")),
        Column("valid_to", _("撤销日期")),
        Column("resident", _("常住人口（人）"), value=lambda r: getattr(r, "resident", None)),
    )
