"""A covering index for roll-ups on PostgreSQL: the sums of an indicator by year over a province or
the whole country read the index alone (index-only scan), never the table. SQLite has no INCLUDE
columns; its plain indexes from 0001 serve the small databases it runs."""

from django.db import migrations

CREATE = (
    "CREATE INDEX IF NOT EXISTS indicators_value_rollup ON indicators_indicatorvalue "
    "(indicator_id, sex, age_group, year, province_id) "
    "INCLUDE (numerator, denominator, commune_id, unit_code, is_final)"
)
DROP = "DROP INDEX IF EXISTS indicators_value_rollup"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("indicators", "0001_catalogue_values_reports")]
    operations = [migrations.RunPython(forwards, backwards)]
