"""Sub-groups of special circumstances (Decree 56/2017/NĐ-CP, Chapter II) as data, and the
PostgreSQL pattern-ops indexes that serve prefix searches of the folded name keys.

The sub-group names below were written from secondary summaries of the decree, not from the
gazette text: they are loaded with verified=False so that the province can correct them in data.
"""

from django.db import migrations

SUBGROUPS = [
    # (group, code, name)
    ("a", "a1", "Mồ côi cả cha và mẹ, đang sống cùng người thân thích"),
    ("a", "a2", "Mồ côi cả cha và mẹ, được cá nhân, gia đình không phải người thân thích nhận chăm sóc thay thế"),
    ("a", "a3", "Mồ côi cả cha và mẹ, đang được nuôi dưỡng tại cơ sở trợ giúp xã hội"),
    ("a", "a4", "Mồ côi cả cha và mẹ, chưa có người chăm sóc"),
    ("b", "b1", "Bị bỏ rơi khi mới sinh, chưa xác định được cha mẹ"),
    ("b", "b2", "Bị cha mẹ, người chăm sóc bỏ rơi sau khi đã xác định được cha mẹ"),
    ("c", "c1", "Cha hoặc mẹ đã chết, người còn lại mất tích hoặc đang chấp hành án phạt tù"),
    ("c", "c2", "Cả cha và mẹ đang chấp hành án phạt tù hoặc biện pháp xử lý vi phạm hành chính"),
    ("d", "d1", "Khuyết tật đặc biệt nặng"),
    ("d", "d2", "Khuyết tật nặng"),
    ("d", "d3", "Khuyết tật nhẹ"),
    ("n", "n1", "Mắc bệnh hiểm nghèo"),
    ("n", "n2", "Mắc bệnh phải điều trị dài ngày"),
]


def load(apps, schema_editor):
    Subgroup = apps.get_model("registry", "CircumstanceSubgroup")
    for group, code, name in SUBGROUPS:
        Subgroup.objects.update_or_create(
            code=code,
            defaults={
                "group": group,
                "name": name,
                "legal_source": "Nghị định 56/2017/NĐ-CP, Chương II",
                "verified": False,
            },
        )


def unload(apps, schema_editor):
    Subgroup = apps.get_model("registry", "CircumstanceSubgroup")
    Subgroup.objects.filter(code__in=[code for _g, code, _n in SUBGROUPS]).delete()


_PG_INDEXES = [
    ("registry_child_name_like", "registry_child", "name_key"),
    ("registry_child_given_like", "registry_child", "name_key_given_first"),
    ("registry_person_name_like", "registry_person", "name_key"),
]


def pg_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, table, column in _PG_INDEXES:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON {table} ({column} varchar_pattern_ops)"
        )


def drop_pg_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _table, _column in _PG_INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("registry", "0001_children_households_circumstances")]

    operations = [
        migrations.RunPython(load, unload),
        migrations.RunPython(pg_indexes, drop_pg_indexes),
    ]
