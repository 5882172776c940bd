"""Input files of the standalone evaluation: JSON and the xlsx template give the same typed enterprises, every
problem of a file is reported at once with its enterprise (JSON) or row and column (xlsx), and nothing here needs a
database (no test is marked django_db, so pytest-django refuses any query)."""

import datetime
import io
import json
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import load_workbook

from kechuang.core.importkit import get_schema, registry, write_template
from kechuang.core.tabular import TableError
from kechuang.evaluation.inputs import EXPERT_ITEMS, HTE_SCHEMA, TSME_SCHEMA, InputRefused, read_inputs
from tests.conftest import make_uscc

D = Decimal
U1, U2, U3 = (make_uscc(serial=n) for n in (101, 102, 103))
VALID = "91450223MA5N7B2T5X"


def shape(value):
    """A value with the type of every part, so that 1 (int), True and Decimal("1") are told apart."""
    if isinstance(value, dict):
        return {key: shape(item) for key, item in value.items()}
    if isinstance(value, list):
        return [shape(item) for item in value]
    return (type(value).__name__, value)


def as_json(enterprises) -> bytes:
    return json.dumps(enterprises, ensure_ascii=False).encode()


def as_xlsx(schema, rows: list[dict], headers: dict[str, str] | None = None) -> bytes:
    """The generated template with rows typed into its data sheet (cells by column name); ``headers`` renames
    header cells."""
    buffer = io.BytesIO()
    write_template(schema, buffer)
    workbook = load_workbook(io.BytesIO(buffer.getvalue()))
    sheet = workbook["数据"]
    names = [column.name for column in schema.columns]
    for name, header in (headers or {}).items():
        sheet.cell(row=1, column=names.index(name) + 1, value=header)
    for row in rows:
        unknown = set(row) - set(names)
        assert not unknown, unknown
        sheet.append([row.get(name) for name in names])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def refused(kind: str, raw: bytes, filename: str) -> list[str]:
    with pytest.raises(InputRefused) as caught:
        read_inputs(kind, raw, filename)
    return caught.value.messages


def year(y, sales, income, rd, domestic, net) -> dict:
    return {"year": y, "sales_revenue": sales, "total_income": income, "rd_expense": rd, "rd_domestic": domestic,
            "net_assets": net}  # fmt: skip


def year_cells(slot: int, values: dict) -> dict:
    return {f"y{slot}_{key}": value for key, value in values.items()}


# --- clean files ------------------------------------------------------------------------------------------------

HTE_EXPECTED = [
    {
        "uscc": U1, "name": "鹿寨县恒达汽车配件有限公司", "registration_date": datetime.date(2015, 6, 18),
        "application_date": datetime.date(2024, 6, 30), "domain": 8, "staff_total": D("86.5"), "st_staff": D("15"),
        "years": [
            year(2021, D("32000000.00"), D("32500000.00"), D("1650000.00"), D("1650000.00"), D("18000000.00")),
            year(2022, D("38000000.00"), D("38600000.00"), D("1900000.00"), D("1850000.00"), D("22000000.00")),
            year(2023, D("45000000.00"), D("45800000.00"), D("2300000.00"), D("2300000.00"), D("27000000.00")),
        ],
        "hitech_revenue_last_year": D("30000000.00"), "class1_ip": 1, "class2_ip": 6, "own_rd_ip": True,
        "conversions_3y": 9, "standards_drafted": False, "rd_management": [True, True, False, True],
        "violation_last_year": False,
        "expert_scores": {"ip_advancement": 7, "ip_standards_bonus": 0, "growth_sales": 10},
    },
    {
        "uscc": U2, "name": "鹿寨县新材科技有限公司", "registration_date": datetime.date(2022, 3, 1),
        "application_date": datetime.date(2024, 5, 20), "domain": 4, "staff_total": D("12.25"), "st_staff": D("3.5"),
        "years": [
            year(2022, D("800000.00"), D("800000.00"), D("120000.50"), D("100000.00"), D("-150000.00")),
            year(2023, D("2400000.00"), D("2450000.00"), D("260000.00"), D("260000.00"), D("350000.00")),
        ],
        "hitech_revenue_last_year": D("1900000.00"), "class1_ip": 0, "class2_ip": 2, "own_rd_ip": False,
        "conversions_3y": 0, "standards_drafted": True, "rd_management": None, "violation_last_year": True,
        "expert_scores": {},
    },
    {
        "uscc": U3, "name": "鹿寨县空白数据有限公司", "registration_date": None, "application_date": None,
        "domain": None, "staff_total": None, "st_staff": None, "years": [], "hitech_revenue_last_year": None,
        "class1_ip": None, "class2_ip": None, "own_rd_ip": None, "conversions_3y": None, "standards_drafted": None,
        "rd_management": None, "violation_last_year": None, "expert_scores": {},
    },
]  # fmt: skip

