"""SQLite only: the FTS5 table of community posts in embedded mode (maillage.communities.search).

PostgreSQL uses the posts' stored tsvector (migration 0001) instead.
"""

from django.db import migrations

FORWARD = """
CREATE VIRTUAL TABLE IF NOT EXISTS communities_post_fts USING fts5(
    title, body,
    tokenize = 'unicode61 remove_diacritics 2'
)
"""

BACKWARD = "DROP TABLE IF EXISTS communities_post_fts"


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(FORWARD)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(BACKWARD)


class Migration(migrations.Migration):
    dependencies = [
        ("communities", "0001_initial"),
        ("health_info", "0002_french_unaccent"),  # the text search configuration on PostgreSQL
    ]

    operations = [migrations.RunPython(forward, backward, elidable=False)]
