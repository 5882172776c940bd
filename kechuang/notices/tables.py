"""List and export columns of notices."""

from django.utils.translation import gettext_lazy as _

from kechuang.core.tables import Column, Table


class NoticeTable(Table):
    title = _("通知公告")
    columns = (
        Column("title", _("标题"), link=True),
        Column("region", _("发布范围"), value=lambda n: n.region.name),
        Column("deadline", _("截止日期")),
        Column("published", _("已发布")),
        Column("author", _("发布人"), value=lambda n: str(n.author)),
        Column("created", _("创建时间")),
    )
