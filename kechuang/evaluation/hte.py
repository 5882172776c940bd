"""高新技术企业认定 (policy-rules.md §1), column-wise: the conditions of Art. 11 with the 195号 measurement rules and
the innovation-capability score, whose items are ranges [min, max] because experts choose the integer inside a band;
``evaluate`` returns one result per enterprise with the fixed keys of issue #5 item 7."""

import datetime
from decimal import Decimal
from fractions import Fraction

import numpy as np
from django.utils.translation import gettext

from .columns import Frame, Quantity
from .common import Gap, apply, band_index, ceil_cent, ceil_int, flags, number, tri, wan
from .rules import RuleSet, ruleset

YEAR_FIELDS = ("sales_revenue", "total_income", "rd_expense", "rd_domestic", "net_assets")
INPUTS = ("registration_date", "application_date", "domain", "staff_total", "st_staff", "hitech_revenue_last_year",
          "class1_ip", "class2_ip", "own_rd_ip", "conversions_3y", "standards_drafted", "rd_management",
          "violation_last_year")  # fmt: skip
CONDITIONS = ("registered_1y", "core_ip", "domain", "st_staff_ratio", "rd_ratio", "rd_domestic_ratio",
              "hitech_revenue_ratio", "no_violation", "innovation_score")  # fmt: skip
ITEMS = ("ip_advancement", "ip_core_support", "ip_quantity", "ip_acquisition", "ip_standards_bonus", "ip",
         "conversion", "rd_management", "growth_net_assets", "growth_sales", "growth")  # fmt: skip
IP_PARTS = ITEMS[:5]
RD_FLAGS = 4


class ExpertScoreError(ValueError):
    """Expert scores outside the range of the band the data put an item in; ``messages`` names each."""

    def __init__(self, messages: list[str]):
        super().__init__("\n".join(messages))
        self.messages = messages


SCALARS = ("uscc", "name", "registration_date", "application_date", "domain", "staff_total", "st_staff",
           "hitech_revenue_last_year", "class1_ip", "class2_ip", "own_rd_ip", "conversions_3y", "standards_drafted",
           "violation_last_year")  # fmt: skip
SLOTS = (1, 2, 3)


def columns_of(records: list[dict]) -> dict[str, list]:
    """Input records as the columns ``Evaluation`` reads: the scalars; ``years``, the number of fiscal years; each
    year's figures as ``<field>_<slot>`` (slot 1 the oldest, None where the year is absent); the four R&D-management
    flags as ``rd_management_<k>``; the expert scores."""
    columns: dict[str, list] = {name: [r.get(name) for r in records] for name in SCALARS}
    years = [r.get("years") or [] for r in records]
    columns["years"] = [len(y) for y in years]
    for name in ("year", *YEAR_FIELDS):
        for slot in SLOTS:
            columns[f"{name}_{slot}"] = [y[slot - 1].get(name) if slot <= len(y) else None for y in years]
    flags_given = [r.get("rd_management") for r in records]
    for k in range(RD_FLAGS):
        columns[f"rd_management_{k + 1}"] = [None if f is None else f[k] for f in flags_given]
    columns["expert_scores"] = [r.get("expert_scores") or {} for r in records]
    return columns


def _frame(columns: dict[str, list]) -> Frame:
    """The numbers the formulas read: the inputs, the days from registration to application, the years over which
    conversions are averaged (the actual ones, 1 to 3), and which slot holds the last year (0 or 1 each)."""
    count = np.array(columns["years"], dtype=np.int64)
    registered = np.array(columns["registration_date"], dtype="datetime64[D]")
    applied = np.array(columns["application_date"], dtype="datetime64[D]")
    days = applied - registered
    numbers = {
        "domain": columns["domain"],
        "staff_total": columns["staff_total"],
        "st_staff": columns["st_staff"],
        "hitech": columns["hitech_revenue_last_year"],
        "class1_ip": columns["class1_ip"],
        "class2_ip": columns["class2_ip"],
        "conversions": columns["conversions_3y"],
        "days": np.where(np.isnat(days), None, days.astype(np.int64)).tolist(),
        "years": columns["years"],
        "operating": np.clip(count, 1, 3).tolist(),
    }
    for slot in SLOTS:
        numbers[f"last_{slot}"] = (count == slot).astype(np.int64).tolist()
        for name in YEAR_FIELDS:
            numbers[f"{name}_{slot}"] = columns[f"{name}_{slot}"]
    zeros = {f"{name}_{slot}" for name in YEAR_FIELDS for slot in SLOTS}  # an absent year adds nothing to a sum
    return Frame(numbers, zeros=zeros)


