"""Benchmark: assessing luzhai-14 for every city and county of the province-scale synthetic data (issue #4 item 10),
against the same aggregates written by hand in SQL on the same database, in the same run.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kechuang_bench_plans \\
        .venv/bin/python bench/plans_assess.py [--year 2025] [--rounds 3] [--explain]

The database must be a benchmark database: the script migrates it, fills it with ``kechuang synth --scale province
--seed 1`` (nothing changes when that data is already there; synth refuses a database holding real data) and,
on PostgreSQL, runs ANALYZE. It imports luzhai-14 from its fixture and, as ``bench-14``, a copy of it whose region
is the province (``assessment_run`` refuses regions outside the plan's subtree), then measures, for the year and for
every prefecture- and county-level region of the province:
  orm      — ``assessment_run_many`` (the service: every metric, the method, the stored results and their audit);
  metrics  — only ``indicator_values`` of each indicator with a metric (the ORM queries the assessment reads);
  hand SQL — the same aggregates written by hand as raw SQL on a cursor: one statement per metric and region, the
             resident population once per region (what a hand-written report would need), nothing stored.
Before any timing it checks that the hand SQL gives the metric catalogue's values for every region and metric. Each
side runs ``--rounds`` times after that warm-up pass, in alternating order; the median (and best) is printed with the
ratio orm / hand SQL (the goal is at most 1.5×) and the metrics that cost most. ``--explain`` adds the query plans of
the slowest metric's ORM queries and of its hand SQL for the largest city. Afterwards the province itself is assessed
for every plan year (untimed), so bench/cockpit_load.py finds a populated cockpit.
"""

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PLAN_CODE = "bench-14"
PROVINCE = "450000"
FIXTURE = ROOT / "kechuang" / "plans" / "fixtures" / "luzhai-14.yaml"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--year", type=int, help="year assessed (default: the last complete year)")
    parser.add_argument("--rounds", type=int, default=3, help="timed rounds of each side (default 3)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--scale", default="province", help="synth scale (county or city for a quick try-out)")
    parser.add_argument("--explain", action="store_true", help="print query plans of the slowest metric")
    args = parser.parse_args()
    if "DATABASE_URL" not in os.environ:
        parser.error("set DATABASE_URL to a benchmark database (PostgreSQL, or sqlite:////tmp/x.sqlite3)")
    scratch = None if "KECHUANG_VAR_DIR" in os.environ else tempfile.mkdtemp(prefix="kc-bench-plans-")
    if scratch:
        os.environ["KECHUANG_VAR_DIR"] = scratch  # the generated secret key, nothing else
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kechuang.settings")
    import django

    django.setup()
    from django.db import connection
    from django.utils import timezone

    year = args.year or timezone.localdate().year - 1
    prepare(args.scale, args.seed)
    plan, regions = bench_plan(), assessed_regions()
    print(f"database: {connection.vendor}; plan {plan.code} ({plan.indicators.count()} indicators, "
          f"{len(metric_indicators(plan))} with a metric); year {year}; {len(regions)} regions "
          f"({sum(r.level == 'prefecture' for r in regions)} cities, {sum(r.level == 'county' for r in regions)} "
          "counties)")  # fmt: skip
    check(plan, regions, year)
    timings = measure(plan, regions, year, args.rounds)
    report(timings, args.rounds)
    if args.explain:
        explain(plan, timings, year)
    assess_province(plan)
    if scratch:
        shutil.rmtree(scratch)


# --- the database -------------------------------------------------------------------------------------------------


