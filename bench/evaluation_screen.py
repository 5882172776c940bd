"""Benchmark: screening the province-scale synthetic data against both national rule sets (issue #5 item 9) —
enterprises per second, and the time evaluation adds to loading the same columns from the database, in one run.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kechuang_bench_plans \\
        .venv/bin/python bench/evaluation_screen.py [--rounds 3] [--year 2024]

The database must be a benchmark database: the script migrates it and fills it with ``kechuang synth --scale province
--seed 1`` (a no-op when that data is there; synth refuses a database holding real data). For each rule set it
measures, in alternating order over ``--rounds`` rounds:
  load      — ``evaluation.selectors.tsme_columns`` / ``hte_columns``: the inputs of every organisation with approved
              figures for the year (the three years for high-tech), with IP in force, certificates, standards,
              awards and conversions, as columns (the queries and the Decimal values they return);
  evaluate  — ``tsme.Evaluation(columns=…)`` / ``hte.Evaluation(columns=…)``: every condition, score and verdict for
              all of them at once (converting the columns to float64, the vector pass, the exact re-check of the
              rows near a bound). Writing each enterprise's JSON result is not part of it.
Before timing, it evaluates 300 enterprises one at a time from their rebuilt input records and checks that each
gives the result the column-wise pass gave. It prints the median (and best) of each side, enterprises per second and
the ratio evaluate / load (the goal: evaluation adds at most 50 %, a ratio of at most 0.50).
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--year", type=int, default=2024, help="fiscal year screened (synth covers 2021–2025)")
    parser.add_argument("--scale", default="province", help="synth scale (county or city for a quick try-out)")
    args = parser.parse_args()
    if "DATABASE_URL" not in os.environ:
        parser.error("set DATABASE_URL to a benchmark database")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kechuang.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from kechuang.evaluation import hte, selectors, tsme
    from kechuang.orgs.synth import synth_generate

    call_command("migrate", verbosity=0)
    summary = synth_generate(scale=args.scale, seed=1)
    print(f"synthetic data, scale {args.scale}, seed 1: {'already there' if summary.unchanged else 'generated'}")
    if connection.vendor == "postgresql" and not summary.unchanged:
        # Right after synth the planner has no statistics (autovacuum analyses later): IP counts took 5x as long.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    print(f"database: {connection.vendor}; fiscal year {args.year}; {args.rounds} rounds")
    sides = {"tsme": (selectors.tsme_columns, tsme), "hte": (selectors.hte_columns, hte)}
    for kind, (load, engine) in sides.items():
        columns = load(user=None, year=args.year)
        check(kind, engine, columns)
    for kind, (load, engine) in sides.items():
        loads, evaluations, size = [], [], 0
        for round_number in range(args.rounds):
            order = ("load", "evaluate") if round_number % 2 == 0 else ("evaluate", "load")
            for side in order:
                if side == "load" or not loads:
                    started = time.perf_counter()
                    columns = load(user=None, year=args.year)
                    loads.append(time.perf_counter() - started)
                    if side == "load":
                        continue
                started = time.perf_counter()
                engine.Evaluation(columns=columns)
                evaluations.append(time.perf_counter() - started)
            size = len(columns["uscc"])
        load_s, eval_s = statistics.median(loads), statistics.median(evaluations)
        print(f"\n{kind}: {size:,} enterprises")
        print(f"  load columns:   {load_s:6.2f} s  (best {min(loads):.2f})")
        print(f"  evaluate:       {eval_s:6.2f} s  (best {min(evaluations):.2f})  {size / eval_s:,.0f} enterprises/s")
        print(f"  load + evaluate: {size / (load_s + eval_s):,.0f} enterprises/s")
        print(f"  ratio evaluate / load: {eval_s / load_s:.2f} (goal <= 0.50)")
        outcome = engine.Evaluation(columns=columns)
        verdicts = outcome.verdict if kind == "hte" else ["qualifies" if q else "fails" for q in outcome.qualifies]
        counts = {str(v): int(sum(1 for x in verdicts if x == v)) for v in sorted(set(verdicts))}
        print(f"  verdicts: {counts}")


def check(kind: str, engine, columns: dict, sample: int = 300) -> None:
    """The column-wise pass and one-at-a-time evaluation of rebuilt records agree on a sample of enterprises."""
    batch = engine.Evaluation(columns=columns)
    step = max(1, len(columns["uscc"]) // sample)
    indices = list(range(0, len(columns["uscc"]), step))[:sample]
    for i in indices:
        alone = engine.evaluate([batch.record(i)])[0]
        if alone != batch.result(i):
            sys.exit(f"{kind}: enterprise {i} differs alone and in the batch:\n{alone}\n{batch.result(i)}")
    print(f"check {kind}: {len(indices)} enterprises evaluated alone give the batch's results")


if __name__ == "__main__":
    main()
