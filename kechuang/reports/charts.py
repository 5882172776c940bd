"""Chart images of the monitoring report, drawn with matplotlib's object API (no pyplot state, safe in a web
process): the completion rate of each indicator (the seed's 图1/图2) and the increase multiple of each target over
its baseline (图3).

Numbers reach matplotlib as floats only as drawing coordinates; every number printed on a chart is the Decimal
rounded half up for display, the same text as in the report's table.
"""

import io
import textwrap
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import FuncFormatter

from kechuang.plans.choices import Status

from .fonts import ChartFont

__all__ = ["STATUS_COLOURS", "Bar", "completion_figure", "multiple_figure", "png"]

STATUS_COLOURS = {
    Status.ACHIEVED: "#2e7d32",
    Status.AHEAD: "#66bb6a",
    Status.ON_TRACK: "#1e88e5",
    Status.LAGGING: "#fb8c00",
    Status.SERIOUS: "#e53935",
    Status.MISSED: "#8e0000",
    Status.NO_DATA: "#9e9e9e",
}
MULTIPLE_COLOUR = "#3f6fb5"
# Completion rates beyond this are drawn hatched to the edge, their value printed beside, so that one indicator at
# 8368 % (the seed's technology-contract turnover) does not flatten every other bar.
COMPLETION_CAP = Decimal("2.5")
NAME_WIDTH = 14  # characters of an indicator's name per line on the axis
WIDTH_INCHES = 6.3
DPI = 200


@dataclass(frozen=True)
class Bar:
    """One indicator on a chart: its name, value, the text printed beside the bar, and its status."""

    name: str
    value: Decimal | None
    label: str
    status: str = ""
    status_label: str = ""
    marker: Decimal | None = None  # the planned path's completion (序时进度), drawn as a tick


def _plain(text: str) -> str:
    """Text as matplotlib should print it: a "$" would start mathtext."""
    return text.replace("$", r"\$")


def _figure(bars: int, font: ChartFont) -> tuple[Figure, object, FontProperties]:
    figure = Figure(figsize=(WIDTH_INCHES, 1.3 + 0.42 * max(bars, 1)), dpi=DPI, layout="constrained")
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    props = FontProperties(family=font.name, size=9)
    axes.spines[["top", "right"]].set_visible(False)
    return figure, axes, props


def _names(axes, bars: list[Bar], props: FontProperties) -> None:
    positions = range(len(bars))
    axes.set_yticks(list(positions), [_plain(textwrap.fill(b.name, NAME_WIDTH)) for b in bars], fontproperties=props)
    axes.set_ylim(len(bars) - 0.5, -0.5)  # the first indicator at the top, as in the table


def _ticks(axes, font: ChartFont, places: int) -> None:
    # Our own formatter prints a plain "-": the Unicode minus matplotlib uses by default is missing from some fonts.
    axes.xaxis.set_major_formatter(FuncFormatter(lambda x, _pos: f"{x:.{places}f}"))
    axes.tick_params(axis="x", labelfontfamily=font.name, labelsize=9)


def completion_figure(bars: list[Bar], font: ChartFont) -> Figure:
    """Horizontal bars of the completion rate (完成率) coloured by status, the planned path's completion as a tick,
    the target (100 %) as a dashed line, and each rate printed in a column right of the chart."""
    figure, axes, props = _figure(len(bars), font)
    shown = [_clamped(b.value) for b in bars]
    edge = max([Decimal("1.1"), *shown, *(_clamped(b.marker) for b in bars)])
    for position, (bar, length) in enumerate(zip(bars, shown, strict=True)):
        colour = STATUS_COLOURS.get(bar.status, STATUS_COLOURS[Status.NO_DATA])
        capped = bar.value is not None and bar.value > COMPLETION_CAP
        axes.barh(position, float(length * 100), height=0.6, color=colour, hatch="//" if capped else None)
        # In axes coordinates across, data down: the rates line up as a column whatever the bar's length.
        axes.text(
            1.02, position, _plain(bar.label), va="center", transform=axes.get_yaxis_transform(), fontproperties=props
        )
        if bar.marker is not None:
            marker = float(_clamped(bar.marker) * 100)
            axes.plot([marker, marker], [position - 0.38, position + 0.38], color="#000000", lw=1.6)
    axes.axvline(100, color="#555555", linestyle="--", linewidth=1)
    axes.set_xlim(float(min([Decimal(0), *shown]) * 105), float(edge * 105))
    axes.set_xlabel(gettext("完成率（%）"), fontproperties=props)
    _names(axes, bars, props)
    _ticks(axes, font, 0)
    handles = [
        *_status_legend(bars),
        Line2D([], [], color="#555555", linestyle="--", linewidth=1, label=gettext("目标值（100%）")),
        Line2D([], [], color="#000000", marker="|", linestyle="None", markersize=10, markeredgewidth=1.6,
               label=gettext("序时进度")),
    ]  # fmt: skip
    figure.legend(handles=handles, prop=props, loc="outside lower center", frameon=False, ncols=min(len(handles), 5))
    return figure


def _clamped(rate: Decimal | None) -> Decimal:
    """A completion rate as drawn: none as 0, and within [−COMPLETION_CAP, COMPLETION_CAP]."""
    return Decimal(0) if rate is None else max(min(rate, COMPLETION_CAP), -COMPLETION_CAP)


def _status_legend(bars: list[Bar]) -> list[Patch]:
    """A swatch per status present, in the order of STATUS_COLOURS (finished first, unknown last)."""
    labels: dict[str, str] = {}
    for bar in bars:
        labels.setdefault(bar.status, bar.status_label)  # 提前完成 and 已完成 never meet in one year
    return [
        Patch(facecolor=colour, label=_plain(labels[status])) for status, colour in STATUS_COLOURS.items()
        if status in labels
    ]  # fmt: skip


def multiple_figure(bars: list[Bar], font: ChartFont) -> Figure:
    """Horizontal bars of the increase multiple (增幅（倍）) of each target over its baseline, as the seed's 图3."""
    figure, axes, props = _figure(len(bars), font)
    values = [b.value for b in bars if b.value is not None]
    low, high = min([Decimal(0), *values]), max([Decimal(0), *values])
    pad = (high - low or Decimal(1)) * Decimal("0.18")
    for position, bar in enumerate(bars):
        value = bar.value or Decimal(0)
        axes.barh(position, float(value), height=0.6, color=MULTIPLE_COLOUR)
        offset = pad / 8 if value >= 0 else -pad / 8
        axes.text(
            float(value + offset),
            position,
            _plain(bar.label),
            va="center",
            ha="left" if value >= 0 else "right",
            fontproperties=props,
        )
    axes.axvline(0, color="#555555", linewidth=0.8)
    axes.set_xlim(float(low - (pad if low < 0 else 0)), float(high + pad))
    axes.set_xlabel(gettext("增幅（倍）"), fontproperties=props)
    _names(axes, bars, props)
    _ticks(axes, font, 2)
    return figure


def png(figure: Figure) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI, facecolor="white")
    return buffer.getvalue()
