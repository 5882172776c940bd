"""The CJK font the report charts are drawn with, found at run time through matplotlib and fontconfig.

Chart images carry their text as pixels, so a font without Chinese glyphs turns every label into boxes. Rather
than drawing such a chart, the report refuses with a message saying how to install a font.
"""

import shutil
import subprocess
from dataclasses import dataclass

from django.utils.translation import gettext

__all__ = ["PREFERRED", "ChartFont", "FontMissing", "cjk_font"]

# In order of preference: what Debian ships (fonts-wqy-microhei, fonts-noto-cjk), then common desktop fonts.
PREFERRED = (
    "WenQuanYi Micro Hei",
    "Noto Sans CJK SC",
    "Noto Sans SC",
    "Source Han Sans SC",
    "Source Han Sans CN",
    "WenQuanYi Zen Hei",
    "SimHei",
    "Microsoft YaHei",
    "PingFang SC",
    "Sarasa Gothic SC",
    "AR PL UMing CN",
)


class FontMissing(RuntimeError):
    """No font with Chinese glyphs is installed; the message says how to install one."""


@dataclass(frozen=True)
class ChartFont:
    """A font face: its family name for matplotlib, and the file and face index (within a .ttc) it comes from."""

    name: str
    path: str
    index: int = 0


def _installed(families) -> ChartFont | None:
    from matplotlib import font_manager

    entries = {entry.name: entry for entry in font_manager.fontManager.ttflist}
    for family in families:
        entry = entries.get(family)
        if entry is not None:
            return ChartFont(entry.name, entry.fname, getattr(entry, "index", 0))
    return None


def _fontconfig_chinese() -> list[str]:
    """Files of the fonts fontconfig knows to cover Chinese (matplotlib's font cache may predate their install)."""
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return []
    try:
        found = subprocess.run(
            [fc_list, "--format", "%{file}\n", ":lang=zh"], capture_output=True, text=True, timeout=20, check=False
        )
    except (OSError, subprocess.SubprocessError):
        return []
    return sorted({line.strip() for line in found.stdout.splitlines() if line.strip()})


def _register(paths: list[str]) -> list[str]:
    """Make sure matplotlib knows these font files; return the family names they hold."""
    from matplotlib import font_manager

    known = {entry.fname for entry in font_manager.fontManager.ttflist}
    for path in paths:
        if path in known:
            continue
        try:
            font_manager.fontManager.addfont(path)
        except (OSError, RuntimeError, ValueError):
            continue  # a font matplotlib cannot read (e.g. a bitmap font) is simply not a candidate
    wanted = set(paths)
    return sorted({entry.name for entry in font_manager.fontManager.ttflist if entry.fname in wanted})


_found: dict[tuple, ChartFont] = {}


def _find(families: tuple[str, ...], fontconfig: bool) -> ChartFont | None:
    # Only a font found is remembered: one installed after a refusal is picked up without a restart.
    key = (families, fontconfig)
    if key not in _found:
        found = _installed(families)
        if found is None and fontconfig:
            chinese = _register(_fontconfig_chinese())
            found = _installed(families) or _installed(chinese)
        if found is None:
            return None
        _found[key] = found
    return _found[key]


def cjk_font(families: tuple[str, ...] = PREFERRED, *, fontconfig: bool = True) -> ChartFont:
    """The first preferred CJK font installed, else any font fontconfig lists for Chinese; FontMissing if none."""
    found = _find(tuple(families), fontconfig)
    if found is None:
        raise FontMissing(
            gettext(
                "无法生成图表：服务器上没有安装中文字体，图表中的汉字会显示为方框。"
                "请由管理员安装中文字体后重试：Debian/Ubuntu 执行 apt-get install -y fonts-wqy-microhei，"
                "或在程序目录执行 make setup。可用字体（按优先顺序）：{families}。"
            ).format(families="、".join(families))
        )
    return found
