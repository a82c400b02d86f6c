"""SQLite only: the FTS5 table the library searches in embedded mode.

One row per published version (rowid = the version's id), written by the publishing services
with text already folded and stemmed in French (maillage.health_info.fulltext): FTS5 has no
French stemmer of its own. remove_diacritics 2 folds any accent left, as in the queries.
PostgreSQL uses a stored tsvector instead (migration 0002).
"""

from django.db import migrations

FORWARD = """
CREATE VIRTUAL TABLE IF NOT EXISTS health_info_version_fts USING fts5(
    title, keywords, summary, body,
    tokenize = 'unicode61 remove_diacritics 2'
)
"""

BACKWARD = "DROP TABLE IF EXISTS health_info_version_fts"


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(FORWARD)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("health_info", "0002_french_unaccent")]

    operations = [migrations.RunPython(forward, backward, elidable=False)]
