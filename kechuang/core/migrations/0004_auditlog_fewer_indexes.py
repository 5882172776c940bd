"""The audit log loses two indexes that the (content_type, object_id, -time) index already serves: content_type's
own and object_id's (on PostgreSQL also its ``_like`` twin). Dropped with plain DROP INDEX: letting Django alter the
fields would rebuild the table on SQLite, and with it lose the triggers that keep the log unchangeable."""

import django.db.models.deletion
from django.db import migrations, models

INDEXES = ("core_auditlog_content_type_id_0a26d6b4", "core_auditlog_object_id_0c320e9b",
           "core_auditlog_object_id_0c320e9b_like")  # fmt: skip


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("core", "0003_import_job"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.RunSQL(
                    [f"DROP INDEX IF EXISTS {name}" for name in INDEXES],
                    reverse_sql=[
                        'CREATE INDEX "core_auditlog_content_type_id_0a26d6b4" ON "core_auditlog" ("content_type_id")',
                        'CREATE INDEX "core_auditlog_object_id_0c320e9b" ON "core_auditlog" ("object_id")',
                    ],
                )
            ],
            state_operations=[
                migrations.AlterField(
                    model_name="auditlog",
                    name="content_type",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="contenttypes.contenttype",
                        verbose_name="对象类型",
                    ),
                ),
                migrations.AlterField(
                    model_name="auditlog",
                    name="object_id",
                    field=models.CharField(max_length=64, verbose_name="对象编号"),
                ),
            ],
        )
    ]
