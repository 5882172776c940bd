"""科技型中小企业评价 (policy-rules.md §2), column-wise: the basic conditions, the three scored items (S&T staff,
R&D input as the better of two ratios, IP), the rule that zero S&T-staff points fail, and the direct-qualification
routes. ``evaluate`` returns one result per enterprise with the fixed keys of issue #5 item 7."""

from decimal import Decimal
from fractions import Fraction

import numpy as np
from django.utils.translation import gettext

from .columns import Frame, Quantity
from .common import (
    Gap,
    apply,
    band_index,
    ceil_cent,
    ceil_int,
    count_tests,
    flags,
    missing,
    number,
    points_of,
    tri,
    wan,
)
from .labels import FIELDS
from .rules import RuleSet, ruleset

NUMBERS = ("staff_total", "st_staff", "sales_revenue", "total_assets", "rd_expense", "total_costs", "class1_ip",
           "class2_ip")  # fmt: skip
FLAGS = ("resident", "audit_taxation", "excluded_industry", "violation", "hte_valid", "national_award_top3_5y",
         "provincial_rd_institution", "led_standard_5y")  # fmt: skip
ROUTE_FLAGS = {"hte": "hte_valid", "national_award": "national_award_top3_5y",
               "rd_institution": "provincial_rd_institution", "standard": "led_standard_5y"}  # fmt: skip
BASIC = ("resident", "audit_taxation", "size", "not_excluded_industry", "no_violation")


