"""PostgreSQL only: the `french_unaccent` text search configuration used by the library.

It folds accents (unaccent) and then stems with the French Snowball dictionary, so that
"fievre" finds "fièvre" and "angines" finds "angine". unaccent is a trusted extension since
PostgreSQL 13: the database owner may create it. SQLite searches through its FTS5 table
instead (migration 0003).
"""

from django.db import migrations

FORWARD = """
CREATE EXTENSION IF NOT EXISTS unaccent;
DO $$
BEGIN
    IF NOT EXISTS (
        SELECT 1 FROM pg_ts_config
        WHERE cfgname = 'french_unaccent' AND cfgnamespace = current_schema()::regnamespace
    ) THEN
        CREATE TEXT SEARCH CONFIGURATION french_unaccent (COPY = french);
        ALTER TEXT SEARCH CONFIGURATION french_unaccent
            ALTER MAPPING FOR hword, hword_part, word WITH unaccent, french_stem;
    END IF;
END
$$;
"""

# The extension stays: other parts of the database may come to use it.
BACKWARD = "DROP TEXT SEARCH CONFIGURATION IF EXISTS french_unaccent;"


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD, params=None)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD, params=None)


class Migration(migrations.Migration):
    dependencies = [("health_info", "0001_initial")]

    operations = [migrations.RunPython(forward, backward, elidable=False)]