def prepare(scale: str, seed: int) -> None:
    """Migrate, fill with the province's synthetic data (a no-op when it is there), ANALYZE, import the plans."""
    from django.core.management import call_command
    from django.db import connection

    from kechuang.orgs.synth import synth_generate
    from kechuang.plans.planfile import read_plan
    from kechuang.plans.services import plan_import

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    summary = synth_generate(scale=scale, seed=seed)
    state = "already there" if summary.unchanged else f"generated in {time.perf_counter() - started:.0f} s"
    print(f"synthetic data, scale {scale}, seed {seed}: {state}")
    if connection.vendor == "postgresql":
        # Right after synth the planner may have no statistics yet (autovacuum analyses later).
        with connection.cursor() as cursor:
            cursor.execute("SELECT max(greatest(last_analyze, last_autoanalyze)) FROM pg_stat_user_tables")
            print(f"last ANALYZE before this run: {cursor.fetchone()[0]}")
            started = time.perf_counter()
            cursor.execute("ANALYZE")
        print(f"ANALYZE: {time.perf_counter() - started:.1f} s")
    else:
        # Not on SQLite: nothing in the application runs it there, and with its statistics SQLite skip-scans
        # patent_type_filed_idx for every region (measured 2.0 s a query instead of 0.33 s for a full scan).
        print("no ANALYZE on SQLite (as deployed)")
    data = read_plan(FIXTURE.read_bytes(), FIXTURE.name)
    plan_import(actor=None, data=data)
    plan_import(actor=None, data=data | {"code": PLAN_CODE, "region": PROVINCE, "name": f"{data['name']}（基准测试）"})


def bench_plan():
    from kechuang.plans.models import Plan

    return Plan.objects.select_related("region").get(code=PLAN_CODE)


def assessed_regions() -> list:
    """Every prefecture- and county-level region of the province that exists today."""
    from django.utils import timezone

    from kechuang.regions.models import Region

    today = timezone.localdate()
    province = Region.objects.get(code=PROVINCE)
    regions = Region.objects.filter(path__startswith=province.path, level__in=["prefecture", "county"])
    regions = regions.exclude(valid_to__lte=today)
    return list(regions.order_by("path"))


def metric_indicators(plan) -> list:
    return [i for i in plan.indicators.select_related("plan").order_by("position") if i.metric]


# --- the hand-written SQL -----------------------------------------------------------------------------------------
# One statement per metric and region, the way a report written by hand against the schema would read the same
# figures; each returns {year: value} in the metric's own unit (元, 件, 家 …), like ``metric_values``.


def _valid_cert(alias: str, day: str) -> str:
    return (f"{alias}.kind = 'hte' AND {alias}.issue_date <= {day} AND {alias}.valid_until >= {day} "
            f"AND ({alias}.revoked_date IS NULL OR {alias}.revoked_date > {day})")  # fmt: skip


def _days(years: list[int], previous: bool = False) -> tuple[str, list]:
    """A derived table of the years with their 31 December (and the year before's): (y, d[, p])."""
    import datetime

    rows, params = [], []
    for y in years:
        rows.append("SELECT %s AS y, %s AS d" + (", %s AS p" if previous else ""))
        params += [y, datetime.date(y, 12, 31)] + ([datetime.date(y - 1, 12, 31)] if previous else [])
    return " UNION ALL ".join(rows), params


def _holders(years: list[int], previous: bool = False) -> tuple[str, list]:
    days, params = _days(years, previous)
    columns = "ys.y AS y, ys.p AS p" if previous else "ys.y AS y"
    sql = (f"SELECT DISTINCT {columns}, c.organisation_id AS org FROM orgs_certificate c "
           f"JOIN ({days}) ys ON {_valid_cert('c', 'ys.d')}")  # fmt: skip
    return sql, params


def _in(values) -> str:
    return ", ".join(["%s"] * len(values))


FIGURES = """
FROM orgs_annualfigures f
JOIN orgs_organisation o ON o.id = f.organisation_id
JOIN regions_region r ON r.id = o.region_id
LEFT JOIN orgs_industry i ON i.id = o.industry_id
LEFT JOIN orgs_industry s ON s.id = i.section_id
LEFT JOIN ({holders}) h ON h.org = f.organisation_id AND h.y = f.year
WHERE r.path LIKE %s AND f.review_status = 'approved' AND f.year IN ({years})
GROUP BY f.year"""
INDUSTRY = "o.above_scale AND s.code IN ('B', 'C', 'D')"


def _figures_rows(cursor, select: str, path: str, years: list[int]) -> dict[int, tuple]:
    holders, params = _holders(years)
    sql = f"SELECT f.year, COUNT(*), {select}" + FIGURES.format(holders=holders, years=_in(years))
    cursor.execute(sql, [*params, path + "%", *years])
    return {row[0]: row[1:] for row in cursor.fetchall()}


