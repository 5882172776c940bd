"""The annual monitoring report read back: every table row with its displayed values, the status counts, a
paragraph per lagging indicator, the missing-data note, the chart images (and their glyphs), and the xlsx."""

import datetime
import io
import re
import warnings
from decimal import Decimal

import pytest
from docx import Document
from fontTools.ttLib import TTFont
from matplotlib.text import Text
from openpyxl import load_workbook

from kechuang.plans.models import Assessment
from kechuang.plans.services import assessment_run, observations_import, plan_import
from kechuang.reports.fonts import FontMissing, cjk_font
from kechuang.reports.monitoring import group_charts, monitoring_docx, monitoring_report, monitoring_xlsx

from .conftest import EXPECTED, GROUPS, INDICATORS, LAGGING, PLAN_NAME, STATUS_COUNTS, YEAR, plan_data

HEADER = ["指标", "单位", "基期值", "目标值", "年均增长", "实际值", "完成率", "序时进度", "状态", "指标属性"]
NAMES = {item["code"]: item["name"] for item in INDICATORS}


def read_docx(assessment) -> Document:
    return Document(io.BytesIO(monitoring_docx(monitoring_report(assessment))))


def section(document, heading: str) -> list[str]:
    """The paragraphs after a level-1 heading, up to the next one."""
    texts, inside = [], False
    for paragraph in document.paragraphs:
        if paragraph.style.name == "Heading 1":
            inside = paragraph.text == heading
        elif inside and paragraph.text:
            texts.append(paragraph.text)
    return texts


def table_rows(table) -> list[list[str]]:
    return [[cell.text for cell in row.cells] for row in table.rows]


def test_title_and_status_summary(assessment):
    document = read_docx(assessment)
    title = [p.text for p in document.paragraphs if p.style.name == "Title"]
    assert title == [f"{PLAN_NAME}\n{YEAR}年度监测评估报告"]
    summary = "".join(section(document, "一、总体情况"))
    assert f"本次共评估指标{len(INDICATORS)}项" in summary
    counts = {label: int(n) for label, n in re.findall(r"([\u4e00-\u9fff]+?)(\d+)项[，。]", summary.split("其中")[1])}
    assert counts == STATUS_COUNTS
    # 8 assessable; 提前完成 1 + 快于预期 2 + 符合预期 2 = 5 of them, 62.5 %; 3 behind, 2 of them seriously.
    assert "在可评估的8项指标中，5项已完成或进度符合、快于预期，占62.5%" in summary
    assert "3项滞后或未完成（其中严重滞后或未完成2项）" in summary


def test_every_indicator_row_with_its_displayed_values(assessment):
    tables = read_docx(assessment).tables
    assert len(tables) == len(GROUPS)
    for table, codes in zip(tables, GROUPS.values(), strict=True):
        rows = table_rows(table)
        assert rows[0] == HEADER
        assert rows[1:] == [EXPECTED[code] for code in codes]


def test_a_paragraph_for_each_lagging_indicator_with_what_it_still_requires(assessment):
    paragraphs = section(read_docx(assessment), "三、进度滞后的指标")
    assert paragraphs[0].startswith(f"以下{len(LAGGING)}项指标进度滞后或未完成")
    items = paragraphs[1:]
    assert len(items) == len(LAGGING)
    for number, (item, (code, required)) in enumerate(zip(items, LAGGING.items(), strict=True), start=1):
        assert item.startswith(f"{number}．{NAMES[code]}。")
        assert f"判定为{EXPECTED[code][8]}" in item
        assert "今后每年还需" in item and required in item
    assert "责任部门：县人力资源和社会保障局" in items[0]


def test_a_note_on_indicators_without_approved_values(assessment):
    notes = section(read_docx(assessment), "四、数据和方法说明")
    assert notes[0].startswith("以下1项指标本次无法评估")
    assert notes[1].startswith(f"1．{NAMES['nodata']}：")
    assert f"没有 {YEAR} 年的数值" in notes[1] and "县科工贸局" in notes[1]


def test_a_completion_and_an_increase_chart_per_group(assessment):
    document = read_docx(assessment)
    shapes = document.inline_shapes
    assert len(shapes) == 2 * len(GROUPS)
    for shape in shapes:
        blip = shape._inline.graphic.graphicData.pic.blipFill.blip
        image = document.part.related_parts[blip.embed]
        assert image.content_type == "image/png" and image.blob[:8] == b"\x89PNG\r\n\x1a\n"
    captions = [p.text for p in document.paragraphs if p.style.name == "Caption" and p.text.startswith("图")]
    assert captions == [
        f"图1  专栏2指标{YEAR}年完成率",
        "图2  专栏2指标2025年目标较2020年基期值的增幅（倍）",
        f"图3  专栏3指标{YEAR}年完成率",
        "图4  专栏3指标2025年目标较2020年基期值的增幅（倍）",
    ]


def test_charts_have_every_glyph(assessment):
    """Drawn with matplotlib's "Glyph … missing from font" warning as an error, and every character of every text
    on every chart in the chosen font's character map."""
    font = cjk_font()
    with TTFont(font.path, fontNumber=font.index, lazy=True) as face:
        cmap = face.getBestCmap()
    report = monitoring_report(assessment)
    texts = []
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        monitoring_docx(report)
        for group in report.groups:
            for _caption, figure in group_charts(report, group, font):
                figure.canvas.draw()
                texts += [t.get_text() for t in figure.findobj(Text) if t.get_visible() and t.get_text()]
    joined = "".join(texts)
    assert all(NAMES[code][:6] in joined for code in NAMES)  # the Chinese labels are among the texts checked
    assert "完成率" in joined and "序时进度" in joined and "严重滞后" in joined
    missing = sorted({c for c in joined if not c.isspace() and ord(c) not in cmap})
    assert missing == []


