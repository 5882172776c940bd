"""Database triggers that refuse UPDATE and DELETE on log tables, whatever client connects.

The application already refuses (ImmutableModel); the triggers also stop a script, a shell or a bug.
SQLite and PostgreSQL each get their own dialect; see docs/decisions/0003-immutable-logs.md.
"""

from django.db import migrations

INSTALL = {
    "sqlite": [
        "CREATE TRIGGER IF NOT EXISTS {table}_no_update BEFORE UPDATE ON {table} "
        "BEGIN SELECT RAISE(ABORT, '日志不可修改'); END",
        "CREATE TRIGGER IF NOT EXISTS {table}_no_delete BEFORE DELETE ON {table} "
        "BEGIN SELECT RAISE(ABORT, '日志不可删除'); END",
    ],
    "postgresql": [
        "CREATE OR REPLACE FUNCTION kechuang_refuse_log_change() RETURNS trigger AS $$ "
        "BEGIN RAISE EXCEPTION '日志不可修改或删除 (%)', TG_TABLE_NAME; END; $$ LANGUAGE plpgsql",
        "DROP TRIGGER IF EXISTS {table}_immutable ON {table}",
        "CREATE TRIGGER {table}_immutable BEFORE UPDATE OR DELETE ON {table} "
        "FOR EACH ROW EXECUTE FUNCTION kechuang_refuse_log_change()",
        # TRUNCATE fires no row trigger; a statement trigger refuses it (so `kechuang flush` fails, as it should).
        "DROP TRIGGER IF EXISTS {table}_no_truncate ON {table}",
        "CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
        "FOR EACH STATEMENT EXECUTE FUNCTION kechuang_refuse_log_change()",
    ],
}
REMOVE = {
    "sqlite": ["DROP TRIGGER IF EXISTS {table}_no_update", "DROP TRIGGER IF EXISTS {table}_no_delete"],
    "postgresql": [
        "DROP TRIGGER IF EXISTS {table}_immutable ON {table}",
        "DROP TRIGGER IF EXISTS {table}_no_truncate ON {table}",
    ],
}


def _runner(statements: dict[str, list[str]], table: str):
    def run(apps, schema_editor):
        for statement in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement.format(table=table), params=None)

    return run


def immutable_table(table: str) -> migrations.RunPython:
    """A migration operation installing (and on reverse removing) the guard triggers on ``table``."""
    return migrations.RunPython(_runner(INSTALL, table), _runner(REMOVE, table))