def hte_revenue(cursor, region, years):
    rows = _figures_rows(cursor, "SUM(CASE WHEN h.org IS NOT NULL THEN f.total_income END)", region.path, years)
    return {y: (_dec(rows[y][1] or 0) if y in rows else None) for y in years}


def hte_output_share(cursor, region, years):
    select = (f"SUM(CASE WHEN {INDUSTRY} AND h.org IS NOT NULL THEN f.industrial_output END), "
              f"SUM(CASE WHEN {INDUSTRY} THEN f.industrial_output END)")  # fmt: skip
    rows = _figures_rows(cursor, select, region.path, years)
    values = {}
    for y in years:
        _count, part, whole = rows.get(y, (0, None, None))
        values[y] = _dec(part or 0) / _dec(whole) * 100 if y in rows and whole else None
    return values


def hte_new_above_scale(cursor, region, years):
    holders, params = _holders(years, previous=True)
    sql = (f"SELECT h.y, COUNT(*) FROM ({holders}) h JOIN orgs_organisation o ON o.id = h.org "
           "JOIN regions_region r ON r.id = o.region_id WHERE r.path LIKE %s AND o.above_scale AND NOT EXISTS "
           f"(SELECT 1 FROM orgs_certificate c2 WHERE c2.organisation_id = h.org AND {_valid_cert('c2', 'h.p')}) "
           "GROUP BY h.y")  # fmt: skip
    cursor.execute(sql, [*params, region.path + "%"])
    found = dict(cursor.fetchall())
    return {y: Decimal(found.get(y, 0)) for y in years}


def _patent_flow(field: str):
    def values(cursor, region, years):
        import datetime

        counts = ", ".join(f"COUNT(*) FILTER (WHERE p.{field} BETWEEN %s AND %s)" for _ in years)
        bounds = [d for y in years for d in (datetime.date(y, 1, 1), datetime.date(y, 12, 31))]
        sql = (f"SELECT {counts} FROM ip_patent p JOIN regions_region r ON r.id = p.region_id "
               f"WHERE r.path LIKE %s AND p.{field} BETWEEN %s AND %s")  # fmt: skip
        cursor.execute(sql, [*bounds, region.path + "%", bounds[0], bounds[-1]])
        return {y: Decimal(n) for y, n in zip(years, cursor.fetchone(), strict=True)}

    return values


def valid_inventions(cursor, region, years):
    import datetime

    days = [datetime.date(y, 12, 31) for y in years]
    counts = ", ".join("COUNT(*) FILTER (WHERE p.grant_date <= %s AND (p.ended_on IS NULL OR p.ended_on > %s))"
                       for _ in years)  # fmt: skip
    sql = (
        f"SELECT {counts} FROM ip_patent p JOIN regions_region r ON r.id = p.region_id "
        "WHERE r.path LIKE %s AND p.patent_type IN ('invention', 'pct_invention') AND p.grant_date <= %s"
    )
    cursor.execute(sql, [*(d for d in days for _ in (0, 1)), region.path + "%", max(days)])
    return {y: Decimal(n) for y, n in zip(years, cursor.fetchone(), strict=True)}


def major_conversions(cursor, region, years):
    sql = ("SELECT v.year, COUNT(*) FROM achievements_conversion v "
           "LEFT JOIN orgs_organisation o ON o.id = v.organisation_id LEFT JOIN regions_region r ON r.id = o.region_id "
           "LEFT JOIN achievements_achievement a ON a.id = v.achievement_id "
           "LEFT JOIN orgs_organisation ao ON ao.id = a.organisation_id "
           "LEFT JOIN regions_region ar ON ar.id = ao.region_id "
           "WHERE v.major AND v.year BETWEEN %s AND %s "
           "AND (r.path LIKE %s OR (v.organisation_id IS NULL AND ar.path LIKE %s)) GROUP BY v.year")  # fmt: skip
    cursor.execute(sql, [min(years), max(years), region.path + "%", region.path + "%"])
    found = dict(cursor.fetchall())
    return {y: Decimal(found.get(y, 0)) for y in years}