class Evaluation:
    """The evaluation of many enterprises at once; ``results()`` gives them one by one for output."""

    def __init__(self, records: list[dict] | None = None, rules: RuleSet | None = None, *, columns=None):
        """Evaluate input records (the fixed keys), or ``columns`` as ``columns_of`` gives them (what a screening
        loads from the database)."""
        self.rules = rules or ruleset("hte")
        self._records = records
        self.columns = columns if columns is not None else columns_of(records)
        frame = self.frame = _frame(self.columns)
        size = frame.size
        self.flags = {name: flags(self.columns[name]) for name in ("own_rd_ip", "standards_drafted",
                                                                    "violation_last_year")}  # fmt: skip
        count = np.array(self.columns["years"], dtype=np.int64)
        self.conditions: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        self._absent_of: dict[str, np.ndarray] = {}
        self.values: dict[str, Quantity] = {}

        rule = self.rules.conditions
        days = self._quantity("registered_1y", lambda c: c.days, frame.known("days"), exact=True)
        self._condition("registered_1y", days.defined, days.at_least(rule("registered_1y")["min_days"]))
        ip_known = frame.known("class1_ip", "class2_ip")
        ip_count = self._quantity("core_ip", lambda c: c.class1_ip + c.class2_ip, ip_known, exact=True)
        self.has_ip = ip_count.at_least(rule("core_ip")["min"])
        self._condition("core_ip", ip_known, self.has_ip)
        codes = {int(x) for x in rule("domain")["codes"]}
        domains = np.array([d in codes for d in frame.exact["domain"]], dtype=bool)
        self._condition("domain", frame.known("domain"), domains)
        staff = Quantity(frame, lambda c: c.staff_total, one_rounding=True)
        st_ratio = self._quantity("st_staff_ratio", lambda c: c.st_staff / c.staff_total, staff.above(0))
        self._condition("st_staff_ratio", frame.known("staff_total", "st_staff"),
                        st_ratio.at_least(rule("st_staff_ratio")["min"]))  # fmt: skip
        has_years = count > 0
        sales_sum = Quantity(frame, _sales_sum, has_years)
        rd_ratio = self._quantity("rd_ratio", lambda c: _rd_sum(c) / _sales_sum(c), has_years & sales_sum.above(0))
        last_sales = Quantity(frame, _last("sales_revenue"), has_years, one_rounding=True)  # x·1 + 0 + 0
        self.rd_bound = np.full(size, np.nan)
        rd_ok, lower = np.zeros(size, dtype=bool), None
        for band in rule("rd_ratio"):
            in_band = last_sales.defined if band["sales_max"] is None else last_sales.at_most(band["sales_max"])
            if lower is not None:
                in_band &= ~lower
            rd_ok |= in_band & rd_ratio.at_least(band["min"])
            self.rd_bound = np.where(in_band, float(band["min"]), self.rd_bound)
            lower = in_band if lower is None else lower | in_band
        self._condition("rd_ratio", has_years & self._complete(count, "sales_revenue", "rd_expense"), rd_ok)
        rd_sum = Quantity(frame, _rd_sum, has_years)
        domestic = self._quantity(
            "rd_domestic_ratio", lambda c: _domestic_sum(c) / _rd_sum(c), has_years & rd_sum.above(0)
        )
        self._condition("rd_domestic_ratio", has_years & self._complete(count, "rd_expense", "rd_domestic"),
                        domestic.at_least(rule("rd_domestic_ratio")["min"]))  # fmt: skip
        income = Quantity(frame, _last("total_income"), has_years, one_rounding=True)
        hitech = self._quantity("hitech_revenue_ratio", lambda c: c.hitech / _last("total_income")(c),
                                income.above(0) & frame.known("hitech"))  # fmt: skip
        hitech_known = has_years & frame.known("hitech") & self._complete(count, "total_income")
        self._condition("hitech_revenue_ratio", hitech_known, hitech.at_least(rule("hitech_revenue_ratio")["min"]))
        violation_known, violation = self.flags["violation_last_year"]
        self._condition("no_violation", violation_known, ~violation)

        self.low, self.high = self._scores(frame, count, ip_known)
        self._apply_expert_scores()
        for parts, total, cap in ((IP_PARTS, "ip", "ip"), (("growth_net_assets", "growth_sales"), "growth", "growth")):
            limit = int(self.rules.scores(cap)["cap"])
            self.low[total] = np.minimum(sum(self.low[p] for p in parts), limit)
            self.high[total] = np.minimum(sum(self.high[p] for p in parts), limit)
        totals = ("ip", "conversion", "rd_management", "growth")
        self.total_low, self.total_high = (sum(side[item] for item in totals) for side in (self.low, self.high))
        above = int(rule("innovation_score")["above"])
        others = [self.conditions[c] for c in CONDITIONS[:-1]]
        failed = np.logical_or.reduce([known & ~ok for known, ok in others]) | (self.total_high <= above)
        passed = np.logical_and.reduce([known & ok for known, ok in others])
        self.verdict = np.where(failed, "fails", np.where(passed & (self.total_low > above), "likely", "borderline"))
        # Decided when the range lies on one side of the bound, and never while the verdict is borderline.
        decided = ((self.total_low > above) | (self.total_high <= above)) & (self.verdict != "borderline")
        self.conditions["innovation_score"] = (decided, self.total_low > above)

    def _complete(self, count: np.ndarray, *names: str) -> np.ndarray:
        """Rows where every fiscal year given has these figures (an absent figure is not taken as 0 for a
        condition: the condition is left undecided and the figure named as missing)."""
        complete = np.ones(len(count), dtype=bool)
        for slot in SLOTS:
            for name in names:
                complete &= ~((count >= slot) & self._absent(f"{name}_{slot}"))
        return complete

    def _absent(self, column: str) -> np.ndarray:
        if column not in self._absent_of:
            self._absent_of[column] = np.array([v is None for v in self.columns[column]], dtype=bool)
        return self._absent_of[column]

    def _quantity(self, code: str, formula, where, **exactness) -> Quantity:
        self.values[code] = Quantity(self.frame, formula, where, **exactness)
        return self.values[code]

    def _condition(self, code: str, known: np.ndarray, ok: np.ndarray) -> None:
        self.conditions[code] = (known, ok & known)

    # --- score items --------------------------------------------------------------------------------------------

    def _scores(self, frame: Frame, count: np.ndarray, ip_known: np.ndarray):
        size, scores = frame.size, self.rules.scores
        has_ip = self.has_ip
        low, high = {}, {}
        for item in ("ip_advancement", "ip_core_support"):  # expert judgement only: the whole range with IP
            low[item], high[item] = np.zeros(size, np.int64), np.where(has_ip | ~ip_known, int(scores(item)["max"]), 0)
        quantity = scores("ip_quantity")["bands"]
        class1 = Quantity(frame, lambda c: c.class1_ip, ip_known, exact=True)
        class2 = Quantity(frame, lambda c: c.class2_ip, ip_known, exact=True)
        tests = [class1.at_least(b["class1_min"]) if "class1_min" in b else class2.at_least(b["class2_min"])
                 for b in quantity[:-1]]  # fmt: skip
        low["ip_quantity"], high["ip_quantity"] = _range(quantity, band_index(tests, size))
        low["ip_quantity"] = np.where(ip_known, low["ip_quantity"], 0)
        high["ip_quantity"] = np.where(ip_known, high["ip_quantity"], int(scores("ip_quantity")["max"]))
        for item, flag in (("ip_acquisition", "own_rd_ip"), ("ip_standards_bonus", "standards_drafted")):
            yes, no = (next(b["points"] for b in scores(item)["bands"] if b[flag] is v) for v in (True, False))
            known, value = self.flags[flag]
            low[item] = np.where(known, np.where(value, int(yes[0]), int(no[0])), min(int(yes[0]), int(no[0])))
            high[item] = np.where(known, np.where(value, int(yes[1]), int(no[1])), max(int(yes[1]), int(no[1])))
        for item in IP_PARTS:  # no IP: nothing on any IP item
            low[item] = np.where(has_ip | ~ip_known, low[item], 0)
            high[item] = np.where(has_ip | ~ip_known, high[item], 0)

        conversion = scores("conversion")["bands"]
        rate = Quantity(frame, lambda c: c.conversions / c.operating, frame.known("conversions"), exact=True)
        tests = [rate.at_least(b["min"]) for b in conversion[:-1]]
        low["conversion"], high["conversion"] = _range(conversion, band_index(tests, size))
        high["conversion"] = np.where(frame.known("conversions"), high["conversion"], int(scores("conversion")["max"]))

        maxima = [int(m) for m in scores("rd_management")["items"]]
        low["rd_management"], high["rd_management"] = np.zeros(size, np.int64), np.zeros(size, np.int64)
        for position, most in enumerate(maxima):
            known, yes = flags(self.columns[f"rd_management_{position + 1}"])
            low["rd_management"] += np.where(yes, 1, 0)
            high["rd_management"] += np.where(yes | ~known, most, 0)

        growth = self.rules.data["growth_bands"]
        for item, name in (("growth_net_assets", "net_assets"), ("growth_sales", "sales_revenue")):
            low[item], high[item] = _range(growth, self._growth_band(frame, count, name, growth))
            incomplete = (count > 0) & ~self._complete(count, name)  # a figure missing: the whole range
            low[item] = np.where(incomplete, 0, low[item])
            high[item] = np.where(incomplete, int(self.rules.scores(item)["max"]), high[item])
        return low, high

    def _growth_band(self, frame: Frame, count: np.ndarray, name: str, bands: list[dict]) -> np.ndarray:
        """½ × (V₂/V₁ + V₃/V₂) − 1 over three years; V₃/V₂ − 1 when V₁ is 0; 0 points when V₂ is 0; V₂/V₁ − 1 over
        two years [U]; 0 points with one year, or with a negative net asset value in any year [U]."""
        v1, v2, v3 = (Quantity(frame, _slot(name, k), one_rounding=True) for k in (1, 2, 3))
        zero1, zero2 = v1.at_most(0), v2.at_most(0)
        usable = np.ones(frame.size, dtype=bool)
        if name == "net_assets":
            for slot, v in ((1, v1), (2, v2), (3, v3)):
                usable &= ~((count >= slot) & ~v.at_least(0))
        three = usable & (count == 3) & ~zero1 & ~zero2
        rates = [
            Quantity(frame, lambda c: (_get(c, name, 2) / _get(c, name, 1) + _get(c, name, 3) / _get(c, name, 2)) / 2
                     - 1, three),
            Quantity(frame, lambda c: _get(c, name, 3) / _get(c, name, 2) - 1, usable & (count == 3) & zero1 & ~zero2),
            Quantity(frame, lambda c: _get(c, name, 2) / _get(c, name, 1) - 1, usable & (count == 2) & ~zero1),
        ]  # fmt: skip
        tests = []
        for band in bands[:-1]:
            if "min" in band:
                tests.append(np.logical_or.reduce([r.at_least(band["min"]) for r in rates]))
            else:
                tests.append(np.logical_or.reduce([r.above(band["above"]) for r in rates]))
        return band_index(tests, frame.size)

    def _apply_expert_scores(self) -> None:
        """An expert's integer replaces an item's range; it must lie inside the range of the band the data gave."""
        problems = []
        for i, scores in enumerate(self.columns["expert_scores"]):
            for item, score in scores.items():
                low, high = int(self.low[item][i]), int(self.high[item][i])
                if not low <= score <= high:
                    problems.append(
                        gettext("第{n}家企业 expert_scores.{item}：专家评分 {score} 不在按数据所属档次的分值范围 "
                                "{low}–{high} 内").format(n=i + 1, item=item, score=score, low=low, high=high)
                    )  # fmt: skip
                    continue
                self.low[item][i] = self.high[item][i] = score
        if problems:
            raise ExpertScoreError(problems)

    # --- one enterprise -------------------------------------------------------------------------------------------

    def record(self, i: int) -> dict:
        """Enterprise ``i``'s input record: as given, or rebuilt from the columns."""
        if self._records is not None:
            return self._records[i]
        record = {name: self.columns[name][i] for name in (*SCALARS, "expert_scores")}
        record["years"] = [
            {name: self.columns[f"{name}_{slot}"][i] for name in ("year", *YEAR_FIELDS)}
            for slot in SLOTS[: self.columns["years"][i]]
        ]
        flags_given = [self.columns[f"rd_management_{k + 1}"][i] for k in range(RD_FLAGS)]
        record["rd_management"] = None if all(f is None for f in flags_given) else flags_given
        return record

    def results(self) -> list[dict]:
        return [self.result(i) for i in range(self.frame.size)]

    def result(self, i: int) -> dict:
        verdict = str(self.verdict[i])
        return {
            "uscc": self.record(i)["uscc"],
            "verdict": verdict,
            "conditions": [self._condition_row(code, i) for code in CONDITIONS],
            "scores": {item: [int(self.low[item][i]), int(self.high[item][i])] for item in ITEMS},
            "total": [int(self.total_low[i]), int(self.total_high[i])],
            "route": None,
            "rd_method": None,
            "missing": self.missing(i),
            "gaps": [gap.text for gap in gaps(self.record(i), self.rules)] if verdict == "fails" else [],
        }

    def missing(self, i: int) -> list[str]:
        record = self.record(i)
        names = [name for name in INPUTS if record.get(name) is None]
        if not record.get("years"):
            names.append("years")
        else:
            names += [f"years[{k}].{n}" for k, y in enumerate(record["years"]) for n in YEAR_FIELDS if y.get(n) is None]
        return names

    def _condition_row(self, code: str, i: int) -> dict:
        rule = self.rules.data["conditions"].get(code, {})
        known, ok = self.conditions[code]
        row = {"code": code, "passed": tri(known, ok, i), "value": None, "threshold": None, "margin": None}
        if code == "innovation_score":
            above = int(rule["above"])
            low, high = int(self.total_low[i]), int(self.total_high[i])
            return row | {"value": [low, high], "threshold": above, "margin": [low - above, high - above]}
        if code == "domain":
            return row | {"value": self.record(i).get("domain"), "threshold": [int(c) for c in rule["codes"]]}
        if code == "no_violation":
            return row | {"value": self.record(i).get("violation_last_year"), "threshold": False}
        value = self.values[code].exact(i)
        if code == "rd_ratio":
            bound = Fraction(Decimal(str(self.rd_bound[i]))) if not np.isnan(self.rd_bound[i]) else None
        else:
            bound = Fraction(next(iter(v for k, v in rule.items() if k in ("min", "min_days"))))
        margin = value - bound if value is not None and bound is not None else None
        return row | {"value": number(value), "threshold": number(bound), "margin": number(margin)}