class Evaluation:
    """The evaluation of many enterprises at once; ``results()`` gives them one by one for output."""

    def __init__(self, records: list[dict] | None = None, rules: RuleSet | None = None, *, columns=None):
        """Evaluate input records (the fixed keys), or ``columns``: the same keys, each a list over the enterprises
        (what a screening loads from the database)."""
        self.rules = rules or ruleset("tsme")
        if columns is None:
            columns = {name: [r.get(name) for r in records] for name in ("uscc", "name", *NUMBERS, *FLAGS)}
        self.columns = columns
        frame = self.frame = Frame({name: columns[name] for name in NUMBERS})
        size = frame.size
        self.flags = {name: flags(columns[name]) for name in FLAGS}

        # Score items.
        staff = Quantity(frame, lambda c: c.staff_total, one_rounding=True)
        self.st_ratio = Quantity(frame, lambda c: c.st_staff / c.staff_total, staff.above(0) & frame.known("st_staff"))
        st_bands = self.rules.scores("st_staff")["bands"]
        self.st_points = _points(self.st_ratio, st_bands, "min")
        sales = Quantity(frame, lambda c: c.sales_revenue, one_rounding=True)
        costs = Quantity(frame, lambda c: c.total_costs, one_rounding=True)
        rd_known = frame.known("rd_expense")
        self.rd_sales = Quantity(frame, lambda c: c.rd_expense / c.sales_revenue, sales.above(0) & rd_known)
        self.rd_costs = Quantity(frame, lambda c: c.rd_expense / c.total_costs, costs.above(0) & rd_known)
        rd_bands = self.rules.scores("rd")["bands"]
        by_sales, by_costs = (
            _points(self.rd_sales, rd_bands, "sales_min"),
            _points(self.rd_costs, rd_bands, "costs_min"),
        )
        self.rd_points = np.maximum(by_sales, by_costs)
        self.rd_method = np.where(by_sales >= by_costs, "sales", "costs")
        ip_bands = self.rules.scores("ip")["bands"]
        self.ip_points = points_of(ip_bands, band_index(count_tests(ip_bands, frame), size))
        self.total = self.st_points + self.rd_points + self.ip_points
        self.score_known = frame.known(*NUMBERS[:2], "rd_expense", "class1_ip", "class2_ip") & (
            frame.known("sales_revenue") | frame.known("total_costs")
        )

        # Conditions: known (the inputs are given) and ok.
        size_rule = self.rules.conditions("size")
        assets = Quantity(frame, lambda c: c.total_assets, one_rounding=True)
        self.size_parts = {
            "staff_total": (staff, size_rule["staff_max"]),
            "sales_revenue": (sales, size_rule["sales_max"]),
            "total_assets": (assets, size_rule["assets_max"]),
        }
        size_ok = np.logical_and.reduce([q.at_most(limit) for q, limit in self.size_parts.values()])
        score_min = self.rules.conditions("score")["min"]
        score_ok = self.total >= int(score_min)
        self.conditions = {
            "resident": self.flags["resident"],
            "audit_taxation": self.flags["audit_taxation"],
            "size": (frame.known("staff_total", "sales_revenue", "total_assets"), size_ok),
            "not_excluded_industry": (self.flags["excluded_industry"][0], ~self.flags["excluded_industry"][1]),
            "no_violation": (self.flags["violation"][0], ~self.flags["violation"][1]),
            "score": (self.score_known | score_ok, score_ok),
            "st_staff_nonzero": (frame.known("staff_total", "st_staff"), self.st_points > 0),
        }
        basic = np.logical_and.reduce([known & ok for known, ok in (self.conditions[c] for c in BASIC)])
        self.score_route = score_ok & (self.st_points > 0)
        routes = [self.flags[ROUTE_FLAGS[name]][1] for name in self.rules.data["routes"]]
        self.qualifies = basic & (self.score_route | np.logical_or.reduce(routes))
        self.route = np.full(size, None, dtype=object)
        for name, holds in reversed(list(zip(self.rules.data["routes"], routes, strict=True))):
            self.route = np.where(holds, name, self.route)
        self.route = np.where(self.score_route, "score", self.route)

    # --- one enterprise -------------------------------------------------------------------------------------------

    def record(self, i: int) -> dict:
        """Enterprise ``i``'s input record."""
        return {name: values[i] for name, values in self.columns.items()}

    def results(self) -> list[dict]:
        return [self.result(i) for i in range(self.frame.size)]

    def result(self, i: int) -> dict:
        record = self.record(i)
        points = {"st_staff": int(self.st_points[i]), "rd": int(self.rd_points[i]), "ip": int(self.ip_points[i])}
        return {
            "uscc": record["uscc"],
            "verdict": "qualifies" if self.qualifies[i] else "fails",
            "conditions": self._conditions(i),
            "scores": {item: [p, p] for item, p in points.items()},
            "total": [int(self.total[i])] * 2,
            "route": self.route[i],
            "rd_method": str(self.rd_method[i]),
            "missing": missing(record, NUMBERS + FLAGS),
            "gaps": [] if self.qualifies[i] else [gap.text for gap in self.gaps(i)],
        }

    def _conditions(self, i: int) -> list[dict]:
        record, rows = self.record(i), []
        for code, flag, wanted in (("resident", "resident", True), ("audit_taxation", "audit_taxation", True)):
            rows.append(_flag(code, self.conditions[code], i, record.get(flag), wanted))
        values = {name: q.exact(i) for name, (q, _) in self.size_parts.items()}
        limits = {name: limit for name, (_, limit) in self.size_parts.items()}
        rows.append(
            {
                "code": "size",
                "passed": tri(*self.conditions["size"], i),
                "value": {k: number(v) for k, v in values.items()},
                "threshold": {k: number(v) for k, v in limits.items()},
                "margin": {k: number(Fraction(limits[k]) - v) if v is not None else None for k, v in values.items()},
            }
        )
        rows.append(_flag("not_excluded_industry", self.conditions["not_excluded_industry"], i,
                          record.get("excluded_industry"), False))  # fmt: skip
        rows.append(_flag("no_violation", self.conditions["no_violation"], i, record.get("violation"), False))
        score_min = int(self.rules.conditions("score")["min"])
        rows.append({"code": "score", "passed": tri(*self.conditions["score"], i), "value": int(self.total[i]),
                     "threshold": score_min, "margin": int(self.total[i]) - score_min})  # fmt: skip
        rows.append({"code": "st_staff_nonzero", "passed": tri(*self.conditions["st_staff_nonzero"], i),
                     "value": int(self.st_points[i]), "threshold": 0, "margin": int(self.st_points[i])})  # fmt: skip
        return rows

    # --- what it lacks --------------------------------------------------------------------------------------------

    def gaps(self, i: int) -> list[Gap]:
        """What enterprise ``i`` needs in order to qualify, in its own numbers; applying every gap's changes to its
        input makes it qualify."""
        record, gaps = self.record(i), []
        for flag, wanted, text in (
            ("resident", True, gettext("须为在中国境内（不含港澳台）注册的居民企业")),
            ("audit_taxation", True, gettext("企业所得税须实行查账征收，能够准确归集研发费用")),
            ("excluded_industry", False, gettext("所属行业不得属于不适用研发费用加计扣除政策的行业")),
            ("violation", False, gettext(
                "上一年度至今不得有重大安全、质量事故，严重环境违法、科研严重失信行为，"
                "不得被列入经营异常名录或严重违法失信名单"
            )),
        ):  # fmt: skip
            if record.get(flag) is not wanted:
                gaps.append(Gap(text, {flag: wanted}))
        # Each later gap is worked out on the record with the earlier ones made.
        size = self._size_gaps(record)
        gaps += size
        for gap in size:
            record = apply(record, gap.changes)
        if not self.score_route[i] and not any(record.get(f) for f in ROUTE_FLAGS.values()):
            gaps += self._score_gaps(record)
        return gaps

    def _size_gaps(self, record: dict) -> list[Gap]:
        gaps = []
        texts = {
            "staff_total": gettext("职工总数须不超过 {limit} 人（现为 {value} 人）"),
            "sales_revenue": gettext("年销售收入须不超过 {limit} 万元（现为 {value} 万元）"),
            "total_assets": gettext("资产总额须不超过 {limit} 万元（现为 {value} 万元）"),
        }
        for name, (_, limit) in self.size_parts.items():
            value = record.get(name)
            if value is None or value > limit:
                shown = (lambda v: f"{v:,}") if name == "staff_total" else wan
                changes = {name: limit}
                if name == "staff_total" and (record.get("st_staff") or 0) > limit:
                    changes["st_staff"] = limit
                if value is None:
                    text = gettext("须填报{what}（不超过 {limit}）").format(what=FIELDS[name], limit=shown(limit))
                else:
                    text = texts[name].format(limit=shown(limit), value=shown(value))
                gaps.append(Gap(text, changes))
        return gaps

    def _score_gaps(self, record: dict) -> list[Gap]:
        """Raise the S&T staff to the first band if it has none, then R&D, then IP, then S&T staff again, each to
        the lowest band that brings the total to the score bound."""
        gaps, now = [], Evaluation([record], self.rules)
        needed = int(self.rules.conditions("score")["min"])
        staff = record.get("staff_total") or Decimal(0)
        st = record.get("st_staff") or Decimal(0)
        st_bands = self.rules.scores("st_staff")["bands"]
        points = {"st_staff": int(now.st_points[0]), "rd": int(now.rd_points[0]), "ip": int(now.ip_points[0])}
        if staff <= 0:
            staff = max(Decimal(1), st)
            what = gettext("须填报年平均职工总数") if record.get("staff_total") is None else gettext("职工总数须大于 0")
            gaps.append(Gap(what, {"staff_total": staff}))
        if points["st_staff"] == 0:
            gaps.append(self._st_gap(staff, st, st_bands[-2]))
            points["st_staff"] = int(st_bands[-2]["points"])
            st = max(st, ceil_int(Fraction(st_bands[-2]["min"]) * Fraction(staff)))
        short = needed - sum(points.values())
        for item in ("rd", "ip", "st_staff"):
            if short <= 0:
                break
            bands = self.rules.scores(item)["bands"][:-1]
            reachable = [b for b in bands if int(b["points"]) > points[item]]
            if not reachable:
                continue
            band = next((b for b in reversed(reachable) if int(b["points"]) - points[item] >= short), reachable[0])
            short -= int(band["points"]) - points[item]
            points[item] = int(band["points"])
            if item == "rd":
                gaps.append(self._rd_gap(record, band))
            elif item == "ip":
                gaps.append(_ip_gap(record, band))
            else:
                gaps.append(self._st_gap(staff, st, band))
        return [gap for gap in gaps if gap is not None]

    @staticmethod
    def _st_gap(staff: Decimal, st: Decimal, band: dict) -> Gap | None:
        more = ceil_int(Fraction(band["min"]) * Fraction(staff) - Fraction(st))
        if more <= 0:  # the ratio is there already (a staff count just filled in)
            return None
        text = gettext("科技人员须增加 {n} 人（职工总数不变），使科技人员占比达到 {ratio}%").format(
            n=more, ratio=number(band["min"] * 100)
        )
        return Gap(text, {"st_staff": st + more})

    @staticmethod
    def _rd_gap(record: dict, band: dict) -> Gap:
        rd, sales, costs = (record.get(k) or Decimal(0) for k in ("rd_expense", "sales_revenue", "total_costs"))
        if sales > 0 or costs <= 0:
            base, bound = max(sales, Decimal(1)), band["sales_min"]
            what = gettext("研发费用占销售收入比例")
            changes = {} if sales > 0 else {"sales_revenue": base}
        else:
            base, bound, what, changes = costs, band["costs_min"], gettext("研发费用占成本费用支出总额比例"), {}
        more = ceil_cent(Fraction(bound) * Fraction(base) - Fraction(rd))
        text = gettext("研发费用须增加 {amount} 万元，使{what}达到 {ratio}%").format(
            amount=wan(more), what=what, ratio=number(bound * 100)
        )
        return Gap(text, changes | {"rd_expense": rd + more})


