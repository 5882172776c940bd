"""List and export columns of the regions app."""

from kechuang.core.tables import Column, Table


class RegionTable(Table):
    title = "行政区划"
    columns = (
        Column("code", "区划代码"),
        Column("name", "名称"),
        Column("level", "级别", value=lambda r: r.get_level_display()),
        Column("parent", "上级区划", value=lambda r: r.parent.name if r.parent else ""),
        Column("valid_from", "启用日期"),
        Column("valid_to", "撤销日期"),
        Column("resident", "常住人口（人）", value=lambda r: getattr(r, "resident", None)),
    )