def _rd_sum(c):
    return c.rd_expense_1 + c.rd_expense_2 + c.rd_expense_3


def _domestic_sum(c):
    return c.rd_domestic_1 + c.rd_domestic_2 + c.rd_domestic_3


def _sales_sum(c):
    return c.sales_revenue_1 + c.sales_revenue_2 + c.sales_revenue_3


def _last(name: str):
    """The last fiscal year's value of a figure: the slot the number of years points to."""
    return lambda c: sum(getattr(c, f"{name}_{slot}") * getattr(c, f"last_{slot}") for slot in SLOTS)


def _slot(name: str, slot: int):
    return lambda c: getattr(c, f"{name}_{slot}")


def _get(c, name: str, slot: int):
    return getattr(c, f"{name}_{slot}")


def _range(bands: list[dict], index: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    low = np.array([int(b["points"][0]) for b in bands], dtype=np.int64)[index]
    high = np.array([int(b["points"][1]) for b in bands], dtype=np.int64)[index]
    return low, high


# --- what it lacks --------------------------------------------------------------------------------------------------


def gaps(record: dict, rules: RuleSet | None = None) -> list[Gap]:
    """What an enterprise needs in order not to fail, in its own numbers. Each gap is worked out on the record with
    the earlier gaps already made, so that applying all of them lifts the verdict out of ``fails``."""
    rules, found = rules or ruleset("hte"), []

    def step(gap: Gap | None) -> None:
        nonlocal record
        if gap is not None:
            found.append(gap)
            record = apply(record, gap.changes)

    def evaluation(changes=None) -> Evaluation:
        """The record as the data alone place it: the expert scores are for the items as they stand."""
        return Evaluation([{**apply(record, changes or {}), "expert_scores": {}}], rules)

    experts = record.get("expert_scores") or {}
    original = Evaluation([record], rules)
    above = int(rules.conditions("innovation_score")["above"])
    for code in CONDITIONS[:-1]:  # a condition an earlier gap has already met is left out
        known, ok = evaluation().conditions[code]
        if not (known[0] and ok[0]):
            step(_condition_gap(code, record, rules))
    for alternatives in _score_steps(rules):
        if int(evaluation().total_high[0]) > above:
            break
        chosen = None
        for make in alternatives:  # the smallest change that is enough, else the largest
            chosen = make(record)
            if chosen is not None and evaluation(chosen.changes).total_high[0] > above:
                break
        step(chosen)
    if experts and _still_fails(record, rules):
        # The experts judged the items as they were: after the changes they must score them again.
        score = int(original.total_high[0])
        text = gettext("须请专家重新评分（按现有专家评分，总分最高 {score} 分，未超过 {bound} 分）").format(
            score=score, bound=above
        )
        found.append(Gap(text, {"expert_scores": {}}))
    return found


def _still_fails(record: dict, rules: RuleSet) -> bool:
    try:
        return Evaluation([record], rules).verdict[0] == "fails"
    except ExpertScoreError:  # an expert score outside the band the changed data now gives
        return True


def _condition_gap(code: str, record: dict, rules: RuleSet) -> Gap | None:
    rule, years = rules.data["conditions"].get(code, {}), record.get("years") or []
    if code == "registered_1y":
        registered = record.get("registration_date") or record.get("application_date") or datetime.date.today()
        earliest = registered + datetime.timedelta(days=int(rule["min_days"]))
        text = gettext("须注册成立满 {days} 天后申请：申请日期不早于 {date}").format(
            days=int(rule["min_days"]), date=earliest.isoformat()
        )
        applied = max(earliest, record.get("application_date") or earliest)
        return Gap(text, {"registration_date": registered, "application_date": applied})
    if code == "core_ip":
        changes = {"class1_ip": record.get("class1_ip") or 0, "class2_ip": max(1, record.get("class2_ip") or 0)}
        return Gap(gettext("须拥有至少 1 项对主要产品（服务）起核心支持作用的知识产权"), changes)
    if code == "domain":
        return Gap(gettext("须选定《国家重点支持的高新技术领域》之一（1–8）"), {"domain": 1})
    if code == "no_violation":
        return Gap(
            gettext("申请前一年内不得发生重大安全、重大质量事故或严重环境违法行为"), {"violation_last_year": False}
        )
    if code == "st_staff_ratio":
        staff = record.get("staff_total") or Decimal(0)
        changes = {} if staff > 0 else {"staff_total": Decimal(1)}
        staff = max(staff, Decimal(1))
        st = record.get("st_staff") or Decimal(0)
        more = ceil_int(Fraction(rule["min"]) * Fraction(staff) - Fraction(st))
        text = gettext("科技人员须增加 {n} 人（职工总数不变），使科技人员占比达到 {ratio}%").format(
            n=more, ratio=number(rule["min"] * 100)
        )
        return Gap(text, changes | {"st_staff": st + more})
    if not years:
        return Gap(gettext("须填报近三个会计年度（成立不足三年的按实际年度）的财务数据"), {})
    if code == "rd_ratio":
        sales = [y.get("sales_revenue") or Decimal(0) for y in years]
        rd = sum((y.get("rd_expense") or Decimal(0) for y in years), Decimal(0))
        bound = next(b["min"] for b in rule if b["sales_max"] is None or sales[-1] <= b["sales_max"])
        if sum(sales) <= 0:
            return Gap(gettext("近三年须有销售收入"), {})
        more = ceil_cent(Fraction(bound) * Fraction(sum(sales)) - Fraction(rd))
        text = gettext("近三年研发费用合计须增加 {amount} 万元，达到近三年销售收入的 {ratio}%").format(
            amount=wan(more), ratio=number(bound * 100)
        )
        last = years[-1]
        return Gap(text, {"years[-1].rd_expense": (last.get("rd_expense") or 0) + more,
                          "years[-1].rd_domestic": (last.get("rd_domestic") or 0) + more})  # fmt: skip
    if code == "rd_domestic_ratio":
        rd = sum((y.get("rd_expense") or Decimal(0) for y in years), Decimal(0))
        domestic = sum((y.get("rd_domestic") or Decimal(0) for y in years), Decimal(0))
        more = ceil_cent(Fraction(rule["min"]) * Fraction(rd) - Fraction(domestic))
        if more <= 0:  # no R&D at all: the R&D gap above says so
            return None
        changes, left = {}, more
        for k in range(len(years) - 1, -1, -1):  # the latest years first, each up to its R&D expense
            room = (years[k].get("rd_expense") or 0) - (years[k].get("rd_domestic") or 0)
            add = min(room, left)
            if add > 0:
                changes[f"years[{k}].rd_domestic"] = (years[k].get("rd_domestic") or 0) + add
                left -= add
        text = gettext("近三年境内研发费用须增加 {amount} 万元（研发费用总额不变），占比达到 {ratio}%").format(
            amount=wan(more), ratio=number(rule["min"] * 100)
        )
        return Gap(text, changes)
    if code == "hitech_revenue_ratio":
        income = years[-1].get("total_income") or Decimal(0)
        hitech = record.get("hitech_revenue_last_year") or Decimal(0)
        if income <= 0:
            return Gap(gettext("最近一年总收入须大于 0"), {})
        more = ceil_cent(Fraction(rule["min"]) * Fraction(income) - Fraction(hitech))
        text = gettext("最近一年高新技术产品（服务）收入须增加 {amount} 万元，达到总收入的 {ratio}%").format(
            amount=wan(more), ratio=number(rule["min"] * 100)
        )
        return Gap(text, {"hitech_revenue_last_year": hitech + more})
    return None


def _score_steps(rules: RuleSet):
    """Ways to raise the highest reachable innovation score, in the order suggested, each a list of alternatives
    from the smallest change: R&D management (within the enterprise's own control), IP, standards, conversions.
    Growth is history and is never suggested."""
    names = (
        gettext("建立研发组织管理制度、研发投入核算体系和研发费用辅助账"),
        gettext("设立内部研发机构并开展多种形式的产学研合作"),
        gettext("建立科技成果转化的组织实施与激励奖励制度，建设开放式创新创业平台"),
        gettext("建立科技人员培养进修、职工技能培训、优秀人才引进和人才绩效评价奖励制度"),
    )
    for position, name in enumerate(names):

        def flag(record, position=position, name=name):
            current = list(record.get("rd_management") or [False] * RD_FLAGS)
            if current[position]:
                return None
            current[position] = True
            return Gap(gettext("研究开发组织管理：{what}").format(what=name), {"rd_management": current})

        yield [flag]
    yield [lambda r: None if (r.get("class1_ip") or 0) >= 1 else Gap(
        gettext("须再拥有 1 项Ⅰ类知识产权（如发明专利）"), {"class1_ip": 1}
    )]  # fmt: skip
    yield [lambda r: None if r.get("own_rd_ip") else Gap(gettext("须有自主研发取得的知识产权"), {"own_rd_ip": True})]
    yield [lambda r: None if r.get("standards_drafted") else Gap(
        gettext("参与制定国家或行业标准、检测方法、技术规范"), {"standards_drafted": True}
    )]  # fmt: skip
    yield [_conversion_gap(band) for band in rules.scores("conversion")["bands"][-2::-1]]  # the lowest band first


def _conversion_gap(band: dict):
    def make(record) -> Gap | None:
        operating = min(3, max(1, len(record.get("years") or [])))
        wanted = ceil_int(Fraction(band["min"]) * operating)
        have = record.get("conversions_3y") or 0
        if have >= wanted:
            return None
        text = gettext("近三年科技成果转化须增加 {n} 项（年均达到 {rate} 项）").format(
            n=wanted - have, rate=number(band["min"])
        )
        return Gap(text, {"conversions_3y": wanted})

    return make


def evaluate(records: list[dict], rules: RuleSet | None = None) -> list[dict]:
    """Evaluate enterprises (input records with the fixed keys) against the high-tech enterprise rules."""
    return Evaluation(records, rules).results()