def test_xlsx_holds_the_same_rows(assessment):
    report = monitoring_report(assessment)
    book = load_workbook(io.BytesIO(monitoring_xlsx(report)))
    sheet = book.worksheets[0]
    assert sheet["A1"].value == report.title
    rows = list(sheet.iter_rows(min_row=2))
    assert [c.value for c in rows[0]] == ["分组", *HEADER]
    shown = [[cell_text(c) for c in row] for row in rows[1:]]
    expected = [[group, *EXPECTED[code]] for group, codes in GROUPS.items() for code in codes]
    assert shown == expected
    counts = {row[0]: row[1] for row in book.worksheets[1].iter_rows(min_row=2, values_only=True)}
    assert counts == STATUS_COUNTS | {"合计": len(INDICATORS)}
    explained = [row[0] for row in book.worksheets[2].iter_rows(min_row=2, values_only=True)]
    assert explained == [NAMES[code] for codes in GROUPS.values() for code in codes]


def cell_text(cell) -> str:
    """A cell as Excel shows it: a number in its number format ("0.0", "0.00%"), text as it is."""
    if not isinstance(cell.value, int | float):
        return cell.value
    places = len(cell.number_format.split(".")[1].rstrip("%")) if "." in cell.number_format else 0
    if cell.number_format.endswith("%"):
        return f"{cell.value * 100:.{places}f}%"
    return f"{cell.value:.{places}f}"


def test_revised_target_is_printed_with_its_document(regions):
    revised = [dict(item) for item in INDICATORS]
    revision = {"date": datetime.date(2022, 6, 30), "target": Decimal(220), "document": "鹿政发〔2022〕1号"}
    revised[0] = revised[0] | {"revisions": [revision]}
    plan, _counts = plan_import(actor=None, data=plan_data(indicators=revised))
    observations_import(actor=None, plan=plan, raw="indicator,region,year,value,source,vintage\n"
                        "revenue,450223,2023,180,统计公报,年报\n".encode(), filename="o.csv", approve=True)  # fmt: skip
    document = read_docx(assessment_run(actor=None, plan=plan, region=regions["450223"], year=YEAR))
    row = table_rows(document.tables[0])[1]
    assert row[3] == "220.0" and row[6] == "81.82%"  # 180 / 220
    notes = " ".join(section(document, "四、数据和方法说明"))
    assert "目标值已于2022-06-30由200.0调整为220.0亿元（鹿政发〔2022〕1号）" in notes


def test_target_year_says_achieved_and_missed(plan, regions):
    csv = (
        "indicator,region,year,value,source,vintage\nlag,450223,2025,80,人才库,年报\ndone,450223,2025,6,认定文件,年报\n"
    )
    observations_import(actor=None, plan=plan, raw=csv.encode(), filename="o.csv", approve=True)
    document = read_docx(assessment_run(actor=None, plan=plan, region=regions["450223"], year=2025))
    rows = {row[0]: row for table in document.tables for row in table_rows(table)[1:]}
    assert rows[NAMES["done"]][8] == "已完成" and rows[NAMES["lag"]][8] == "未完成"
    assert rows[NAMES["lag"]][6] == "80.00%"
    lagging = section(document, "三、进度滞后的指标")
    assert len(lagging) == 2 and lagging[1].startswith(f"1．{NAMES['lag']}。") and "判定为未完成" in lagging[1]
    summary = "".join(section(document, "一、总体情况"))
    assert "已完成1项，未完成1项，无法评估7项" in summary


def test_refuses_without_a_chinese_font_and_says_how_to_install_one():
    with pytest.raises(FontMissing) as refused:
        cjk_font(("没有这种字体",), fontconfig=False)
    assert "apt-get install -y fonts-wqy-microhei" in str(refused.value)
    assert "make setup" in str(refused.value)


def test_report_reads_in_a_fixed_number_of_queries(assessment, django_assert_num_queries):
    """The results, their annual targets, and the status counts: three queries however many indicators."""
    stored = Assessment.objects.select_related("plan", "region", "computed_by").get(pk=assessment.pk)
    with django_assert_num_queries(3):
        report = monitoring_report(stored)
        monitoring_docx(report)
        monitoring_xlsx(report)


def test_xlsx_text_cannot_run_as_a_formula(regions):
    """An indicator name or department typed like a formula is written as text (the guard every export shares)."""
    from tests.reports.conftest import INDICATORS

    first = {**INDICATORS[0], "name": '=HYPERLINK("http://x")', "department": "+1"}
    created, _ = plan_import(actor=None, data=plan_data(code="formula-14", indicators=[first]))
    run = assessment_run(actor=None, plan=created, region=regions["450223"], year=YEAR)
    book = load_workbook(io.BytesIO(monitoring_xlsx(monitoring_report(run))))
    values = [c.value for sheet in book.worksheets for row in sheet.iter_rows() for c in row if c.value]
    assert '\'=HYPERLINK("http://x")' in values and "'+1" in values
    assert not any(isinstance(v, str) and v[:1] in "=+" for v in values)