PEOPLE = ("FROM talent_person p LEFT JOIN orgs_organisation o ON o.id = p.organisation_id "
          "LEFT JOIN regions_region r ON r.id = o.region_id LEFT JOIN regions_region pr ON pr.id = p.region_id "
          "WHERE (r.path LIKE %s OR (p.organisation_id IS NULL AND pr.path LIKE %s))")  # fmt: skip
TITLE = "EXISTS (SELECT 1 FROM talent_title t WHERE t.person_id = p.id AND t.level = '{level}' AND t.obtained <= %s)"


def _professionals(level: str, above: tuple[str, ...]):
    def values(cursor, region, years):
        import datetime

        held = " AND ".join([TITLE.format(level=level), *(f"NOT {TITLE.format(level=a)}" for a in above)])
        counts = ", ".join(f"COUNT(*) FILTER (WHERE {held})" for _ in years)
        days = [datetime.date(y, 12, 31) for y in years for _ in range(1 + len(above))]
        cursor.execute(f"SELECT {counts} {PEOPLE}", [*days, region.path + "%", region.path + "%"])
        return {y: Decimal(n) for y, n in zip(years, cursor.fetchone(), strict=True)}

    return values


def researchers(cursor, region, years):
    cursor.execute(f"SELECT COUNT(*) {PEOPLE} AND p.is_researcher", [region.path + "%", region.path + "%"])
    return dict.fromkeys(years, Decimal(cursor.fetchone()[0]))


def popularisation(cursor, region, years):
    sql = ("SELECT s.year, SUM(s.amount) FROM activities_popularisationspending s "
           f"JOIN regions_region r ON r.id = s.region_id WHERE r.path LIKE %s AND s.year IN ({_in(years)}) "
           "GROUP BY s.year")  # fmt: skip
    cursor.execute(sql, [region.path + "%", *years])
    found = dict(cursor.fetchall())
    return {y: (_dec(found[y] or 0) if y in found else None) for y in years}


def populations(cursor, region, years):
    """The region's own row, else its valid children's sum when every one of them has a row."""
    import datetime

    cursor.execute(f"SELECT year, resident FROM regions_population WHERE region_id = %s AND year IN ({_in(years)})",
                   [region.pk, *years])  # fmt: skip
    found = dict(cursor.fetchall())
    for y in (y for y in years if y not in found):
        day = datetime.date(y, 12, 31)
        cursor.execute(
            "SELECT COUNT(*), COUNT(p.id), SUM(p.resident) FROM regions_region c "
            "LEFT JOIN regions_population p ON p.region_id = c.id AND p.year = %s WHERE c.parent_id = %s "
            "AND (c.valid_from IS NULL OR c.valid_from <= %s) AND (c.valid_to IS NULL OR c.valid_to > %s)",
            [y, region.pk, day, day],
        )
        children, rows, total = cursor.fetchone()
        found[y] = total if children == rows > 0 else None
    return {y: found.get(y) for y in years}


def _per(numerator, per: Decimal):
    def values(cursor, region, years, residents):
        amounts = numerator(cursor, region, years)
        return {y: amounts[y] * per / residents[y] if amounts[y] is not None and residents[y] else None for y in years}

    values.per_capita = True
    return values


def _dec(value) -> Decimal:
    # SQLite hands sums of decimal columns back as float; PostgreSQL as Decimal.
    return value if isinstance(value, Decimal) else Decimal(repr(value))


HAND_SQL = {
    "hte.revenue": hte_revenue,
    "hte.output_share": hte_output_share,
    "hte.new_above_scale": hte_new_above_scale,
    "achievements.major_conversions": major_conversions,
    "patents.applications": _patent_flow("application_date"),
    "patents.grants": _patent_flow("grant_date"),
    "patents.inventions_per_10k": _per(valid_inventions, Decimal(10_000)),
    "talent.senior": _professionals("senior", ()),
    "talent.intermediate": _professionals("intermediate", ("senior",)),
    "talent.researchers": researchers,
    "activities.popularisation_per_resident": _per(popularisation, Decimal(1)),
}