HTE_JSON = [
    {
        "uscc": U1, "name": "鹿寨县恒达汽车配件有限公司", "registration_date": "2015-06-18",
        "application_date": "2024-06-30", "domain": 8, "staff_total": 86.5, "st_staff": 15,
        "years": [
            year(2021, 32000000, 32500000, 1650000, 1650000, 18000000),
            year(2022, 38000000, 38600000, 1900000, 1850000, 22000000),
            year(2023, 45000000, 45800000, 2300000, 2300000, 27000000),
        ],
        "hitech_revenue_last_year": 30000000, "class1_ip": 1, "class2_ip": 6, "own_rd_ip": True,
        "conversions_3y": 9, "standards_drafted": False, "rd_management": [True, True, False, True],
        "violation_last_year": False,
        "expert_scores": {"ip_advancement": 7, "ip_standards_bonus": 0, "growth_sales": 10},
    },
    {
        # lower case with a space: the credit code is normalised; keys in another order; amounts with decimals
        # (120000.495 rounds half up to the cent); negative net assets are allowed; rd_management null
        "name": "鹿寨县新材科技有限公司", "uscc": f" {U2.lower()}", "registration_date": "2022-03-01",
        "application_date": "2024-05-20", "domain": 4, "staff_total": 12.25, "st_staff": 3.5,
        "years": [
            year(2022, 800000, 800000.0, 120000.495, 100000, -150000),
            year(2023, 2400000, 2450000, 260000, 260000, 350000),
        ],
        "hitech_revenue_last_year": 1900000, "class1_ip": 0, "class2_ip": 2.0, "own_rd_ip": False,
        "conversions_3y": 0, "standards_drafted": True, "rd_management": None, "violation_last_year": True,
    },
    {"uscc": U3, "name": "鹿寨县空白数据有限公司", "years": None, "expert_scores": None},
]  # fmt: skip

HTE_ROWS = [
    {
        "uscc": U1, "name": "鹿寨县恒达汽车配件有限公司", "registration_date": datetime.datetime(2015, 6, 18),
        "application_date": "2024-06-30", "domain": "先进制造与自动化", "staff_total": 86.5, "st_staff": 15,
        **year_cells(1, year(2021, 32000000, 32500000, 1650000, 1650000, 18000000)),
        **year_cells(2, year(2022, 38000000, 38600000, 1900000, 1850000, 22000000)),
        **year_cells(3, year(2023, "45,000,000", 45800000, 2300000, 2300000, 27000000)),
        "hitech_revenue_last_year": 30000000, "class1_ip": 1, "class2_ip": 6, "own_rd_ip": "是",
        "conversions_3y": 9, "standards_drafted": "否", "rd_management_1": "是", "rd_management_2": "是",
        "rd_management_3": "否", "rd_management_4": "是", "violation_last_year": "否",
        "expert_ip_advancement": 7, "expert_ip_standards_bonus": 0, "expert_growth_sales": 10,
    },
    {
        # the first year group left empty: the enterprise has two years
        "uscc": f" {U2.lower()}", "name": "鹿寨县新材科技有限公司", "registration_date": "2022/3/1",
        "application_date": "2024年5月20日", "domain": 4, "staff_total": 12.25, "st_staff": "3.5",
        **year_cells(2, year(2022, 800000, 800000, "120000.495", 100000, -150000)),
        **year_cells(3, year(2023, 2400000, 2450000, 260000, 260000, 350000)),
        "hitech_revenue_last_year": 1900000, "class1_ip": 0, "class2_ip": 2, "own_rd_ip": "否",
        "conversions_3y": 0, "standards_drafted": "是", "violation_last_year": "是",
    },
    {"uscc": U3, "name": "鹿寨县空白数据有限公司"},
]  # fmt: skip

