"""List and export columns of notices."""

from kechuang.core.tables import Column, Table


class NoticeTable(Table):
    title = "通知公告"
    columns = (
        Column("title", "标题", link=True),
        Column("region", "发布范围", value=lambda n: n.region.name),
        Column("deadline", "截止日期"),
        Column("published", "已发布"),
        Column("author", "发布人", value=lambda n: str(n.author)),
        Column("created", "创建时间"),
    )
