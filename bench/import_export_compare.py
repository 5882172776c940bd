"""Benchmark: kechuang's figures import against django-import-export on the same xlsx (issue #3 item 15).

    python3 -m uv sync --frozen --group bench   # once: django-import-export is in the bench group only
    .venv/bin/python bench/import_export_compare.py [--rows 100000] [--die-rows N]

django-import-export is in the `bench` dependency group only: the application never imports it. The script builds
the same throw-away SQLite database and xlsx as `import_figures.py` (whose functions it reuses), then measures
  floor — python-calamine reading the file plus one raw executemany (no validation, no audit; rolled back);
  kechuang — `run_import("figures", ...)` as the county bureau's administrator: parsing, validation, scope
    checks, bulk writes and audit rows;
  django-import-export — its XLSX format (tablib/openpyxl) reading the file and a ModelResource importing it into
    AnnualFigures with its defaults: one transaction, a savepoint, an instance look-up by organisation + year, the
    model's full_clean() (clean_model_instances) and a save() per row. It writes no audit rows of ours.
Both imports start from an empty figures table; before any figure is printed, the rows each created are checked to
be the same (count and values). `--die-rows` lets django-import-export import only the first N rows when the full
file takes too long: the comparison is then in rows per second.
"""

import argparse
import os
import tempfile
import time
from pathlib import Path

from import_figures import make_bureau_user, make_organisations, measure_floor, measure_kechuang, write_file