TSME_EXPECTED = [
    {
        "uscc": U1, "name": "鹿寨县恒达汽车配件有限公司", "resident": True, "audit_taxation": True,
        "excluded_industry": False, "violation": False, "staff_total": D("120"), "st_staff": D("26.5"),
        "sales_revenue": D("58000000.00"), "total_assets": D("76000000.00"), "rd_expense": D("3100000.00"),
        "total_costs": D("52000000.00"), "class1_ip": 0, "class2_ip": 5, "hte_valid": False,
        "national_award_top3_5y": False, "provincial_rd_institution": True, "led_standard_5y": False,
    },
    {
        "uscc": U2, "name": "鹿寨县空白数据有限公司", "resident": None, "audit_taxation": None,
        "excluded_industry": None, "violation": None, "staff_total": None, "st_staff": None, "sales_revenue": None,
        "total_assets": None, "rd_expense": None, "total_costs": None, "class1_ip": None, "class2_ip": None,
        "hte_valid": None, "national_award_top3_5y": None, "provincial_rd_institution": None, "led_standard_5y": None,
    },
]  # fmt: skip

TSME_JSON = [
    {
        "uscc": U1, "name": "鹿寨县恒达汽车配件有限公司", "resident": True, "audit_taxation": True,
        "excluded_industry": False, "violation": False, "staff_total": 120, "st_staff": 26.5,
        "sales_revenue": 58000000, "total_assets": 76000000, "rd_expense": 3100000, "total_costs": 52000000,
        "class1_ip": 0, "class2_ip": 5, "hte_valid": False, "national_award_top3_5y": False,
        "provincial_rd_institution": True, "led_standard_5y": False,
    },
    {"uscc": U2, "name": "鹿寨县空白数据有限公司", "sales_revenue": None},
]  # fmt: skip

TSME_ROWS = [
    {
        "uscc": U1, "name": "鹿寨县恒达汽车配件有限公司", "resident": "是", "audit_taxation": "是",
        "excluded_industry": "否", "violation": "否", "staff_total": 120, "st_staff": 26.5,
        "sales_revenue": 5800, "total_assets": 76000000, "rd_expense": 3100000, "total_costs": 52000000,
        "class1_ip": 0, "class2_ip": 5, "hte_valid": "否", "national_award_top3_5y": "否",
        "provincial_rd_institution": "是", "led_standard_5y": "否",
    },
    {"uscc": U2, "name": "鹿寨县空白数据有限公司"},
]  # fmt: skip


def test_hte_json_gives_the_typed_enterprises_in_order():
    assert shape(read_inputs("hte", as_json(HTE_JSON), "hte.json")) == shape(HTE_EXPECTED)


def test_hte_xlsx_gives_the_same_enterprises():
    assert shape(read_inputs("hte", as_xlsx(HTE_SCHEMA, HTE_ROWS), "hte.xlsx")) == shape(HTE_EXPECTED)


def test_tsme_json_gives_the_typed_enterprises_in_order():
    assert shape(read_inputs("tsme", as_json(TSME_JSON), "tsme.JSON")) == shape(TSME_EXPECTED)


def test_tsme_xlsx_gives_the_same_enterprises_with_a_header_in_wan_yuan():
    raw = as_xlsx(TSME_SCHEMA, TSME_ROWS, headers={"sales_revenue": "销售收入（万元）"})
    assert shape(read_inputs("tsme", raw, "tsme.xlsx")) == shape(TSME_EXPECTED)


def test_every_enterprise_has_exactly_the_fixed_keys():
    hte = ("uscc, name, registration_date, application_date, domain, staff_total, st_staff, years, "
           "hitech_revenue_last_year, class1_ip, class2_ip, own_rd_ip, conversions_3y, standards_drafted, "
           "rd_management, violation_last_year, expert_scores").split(", ")  # fmt: skip
    tsme = ("uscc, name, resident, audit_taxation, excluded_industry, violation, staff_total, st_staff, "
            "sales_revenue, total_assets, rd_expense, total_costs, class1_ip, class2_ip, hte_valid, "
            "national_award_top3_5y, provincial_rd_institution, led_standard_5y").split(", ")  # fmt: skip
    minimal = as_json([{"uscc": U1, "name": "甲"}])
    assert list(read_inputs("hte", minimal, "a.json")[0]) == hte
    assert list(read_inputs("tsme", minimal, "a.json")[0]) == tsme
    assert list(read_inputs("hte", as_xlsx(HTE_SCHEMA, [{"uscc": U1, "name": "甲"}]), "a.xlsx")[0]) == hte
    assert list(read_inputs("tsme", as_xlsx(TSME_SCHEMA, [{"uscc": U1, "name": "甲"}]), "a.xlsx")[0]) == tsme


