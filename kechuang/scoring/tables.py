"""List and export columns of the scoring models and of an evaluation's ranking (one column pair per criterion)."""

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kechuang.core.tables import Column, Table

from .choices import Verdict
from .engine import format_number


class ModelTable(Table):
    title = _("评价模型")
    columns = (
        Column("code", _("模型代码"), link=True),
        Column("name", _("模型名称"), link=True),
        Column("version", _("版本号")),
        Column("get_subject_display", _("评价对象")),
        Column("total", _("满分")),
        Column("pass_score", _("达标分数线")),
        Column("get_status_display", _("状态")),
        Column("published_at", _("发布时间")),
    )


def _criterion_columns(index: int, name: str) -> tuple[Column, Column]:
    return (
        Column(f"value{index}", gettext("{name}：数值").format(name=name),
               value=lambda r: format_number(r.outcome.items[index].value) if not r.outcome.items[index].missing
               else gettext("缺少数据")),
        Column(f"points{index}", gettext("{name}：得分").format(name=name),
               value=lambda r: r.outcome.items[index].points),
    )  # fmt: skip


def ranking_table(model, rows) -> Table:
    """The ranking of an evaluation, as a Table (xlsx export) built for the model's criteria."""
    columns = [
        Column("rank", _("名次")),
        Column("name", _("评价对象")),
        Column("key", _("代码/编号")),
        Column("total", _("总分"), value=lambda r: r.outcome.total),
    ]
    if model.pass_score is not None:
        columns.append(Column("verdict", _("结论"), value=lambda r: Verdict(r.outcome.verdict).label))
    for index, criterion in enumerate(model.criteria.all()):
        columns += _criterion_columns(index, criterion.name)
    columns.append(Column("missing", _("缺少数据"), value=lambda r: r.missing_text))
    table = Table(rows)
    table.columns = tuple(columns)
    table.title = f"{model.name} v{model.version}"[:31]
    return table


class CandidateTable(Table):
    title = _("免申即享名单")
    columns = (
        Column("uscc", _("统一社会信用代码")),
        Column("name", _("单位名称")),
        Column("status_label", _("结论")),
        Column("score", _("得分")),
        Column("notes", _("说明")),
    )
