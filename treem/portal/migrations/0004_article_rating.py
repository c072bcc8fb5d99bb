import django.db.models.deletion
from django.db import migrations, models


def install(apps, schema_editor):
    from treem.portal import ratings

    ratings.install(schema_editor.connection)
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(ratings.FILL)


def remove(apps, schema_editor):
    from treem.portal import ratings

    ratings.remove(schema_editor.connection)


class Migration(migrations.Migration):

    dependencies = [
        ("portal", "0003_article_views"),
    ]

    operations = [
        migrations.CreateModel(
            name="ArticleRating",
            fields=[
                (
                    "article",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="rating",
                        serialize=False,
                        to="portal.article",
                    ),
                ),
                ("votes", models.IntegerField(default=0, verbose_name="lượt đánh giá")),
                ("stars_total", models.BigIntegerField(default=0, verbose_name="tổng số sao")),
            ],
            options={
                "verbose_name": "điểm đánh giá của bài viết",
                "verbose_name_plural": "điểm đánh giá của bài viết",
            },
        ),
        migrations.RunPython(install, remove),
    ]