def test_expert_items_and_their_maxima():
    assert EXPERT_ITEMS == {
        "ip_advancement": 8, "ip_core_support": 8, "ip_quantity": 8, "ip_acquisition": 6, "ip_standards_bonus": 2,
        "conversion": 30, "rd_management": 20, "growth_net_assets": 10, "growth_sales": 10,
    }  # fmt: skip
    raw = as_json([{"uscc": U1, "name": "甲", "expert_scores": dict(EXPERT_ITEMS)}])
    assert read_inputs("hte", raw, "a.json")[0]["expert_scores"] == EXPERT_ITEMS
    cells = {f"expert_{code}": maximum for code, maximum in EXPERT_ITEMS.items()}
    raw = as_xlsx(HTE_SCHEMA, [{"uscc": U1, "name": "甲", **cells}])
    assert read_inputs("hte", raw, "a.xlsx")[0]["expert_scores"] == EXPERT_ITEMS


# --- problems in JSON -------------------------------------------------------------------------------------------

YEAR_KEYS = "year, sales_revenue, total_income, rd_expense, rd_domestic, net_assets"
JSON_PROBLEMS = [
    ({"uscc": VALID[:-1] + "Y"}, ["uscc：校验码错误：第18位应为“X”，实际为“Y”"]),
    ({"uscc": 12345}, ["uscc：应为文本，实际为12345"]),
    ({"uscc": None}, ["uscc：必填项不能为空"]),
    ({"name": "  "}, ["name：必填项不能为空"]),
    ({"name": 5}, ["name：应为文本，实际为5"]),
    ({"staff_total": "八十"}, ["staff_total：应为数字（人，可带小数），实际为文本“八十”"]),
    ({"hitech_revenue_last_year": "3000万"}, ["hitech_revenue_last_year：应为数字（元），实际为文本“3000万”"]),
    ({"hitech_revenue_last_year": True}, ["hitech_revenue_last_year：应为数字（元），实际为true"]),
    ({"own_rd_ip": "是"}, ["own_rd_ip：应为 true 或 false，实际为文本“是”"]),
    ({"own_rd_ip": 1}, ["own_rd_ip：应为 true 或 false，实际为1"]),
    ({"registration_date": "2020/01/01"},
     ["registration_date：应为 ISO 格式的日期（如 2021-03-15），实际为文本“2020/01/01”"]),
    ({"registration_date": "2021-02-30"},
     ["registration_date：应为 ISO 格式的日期（如 2021-03-15），实际为文本“2021-02-30”"]),
    ({"domain": 9}, ["domain：应为 1–8 的整数（国家重点支持的高新技术领域代码），实际为9"]),
    ({"domain": "新材料"}, ["domain：应为 1–8 的整数（国家重点支持的高新技术领域代码），实际为文本“新材料”"]),
    ({"class2_ip": 2.5}, ["class2_ip：应为整数，实际为2.5"]),
    ({"class2_ip": -1}, ["class2_ip：不能为负数"]),
    ({"conversions_3y": -3}, ["conversions_3y：不能为负数"]),
    ({"st_staff": -0.5}, ["st_staff：不能为负数"]),
    ({"hitech_revenue_last_year": -1}, ["hitech_revenue_last_year：不能为负数"]),
    ({"hitech_revenue_last_year": 1e15}, ["hitech_revenue_last_year：数值过大，整数部分不能超过 15 位"]),
    ({"own_rd_ipp": True}, ["own_rd_ipp：未知的键，是否应为“own_rd_ip”？"]),
    ({"备注": "x"}, ["备注：未知的键，可用的键：uscc, name, registration_date, application_date, domain, staff_total, "
                   "st_staff, years, hitech_revenue_last_year, class1_ip, class2_ip, own_rd_ip, conversions_3y, "
                   "standards_drafted, rd_management, violation_last_year, expert_scores"]),
    ({"staff_total": 10, "st_staff": 10.5}, ["st_staff：科技人员数 10.5 多于职工总数 10：科技人员包含在职工总数之内"]),
    ({"registration_date": "2024-01-02", "application_date": "2024-01-01"},
     ["application_date：申请认定日期 2024-01-01 早于注册成立日期 2024-01-02"]),
    ({"years": {"year": 2023}}, ["years：应为列表 [{…}, …]，实际为对象"]),
    ({"years": [year(2020, 1, 1, 1, 1, 1)] * 4}, ["years：最多 3 年（申请前的三个会计年度，从早到晚），实际为 4 年"]),
    ({"years": [2023]}, ["years[0]：应为对象 {…}，实际为2023"]),
    ({"years": [{"year": 2023, "sales_revenue": 100}]}, [
        f"years[0].{key}：不能为空：一年的数据应全部填写（{YEAR_KEYS}）"
        for key in ("total_income", "rd_expense", "rd_domestic", "net_assets")
    ]),
    ({"years": [{**year(2023, 1, 1, 1, 1, 1), "rd_expenses": 1}]},
     ["years[0].rd_expenses：未知的键，是否应为“rd_expense”？"]),
    ({"years": [year(2022, 1, 1, 1, 1, 1), year(2023, 1, 1, -1, 0, 1)]}, ["years[1].rd_expense：不能为负数"]),
    ({"years": [year(1900, 1, 1, 1, 1, 1)]}, ["years[0].year：年份“1900”无效"]),
    ({"years": [year(2022, 100, 100, 50, 50.01, 1)]},
     ["years[0].rd_domestic：境内研发费用 50.01 元大于研发费用 50 元：境内研发费用是研发费用的一部分，不能超过它"]),
    ({"years": [year(2022, 1, 1, 1, 1, 1), year(2022, 1, 1, 1, 1, 1)]},
     ["years[1].year：年份 2022 应晚于前一年的 2022：三年按从早到晚填写，年份不能重复"]),
    ({"years": [year(2023, 1, 1, 1, 1, 1), year(2021, 1, 1, 1, 1, 1)]},
     ["years[1].year：年份 2021 应晚于前一年的 2023：三年按从早到晚填写，年份不能重复"]),
    ({"rd_management": [True, False, True]},
     ["rd_management：应为 4 个 true/false 的列表（研究开发组织管理水平的四个子项，依次），实际为[true, false, true]"]),
    ({"rd_management": "是是否是"},
     ["rd_management：应为 4 个 true/false 的列表（研究开发组织管理水平的四个子项，依次），实际为文本“是是否是”"]),
    ({"expert_scores": {"conversion": 31}}, ["expert_scores.conversion：专家评分应在 0 到 30 分之间，实际为 31"]),
    ({"expert_scores": {"growth_sales": -1}}, ["expert_scores.growth_sales：专家评分应在 0 到 10 分之间，实际为 -1"]),
    ({"expert_scores": {"ip_acquisition": 5.5}}, ["expert_scores.ip_acquisition：应为 0 到 6 的整数，实际为5.5"]),
    ({"expert_scores": {"ip_advancment": 7}}, ["expert_scores.ip_advancment：未知的键，是否应为“ip_advancement”？"]),
    ({"expert_scores": [7]}, ["expert_scores：应为对象 {评分项: 分数}，实际为列表"]),
]  # fmt: skip


