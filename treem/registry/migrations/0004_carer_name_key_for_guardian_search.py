"""A guardian search as one index range: the carer's folded name copied onto the child-carer link.

Before, `guardian=` probed the carers of each child met in name order (EXISTS per child). A
province-wide search whose matches cluster late in the alphabet ("le van": fathers of children
named Lê …) walked hundreds of thousands of children first: 0.3 s on SQLite, 0.9 s on PostgreSQL
at a million children. With the key on the link and an index on (key, child), the database reads
the matching links in key order and stops after a page.

The index is created here per database, like 0003: in byte ("C") order on PostgreSQL, where the
prefix lookup compares in that collation; a plain index on SQLite, which compares bytewise.
"""

from django.db import migrations, models
from django.db.models import OuterRef, Subquery

_INDEX = "registry_carer_name_key_child"


def fill_keys(apps, schema_editor):
    ChildCarer = apps.get_model("registry", "ChildCarer")
    Person = apps.get_model("registry", "Person")
    # One UPDATE with a correlated subquery: seconds at 1.8M links, no rows through Python.
    ChildCarer.objects.update(
        carer_name_key=Subquery(Person.objects.filter(pk=OuterRef("person_id")).values("name_key"))
    )


def clear_keys(apps, schema_editor):
    ChildCarer = apps.get_model("registry", "ChildCarer")
    ChildCarer.objects.update(carer_name_key="")


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        columns = '(carer_name_key COLLATE "C"), child_id'
    else:
        columns = "carer_name_key, child_id"
    schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {_INDEX} ON registry_childcarer ({columns})")


def drop_index(apps, schema_editor):
    schema_editor.execute(f"DROP INDEX IF EXISTS {_INDEX}")


class Migration(migrations.Migration):
    dependencies = [("registry", "0003_byte_order_name_indexes_on_postgresql")]

    operations = [
        migrations.AddField(
            model_name="childcarer",
            name="carer_name_key",
            field=models.CharField(default="", editable=False, max_length=150),
        ),
        migrations.RunPython(fill_keys, clear_keys),
        migrations.RunPython(create_index, drop_index),
    ]
