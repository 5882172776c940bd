from django.db import migrations

from kechuang.core.dbguards import immutable_table


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]
    operations = [immutable_table("core_auditlog")]