COMPARED = ("staff_total", "st_staff", "sales_revenue", "total_income", "hitech_revenue", "rd_expense", "rd_domestic",
            "total_costs", "total_assets", "net_assets", "industrial_output", "tax_paid", "exports", "source", "basis",
            "review_status")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000, help="rows in the file (floor and kechuang)")
    parser.add_argument("--die-rows", type=int, help="rows django-import-export imports (default: --rows)")
    args = parser.parse_args()
    die_rows = args.die_rows or args.rows
    if not 0 < die_rows <= args.rows:
        parser.error("--die-rows must be between 1 and --rows")
    try:
        import import_export  # noqa: F401
    except ImportError:
        parser.exit(2, "django-import-export is not installed: python3 -m uv sync --frozen --group bench\n")
    work = Path(tempfile.mkdtemp(prefix="kc-bench-"))
    os.environ.update(KECHUANG_VAR_DIR=str(work), DATABASE_URL=f"sqlite:///{work / 'bench.sqlite3'}",
                      IMPORT_MAX_MB="500", DEBUG="0")  # fmt: skip
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kechuang.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("regions", "builtin", verbosity=0)
    orgs = make_organisations(args.rows // 5 + 1)
    path = work / "figures.xlsx"
    write_file(path, orgs, args.rows)
    die_path = path
    if die_rows < args.rows:  # write_file is deterministic: these are the big file's first rows
        die_path = work / "figures-die.xlsx"
        write_file(die_path, orgs, die_rows)
    print(f"file: {args.rows} rows, {path.stat().st_size / 1e6:.1f} MB; django-import-export imports {die_rows} rows")

    floor = measure_floor(path, orgs)
    ours = measure_kechuang(path, make_bureau_user(), keep=True)
    ours_rows = stored_figures()
    assert len(ours_rows) == args.rows, (len(ours_rows), args.rows)
    clear_figures()
    theirs, reading = measure_import_export(die_path, die_rows)
    theirs_rows = stored_figures()
    assert len(theirs_rows) == die_rows, (len(theirs_rows), die_rows)
    differ = [key for key, values in theirs_rows.items() if ours_rows.get(key) != values]
    assert not differ, (
        f"{len(differ)} rows differ, e.g. {differ[0]}: {ours_rows.get(differ[0])} != {theirs_rows[differ[0]]}"
    )
    print(f"check: both imports created the expected rows; all {die_rows} rows django-import-export created equal"
          f" kechuang's ({len(COMPARED)} columns each)")  # fmt: skip

    rate = {"floor": args.rows / floor, "kechuang": args.rows / ours, "die": die_rows / theirs}
    print(f"floor (calamine + executemany):  {args.rows:7d} rows {floor:8.2f} s  {rate['floor']:8.0f} rows/s")
    print(f"kechuang run_import (+ audit):   {args.rows:7d} rows {ours:8.2f} s  {rate['kechuang']:8.0f} rows/s")
    print(f"django-import-export (no audit): {die_rows:7d} rows {theirs:8.2f} s  {rate['die']:8.0f} rows/s"
          f"  (reading the xlsx: {reading:.2f} s)")  # fmt: skip
    print(f"speed-up kechuang / django-import-export: {rate['kechuang'] / rate['die']:.1f}x (goal >= 10x)")
    print(f"ratio kechuang / floor: {ours / floor:.2f}x (goal <= 3x)")
    print("kechuang's time includes writing its audit rows; django-import-export writes none.")


def figures_resource():
    """A ModelResource for the same columns as the file: credit code, year, staff counts and money in 万元."""
    from import_export import fields, resources, widgets

    from kechuang.orgs.choices import FigureSource
    from kechuang.orgs.models import AnnualFigures, Organisation

    class WanYuanWidget(widgets.DecimalWidget):
        """A money cell in 万元, stored in 元."""

        def clean(self, value, row=None, **kwargs):
            amount = super().clean(value, row, **kwargs)
            return None if amount is None else amount * 10000

    def column(attribute, header, widget):
        return fields.Field(attribute=attribute, column_name=header, widget=widget)

    class FiguresResource(resources.ModelResource):
        organisation = column("organisation", "统一社会信用代码", widgets.ForeignKeyWidget(Organisation, field="uscc"))
        year = column("year", "年度", widgets.IntegerWidget())
        staff_total = column("staff_total", "职工总数", widgets.IntegerWidget())
        st_staff = column("st_staff", "科技人员数", widgets.IntegerWidget())
        sales_revenue = column("sales_revenue", "销售收入（万元）", WanYuanWidget())
        total_income = column("total_income", "总收入（万元）", WanYuanWidget())
        rd_expense = column("rd_expense", "研究开发费用（万元）", WanYuanWidget())
        rd_domestic = column("rd_domestic", "境内研究开发费用（万元）", WanYuanWidget())

        class Meta:
            model = AnnualFigures
            fields = ("organisation", "year", "staff_total", "st_staff", "sales_revenue", "total_income",
                      "rd_expense", "rd_domestic")  # fmt: skip
            import_id_fields = ("organisation", "year")
            clean_model_instances = True  # full_clean(): field validators, AnnualFigures.clean(), constraints
            use_transactions = True

        def init_instance(self, row=None):
            instance = super().init_instance(row)
            instance.source = FigureSource.IMPORT  # as kechuang's import records it
            return instance

    return FiguresResource()


def measure_import_export(path: Path, rows: int) -> tuple[float, float]:
    """Seconds for django-import-export to read the xlsx and import it, and the part of them spent reading."""
    from import_export.formats.base_formats import XLSX

    raw = path.read_bytes()
    resource = figures_resource()
    start = time.perf_counter()
    dataset = XLSX().create_dataset(raw)
    read = time.perf_counter()
    result = resource.import_data(dataset, dry_run=False, raise_errors=False)
    elapsed = time.perf_counter() - start
    assert not result.has_errors(), result.base_errors or result.row_errors()[:3]
    assert not result.has_validation_errors(), result.invalid_rows[:3]
    assert result.totals["new"] == rows, result.totals
    return elapsed, read - start


def stored_figures() -> dict[tuple[str, int], tuple]:
    from kechuang.orgs.models import AnnualFigures

    return {
        (uscc, year): tuple(values)
        for uscc, year, *values in AnnualFigures.objects.values_list("organisation__uscc", "year", *COMPARED)
        .order_by()
        .iterator(chunk_size=5000)
    }


def clear_figures() -> None:
    """Empty the figures table (kechuang's audit rows stay), so django-import-export creates every row too."""
    from django.db import connection

    from kechuang.orgs.models import AnnualFigures

    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {AnnualFigures._meta.db_table}")


if __name__ == "__main__":
    main()
