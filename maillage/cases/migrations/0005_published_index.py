from django.db import migrations, models

from maillage.core.indexes import AddIndexConcurrentlyIfPostgres


class Migration(migrations.Migration):
    atomic = False  # CREATE INDEX CONCURRENTLY: the case list stays writable while it builds

    dependencies = [
        ("cases", "0004_sqlite_fts"),
    ]

    operations = [
        AddIndexConcurrentlyIfPostgres(
            model_name="case",
            index=models.Index(
                condition=models.Q(("published_at__isnull", False)),
                fields=["-published_at", "-id"],
                name="cases_published_idx",
            ),
        ),
    ]