def hand_region(cursor, indicators, region, year, times: dict | None = None) -> dict[str, dict]:
    """Every metric of the plan for one region by hand: the population once, then one statement per metric."""
    from kechuang.plans.selectors import years_needed

    started = time.perf_counter()
    residents = populations(cursor, region, [year])
    if times is not None:
        times["(resident population)"] += time.perf_counter() - started
    values = {}
    for indicator in indicators:
        started = time.perf_counter()
        function, years = HAND_SQL[indicator.metric], years_needed(indicator, year)
        if getattr(function, "per_capita", False):
            values[indicator.metric] = function(cursor, region, years, residents)
        else:
            values[indicator.metric] = function(cursor, region, years)
        if times is not None:
            times[indicator.metric] += time.perf_counter() - started
    return values


# --- measuring ------------------------------------------------------------------------------------------------------


def check(plan, regions, year) -> None:
    """The hand SQL must give the catalogue's values for every region and metric (this pass also warms the cache)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from kechuang.plans.metrics import metric_values
    from kechuang.plans.selectors import years_needed

    indicators, compared, nonzero, orm_queries = metric_indicators(plan), 0, 0, 0
    with connection.cursor() as cursor:
        for region in regions:
            hand = hand_region(cursor, indicators, region, year)
            for indicator in indicators:
                with CaptureQueriesContext(connection) as queries:
                    expected = metric_values(indicator.metric, region, years_needed(indicator, year))
                orm_queries += len(queries.captured_queries)
                for y, value in expected.items():
                    if not _close(hand[indicator.metric][y], value):
                        sys.exit(f"hand SQL differs: {indicator.metric} {region.code} {y}: "
                                 f"{hand[indicator.metric][y]} != {value}")  # fmt: skip
                    compared += 1
                    nonzero += bool(value)
    print(f"check: hand SQL equals metric_values in all {compared} region-metric-years ({nonzero} non-zero); "
          f"statements per region: ORM {orm_queries / len(regions):.1f}, hand SQL {1 + len(indicators)} "
          "(+1 where a region has no population row of its own)")  # fmt: skip


def _close(a: Decimal | None, b: Decimal | None) -> bool:
    if a is None or b is None:
        return a is b
    return abs(a - b) <= max(Decimal("1e-6"), abs(b) * Decimal("1e-12"))


def measure(plan, regions, year, rounds: int) -> dict:
    """``rounds`` timed passes of each side, the order rotating between rounds; per-metric times of each pass."""
    from django.db import connection

    from kechuang.plans.selectors import indicator_values, years_needed
    from kechuang.plans.services import assessment_run_many

    indicators = metric_indicators(plan)

    def orm():
        assessment_run_many(actor=None, plan=plan, regions=regions, year=year)
        return {}

    def metrics():
        times = defaultdict(float)
        for region in regions:
            for indicator in indicators:
                started = time.perf_counter()
                indicator_values(indicator, region, years_needed(indicator, year))
                times[indicator.metric] += time.perf_counter() - started
        return times

    def hand():
        times = defaultdict(float)
        with connection.cursor() as cursor:
            for region in regions:
                hand_region(cursor, indicators, region, year, times)
        return times

    sides = [("orm", orm), ("metrics", metrics), ("hand", hand)]
    timings = {name: {"total": [], "parts": []} for name, _ in sides}
    for number in range(rounds):
        for name, side in sides[number % 3 :] + sides[: number % 3]:
            started = time.perf_counter()
            parts = side()
            elapsed = time.perf_counter() - started
            timings[name]["total"].append(elapsed)
            timings[name]["parts"].append(parts)
            print(f"  round {number + 1} {name:8} {elapsed:8.2f} s")
    timings["regions"] = regions
    return timings


def report(timings: dict, rounds: int) -> None:
    orm, metrics, hand = (statistics.median(timings[n]["total"]) for n in ("orm", "metrics", "hand"))
    best = {n: min(timings[n]["total"]) for n in ("orm", "metrics", "hand")}
    count = len(timings["regions"])
    print(f"\nmedian of {rounds} rounds (best in brackets), {count} regions:")
    print(f"  ORM assessment_run_many:      {orm:8.2f} s  ({best['orm']:.2f})  {orm / count * 1000:7.1f} ms/region")
    print(f"  ORM metric queries only:      {metrics:8.2f} s  ({best['metrics']:.2f})")
    print(f"  hand SQL (same aggregates):   {hand:8.2f} s  ({best['hand']:.2f})")
    print(f"  ratio assessment / hand SQL:  {orm / hand:8.2f}x  (best {best['orm'] / best['hand']:.2f}x; goal <= 1.5x)")
    print(f"  ratio metric queries / hand:  {metrics / hand:8.2f}x  (best {best['metrics'] / best['hand']:.2f}x)")
    orm_parts, hand_parts = _median_parts(timings["metrics"]["parts"]), _median_parts(timings["hand"]["parts"])
    print("\nper metric (median seconds over all regions), slowest first:")
    print(f"  {'metric':40} {'ORM':>8} {'hand':>8} {'ratio':>7}")
    for code, seconds in sorted(orm_parts.items(), key=lambda kv: -kv[1]):
        theirs = hand_parts.get(code, 0.0)
        ratio = f"{seconds / theirs:6.2f}x" if theirs else "      -"
        print(f"  {code:40} {seconds:8.3f} {theirs:8.3f} {ratio}")
    print(f"  {'(resident population, hand SQL once)':40} {'':8} {hand_parts.get('(resident population)', 0):8.3f}")


def _median_parts(passes: list[dict]) -> dict[str, float]:
    codes = {code for parts in passes for code in parts}
    return {code: statistics.median(parts.get(code, 0.0) for parts in passes) for code in codes}


def explain(plan, timings: dict, year: int) -> None:
    """Query plans of the slowest metric: its ORM queries and its hand SQL, for the city with the most patents."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from kechuang.orgs.models import Organisation
    from kechuang.plans.metrics import metric_values
    from kechuang.plans.selectors import years_needed

    parts = _median_parts(timings["metrics"]["parts"])
    code = max(parts, key=parts.get)
    indicator = next(i for i in metric_indicators(plan) if i.metric == code)
    cities = [r for r in timings["regions"] if r.level == "prefecture"]
    region = max(cities, key=lambda r: Organisation.objects.filter(region__path__startswith=r.path).count())
    years = years_needed(indicator, year)
    prefix = "EXPLAIN (ANALYZE, BUFFERS)" if connection.vendor == "postgresql" else "EXPLAIN QUERY PLAN"
    with CaptureQueriesContext(connection) as orm_queries:
        metric_values(code, region, years)
    function = HAND_SQL[code]
    with CaptureQueriesContext(connection) as hand_queries, connection.cursor() as cursor:
        extra = [populations(cursor, region, years)] if getattr(function, "per_capita", False) else []
        function(cursor, region, years, *extra)
    for label, queries in (("ORM", orm_queries), ("hand SQL", hand_queries)):
        for query in queries.captured_queries:
            if "regions_population" in query["sql"]:
                continue
            print(f"\n=== {label}: {code} for {region.name} ({region.code}), years {years}\n{query['sql']}\n")
            with connection.cursor() as cursor:
                cursor.execute(f"{prefix} {query['sql']}")
                print("\n".join(" | ".join(str(c) for c in row) for row in cursor.fetchall()))


def assess_province(plan) -> None:
    """The province itself for every plan year up to the last complete one, so the cockpit has cards and a trend."""
    from django.utils import timezone

    from kechuang.plans.services import assessment_run

    started = time.perf_counter()
    last = min(plan.target_year, timezone.localdate().year - 1)
    for y in range(plan.baseline_year + 1, last + 1):
        assessment_run(actor=None, plan=plan, region=plan.region, year=y)
    print(f"\nprovince assessed for {plan.baseline_year + 1}–{last} (for the cockpit) in "
          f"{time.perf_counter() - started:.1f} s")  # fmt: skip


if __name__ == "__main__":
    main()