@pytest.mark.parametrize(("change", "expected"), JSON_PROBLEMS)
def test_a_json_problem_is_named_with_its_enterprise_and_key(change, expected):
    enterprises = [{"uscc": U1, "name": "甲"}, {"uscc": VALID, "name": "乙", **change}]
    assert refused("hte", as_json(enterprises), "a.json") == [f"第2家企业 {text}" for text in expected]


def test_tsme_json_problems():
    enterprises = [
        {"uscc": U1, "name": "甲", "hte_valid": "否", "total_costs": -5, "rd_expense": "x", "sale_revenue": 1}
    ]
    assert refused("tsme", as_json(enterprises), "a.json") == [
        "第1家企业 sale_revenue：未知的键，是否应为“sales_revenue”？",
        "第1家企业 rd_expense：应为数字（元），实际为文本“x”",
        "第1家企业 total_costs：不能为负数",
        "第1家企业 hte_valid：应为 true 或 false，实际为文本“否”",
    ]


def test_the_same_credit_code_twice_is_refused_after_normalising():
    enterprises = [{"uscc": U1, "name": "甲"}, {"uscc": U2, "name": "乙"}, {"uscc": U1.lower(), "name": "丙"}]
    assert refused("tsme", as_json(enterprises), "a.json") == ["第3家企业 uscc：与第1家企业重复"]


