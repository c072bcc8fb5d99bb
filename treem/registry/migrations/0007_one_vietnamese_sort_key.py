"""The children's sort keys recomputed with the one Vietnamese sort key the whole of Treem uses
(treem.lib.text.vi_sort_key): the registry's own key ordered tones ngang, huyền, sắc, hỏi, ngã,
nặng and set them after the whole name, where dictionaries and the people app order each word's
tone ngang, huyền, hỏi, ngã, sắc, nặng. Letters order the same either way."""

from django.db import migrations


def refill(apps, schema_editor):
    from treem.lib.text import vi_sort_key

    Child = apps.get_model("registry", "Child")
    batch = []
    for pk, name in Child.objects.values_list("pk", "full_name").iterator(chunk_size=5000):
        batch.append(Child(pk=pk, name_sort=vi_sort_key(name)))
        if len(batch) >= 5000:
            Child.objects.bulk_update(batch, ["name_sort"])
            batch = []
    if batch:
        Child.objects.bulk_update(batch, ["name_sort"])


class Migration(migrations.Migration):
    dependencies = [("registry", "0006_children_in_vietnamese_alphabetical_order")]

    # Going back keeps the new keys: they order the letters as the old ones did.
    operations = [migrations.RunPython(refill, migrations.RunPython.noop)]
