"""SQLite only: the FTS5 table of the teaching library in embedded mode (maillage.cases.search).

One row per published case (rowid = the case's id), text folded and stemmed in French by the
services. PostgreSQL uses the stored tsvector of migration 0003 instead.
"""

from django.db import migrations

FORWARD = """
CREATE VIRTUAL TABLE IF NOT EXISTS cases_case_fts USING fts5(
    title, question, body, answer,
    tokenize = 'unicode61 remove_diacritics 2'
)
"""

BACKWARD = "DROP TABLE IF EXISTS cases_case_fts"


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(FORWARD)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(BACKWARD)


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0003_search_vector"),
        ("health_info", "0002_french_unaccent"),  # the text search configuration on PostgreSQL
    ]

    operations = [migrations.RunPython(forward, backward, elidable=False)]