def test_every_json_problem_is_reported_at_once_in_file_order():
    enterprises = [
        {"uscc": U1, "name": "甲", "class1_ip": -1, "own_rd_ip": "yes"},
        {"uscc": U2, "name": "乙"},
        "丙",
        {"uscc": U1, "name": "", "expert_scores": {"growth": 20}},
    ]
    assert refused("hte", as_json(enterprises), "a.json") == [
        "第1家企业 class1_ip：不能为负数",
        "第1家企业 own_rd_ip：应为 true 或 false，实际为文本“yes”",
        "第3家企业：应为对象 {…}，实际为文本“丙”",
        "第4家企业 name：必填项不能为空",
        "第4家企业 expert_scores.growth：未知的键，是否应为“growth_sales”？",
        "第4家企业 uscc：与第1家企业重复",
    ]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (b'[{"uscc": "x",}]',
         "不是有效的 JSON（第1行第15列：Expecting property name enclosed in double quotes）：请检查括号、逗号和引号"),
        (b"", "不是有效的 JSON（第1行第1列：Expecting value）：请检查括号、逗号和引号"),
        ("[{\"name\": \"甲\"}]".encode("gb18030"), "JSON 文件应为 UTF-8 编码"),
        (b'{"uscc": "x"}', "JSON 文件应为企业的列表 [{…}, {…}]，每家企业一个对象；实际为对象"),
        (b'"x"', "JSON 文件应为企业的列表 [{…}, {…}]，每家企业一个对象；实际为文本“x”"),
        (b"[]", "文件中没有企业：列表是空的"),
        (b"[" * 100_000, "不是有效的 JSON：请检查括号、逗号和引号"),
    ],
)  # fmt: skip
def test_a_json_file_that_is_not_a_list_of_objects_gets_one_clear_message(raw, expected):
    assert refused("hte", raw, "a.json") == [expected]


def test_nan_and_infinity_are_not_numbers():
    raw = b'[{"uscc": "%s", "name": "x", "sales_revenue": NaN, "staff_total": Infinity}]' % U1.encode()
    assert refused("tsme", raw, "a.json") == [
        "第1家企业 staff_total：应为数字（人，可带小数），实际为Infinity",
        "第1家企业 sales_revenue：应为数字（元），实际为NaN",
    ]


def test_other_file_types_are_refused():
    assert refused("hte", b"uscc,name\n", "a.csv") == [
        "不支持的文件类型“.csv”：请使用 .json 文件或 .xlsx 模板（kechuang template evaluation-hte 生成）"
    ]


# --- problems in xlsx -------------------------------------------------------------------------------------------

FULL_YEAR = year(2022, 100, 100, 50, 40, 10)
XLSX_PROBLEMS = [
    ({"uscc": VALID[:-1] + "Y"}, ["统一社会信用代码：校验码错误：第18位应为“X”，实际为“Y”"]),
    ({"uscc": None}, ["统一社会信用代码：必填项不能为空"]),
    ({"staff_total": "八十"}, ["年平均职工总数：“八十”不是数字"]),
    ({"class2_ip": 2.5}, ["Ⅱ类知识产权数量：“2.5”应为整数"]),
    ({"class2_ip": -1}, ["Ⅱ类知识产权数量：不能为负数"]),
    ({"hitech_revenue_last_year": -1}, ["近一年高新技术产品（服务）收入：不能为负数"]),
    ({"own_rd_ip": "可能"}, ["有自主研发的知识产权：“可能”应填“是”或“否”"]),
    ({"domain": "其他"}, ["技术领域：“其他”不是可选项，应为 电子信息、生物与新医药、航空航天、新材料、高技术服务、"
                          "新能源与节能、资源与环境、先进制造与自动化 之一"]),
    ({"registration_date": "2020-13-01"},
     ["注册成立日期：“2020-13-01”不是有效日期，可写成 2020-12-31、2020/12/31 或 2020年12月31日"]),
    ({"staff_total": 10, "st_staff": 11},
     ["年平均科技人员数：科技人员数 11 多于职工总数 10：科技人员包含在职工总数之内"]),
    (year_cells(2, {"year": 2023, "sales_revenue": 100, "rd_expense": 5}), [
        f"第2年{label}：第2年的其他项已填写，这一项不能为空：一年的数据应全部填写，或整组留空表示没有这一年"
        for label in ("总收入", "境内研发费用", "净资产")
    ]),
    # a cell the reader refused is reported once, not again as missing
    (year_cells(1, {**FULL_YEAR, "sales_revenue": "一百"}), ["第1年销售收入：“一百”不是数字"]),
    (year_cells(1, {**FULL_YEAR, "rd_domestic": 50.01}),
     ["第1年境内研发费用：境内研发费用 50.01 元大于研发费用 50 元：境内研发费用是研发费用的一部分，不能超过它"]),
    ({**year_cells(1, FULL_YEAR), **year_cells(3, {**FULL_YEAR, "year": 2021})},
     ["第3年年份：年份 2021 应晚于前一年的 2022：三年按从早到晚填写，年份不能重复"]),
    ({**year_cells(1, FULL_YEAR), **year_cells(2, {**FULL_YEAR, "net_assets": -10, "total_income": -1})},
     ["第2年总收入：不能为负数"]),
    ({"rd_management_1": "是", "rd_management_3": "否"}, [
        f"{label}：研发管理的四项应全部填写“是”或“否”，或全部留空表示未提供"
        for label in ("研发管理2：内部研发机构及产学研合作",
                      "研发管理4：科技人员培养进修、职工技能培训、人才引进及绩效评价奖励制度")
    ]),
    ({"expert_conversion": 31}, ["专家评分：科技成果转化能力：专家评分应在 0 到 30 分之间，实际为 31"]),
    ({"expert_ip_standards_bonus": -1}, ["专家评分：参与标准制定加分：专家评分应在 0 到 2 分之间，实际为 -1"]),
]  # fmt: skip


