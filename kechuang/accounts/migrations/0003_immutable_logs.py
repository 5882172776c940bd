from django.db import migrations

from kechuang.core.dbguards import immutable_table


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_initial")]
    operations = [immutable_table("accounts_loginlog"), immutable_table("accounts_operationlog")]