def _ip_gap(record: dict, band: dict) -> Gap:
    if "class1_min" in band:
        more = int(band["class1_min"]) - (record.get("class1_ip") or 0)
        return Gap(
            gettext("须再拥有 {n} 项Ⅰ类知识产权（如发明专利）").format(n=more), {"class1_ip": int(band["class1_min"])}
        )
    more = int(band["class2_min"]) - (record.get("class2_ip") or 0)
    return Gap(
        gettext("须再拥有 {n} 项Ⅱ类知识产权（如实用新型专利、软件著作权）").format(n=more),
        {"class2_ip": int(band["class2_min"])},
    )


def _points(quantity: Quantity, bands: list[dict], key: str) -> np.ndarray:
    """The points of a ratio's band table: the first band whose lower bound ``key`` the ratio reaches."""
    return points_of(bands, band_index([quantity.at_least(b[key]) for b in bands[:-1]], quantity.frame.size))


def _flag(code: str, condition, i: int, value, wanted: bool) -> dict:
    return {"code": code, "passed": tri(*condition, i), "value": value, "threshold": wanted, "margin": None}


def evaluate(records: list[dict], rules: RuleSet | None = None) -> list[dict]:
    """Evaluate enterprises (input records with the fixed keys) against the tech-SME rules."""
    return Evaluation(records, rules).results()