@pytest.mark.parametrize(("change", "expected"), XLSX_PROBLEMS)
def test_an_xlsx_problem_is_named_with_its_row_and_column(change, expected):
    rows = [{"uscc": U1, "name": "甲"}, {"uscc": VALID, "name": "乙", **change}]
    assert refused("hte", as_xlsx(HTE_SCHEMA, rows), "a.xlsx") == [f"第3行 {text}" for text in expected]


def test_the_same_credit_code_on_two_rows_is_refused():
    rows = [{"uscc": U1, "name": "甲"}, {"uscc": U2, "name": "乙"}, {"uscc": f"{U2.lower()} ", "name": "丙"}]
    assert refused("tsme", as_xlsx(TSME_SCHEMA, rows), "a.xlsx") == ["第4行 统一社会信用代码：与第3行重复"]


def test_every_xlsx_problem_is_reported_at_once_in_row_order():
    rows = [
        {"uscc": U1, "name": "甲", "sales_revenue": -1, "resident": "不知道"},
        {"uscc": U2, "name": "乙"},
        {"uscc": "123", "name": None, "class1_ip": "一"},
        {"uscc": U1, "name": "丁"},
    ]
    assert refused("tsme", as_xlsx(TSME_SCHEMA, rows), "a.xlsx") == [
        "第2行 居民企业：“不知道”应填“是”或“否”",
        "第2行 销售收入：不能为负数",
        "第4行 企业名称：必填项不能为空",
        "第4行 Ⅰ类知识产权数量：“一”不是整数",
        "第4行 统一社会信用代码：统一社会信用代码应为18位，实际为3位",
        "第5行 统一社会信用代码：与第2行重复",
    ]


def test_an_unknown_column_and_a_missing_required_one_are_named():
    raw = as_xlsx(TSME_SCHEMA, [{"uscc": U1, "name": "甲"}], headers={"name": "企业名"})
    assert refused("tsme", raw, "a.xlsx") == [
        "第1行 企业名：无法识别的列，请使用模板中的表头",
        "第1行 企业名称：缺少必填列",
    ]


def test_an_empty_template_and_a_damaged_file_get_one_message():
    assert refused("hte", as_xlsx(HTE_SCHEMA, []), "a.xlsx") == [
        "文件中没有企业：请在“数据”工作表第 2 行起每行填写一家企业"
    ]
    assert refused("hte", b"not a zip file", "a.xlsx") == ["无法读取 Excel 文件：请确认是 .xlsx 格式且未损坏"]


def test_the_import_kits_size_limit_applies(settings):
    settings.IMPORT_MAX_MB = 0
    assert refused("hte", as_xlsx(HTE_SCHEMA, []), "a.xlsx") == ["文件过大：不能超过 0 MB"]
    assert refused("hte", b"[]", "a.json") == ["文件过大：不能超过 0 MB"]


