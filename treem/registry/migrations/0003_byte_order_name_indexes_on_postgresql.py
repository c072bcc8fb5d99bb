"""PostgreSQL only: name-key indexes in byte ("C") order, replacing the pattern-ops ones of 0002.

A prefix search on a pattern-ops index cannot return rows in the list's order (the database's
collation), so at a million children PostgreSQL either sorted every match or walked the whole name
index. With the keys compared and sorted in byte order, one index range gives the page in order.
SQLite compares text bytewise already and needs nothing.
"""

from django.db import migrations

_NEW = [
    ("registry_child_name_c", "registry_child", '(name_key COLLATE "C"), id'),
    ("registry_child_commune_name_c", "registry_child", 'commune_id, (name_key COLLATE "C"), id'),
    ("registry_child_given_c", "registry_child", '(name_key_given_first COLLATE "C")'),
    ("registry_person_name_c", "registry_person", '(name_key COLLATE "C")'),
]
_OLD = [
    ("registry_child_name_like", "registry_child", "name_key"),
    ("registry_child_given_like", "registry_child", "name_key_given_first"),
    ("registry_person_name_like", "registry_person", "name_key"),
]


def forward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _table, _column in _OLD:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")
    for name, table, columns in _NEW:
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {table} ({columns})")


def backward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _table, _columns in _NEW:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")
    for name, table, column in _OLD:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON {table} ({column} varchar_pattern_ops)"
        )


class Migration(migrations.Migration):
    dependencies = [("registry", "0002_circumstance_subgroups_and_name_prefix_indexes")]

    operations = [migrations.RunPython(forward, backward)]