# --- the templates and the commands -----------------------------------------------------------------------------


def filled_with_its_example(path) -> bytes:
    """A generated template with the example column of its instructions sheet typed in as the first row."""
    workbook = load_workbook(path)
    lines = [[cell.value for cell in row] for row in workbook["填写说明"].iter_rows()]
    start = next(i for i, line in enumerate(lines) if line[0] == "列")
    headers = [cell.value for cell in workbook["数据"][1]]
    assert [line[0] for line in lines[start + 1 :]] == headers
    workbook["数据"].append([line[3] for line in lines[start + 1 :]])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def test_the_hte_template_with_its_example_row_reads_back(tmp_path, capsys):
    path = tmp_path / "hte.xlsx"
    call_command("template", "evaluation-hte", str(path))
    assert str(path) in capsys.readouterr().out
    workbook = load_workbook(path)
    assert workbook.sheetnames == ["数据", "填写说明", "选项"]
    headers = [cell.value for cell in workbook["数据"][1]]
    assert headers[:7] == ["统一社会信用代码*", "企业名称*", "注册成立日期", "申请认定日期", "技术领域",
                           "年平均职工总数（人）", "年平均科技人员数（人）"]  # fmt: skip
    assert headers[7:13] == ["第1年年份", "第1年销售收入（元）", "第1年总收入（元）", "第1年研发费用（元）",
                             "第1年境内研发费用（元）", "第1年净资产（元）"]  # fmt: skip
    assert sum(header.startswith("专家评分：") for header in headers) == len(EXPERT_ITEMS)
    instructions = str([[cell.value for cell in row] for row in workbook["填写说明"].iter_rows()])
    assert "12 个月的月平均人数之和 ÷ 12" in instructions and "从早到晚填写（第1年最早）" in instructions
    assert "金额单位为元" in instructions
    [enterprise] = read_inputs("hte", filled_with_its_example(path), "hte.xlsx")
    assert enterprise["domain"] == 8 and enterprise["staff_total"] == D("86.5")
    assert [y["year"] for y in enterprise["years"]] == [2021, 2022, 2023]
    assert enterprise["rd_management"] == [True, True, False, True] and enterprise["expert_scores"] == {}
    assert None not in [value for key, value in enterprise.items() if key != "expert_scores"]


def test_the_tsme_template_with_its_example_row_reads_back(tmp_path):
    path = tmp_path / "f.xlsx"
    call_command("template", "evaluation-tsme", str(path))
    [enterprise] = read_inputs("tsme", filled_with_its_example(path), "f.xlsx")
    assert enterprise["sales_revenue"] == D("58000000.00") and enterprise["st_staff"] == D("26.5")
    assert None not in enterprise.values()


def test_the_import_list_keeps_its_fifteen_kinds_and_the_evaluation_kinds_are_not_imported(tmp_path, capsys):
    call_command("import", "--list")
    kinds = [line.split()[0] for line in capsys.readouterr().out.splitlines()]
    assert kinds == ["orgs", "figures", "certificates", "pools", "patents", "other-ip", "talents", "commissioners",
                     "service-logs", "carriers", "tenants", "achievements", "conversions", "contracts",
                     "activities"]  # fmt: skip
    assert list(registry()) == kinds
    path = tmp_path / "hte.xlsx"
    path.write_bytes(as_xlsx(HTE_SCHEMA, [{"uscc": U1, "name": "甲"}]))
    for kind in ("evaluation-hte", "evaluation-tsme"):
        with pytest.raises(TableError, match=f"未知的导入类型“{kind}”"):
            get_schema(kind)
        with pytest.raises(CommandError, match=f"未知的导入类型“{kind}”"):
            call_command("import", kind, str(path))


def test_an_unknown_template_kind_lists_the_evaluation_kinds_too(tmp_path):
    expected = r"未知的模板类型“evaluation”，可用：orgs, .*, activities, evaluation-hte, evaluation-tsme$"
    with pytest.raises(CommandError, match=expected):
        call_command("template", "evaluation", str(tmp_path / "x.xlsx"))
    call_command("template", "figures", str(tmp_path / "figures.xlsx"))  # the import kinds are unchanged
    assert load_workbook(tmp_path / "figures.xlsx")["数据"]["A1"].value == "统一社会信用代码*"
