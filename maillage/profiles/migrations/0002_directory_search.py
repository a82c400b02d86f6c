"""The directory's search paths at any size (issue 8): nearest first, by name, by language.

On PostgreSQL, GiST indexes on the profile's point on the unit sphere (``cube``), alone and
after the specialty (``btree_gist``), let "nearest first ... LIMIT" read a few index pages
whatever the number of profiles; the expression is the one of ``profiles.selectors``. Both
extensions are trusted: the database's owner may create them.
"""

from django.db import migrations, models

POINT = (
    "cube(cube(cube(cos(radians(latitude)) * cos(radians(longitude))),"
    " cos(radians(latitude)) * sin(radians(longitude))), sin(radians(latitude)))"
)


def create_postgres_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS cube")
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS profiles_near_gist ON profiles_doctorprofile "
        f"USING gist ({POINT}) WHERE status = 'published'"
    )
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS profiles_specialty_near_gist ON profiles_doctorprofile "
        f"USING gist (specialty, {POINT}) WHERE status = 'published'"
    )
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS profiles_languages_gin ON profiles_doctorprofile "
        "USING gin (languages jsonb_path_ops) WHERE status = 'published'"
    )


def drop_postgres_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in ("profiles_near_gist", "profiles_specialty_near_gist", "profiles_languages_gin"):
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


def relocate_communes(apps, schema_editor):
    """Existing communes take the bundle's coordinates (maillage/core/data/README.md)."""
    from maillage.core.communes import load_communes

    load_communes(model=apps.get_model("core", "Commune"), create=False)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0004_commune_folded_name"),
        ("profiles", "0001_initial"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="doctorprofile",
            index=models.Index(
                condition=models.Q(("status", "published")),
                fields=["sort_name", "id"],
                name="profiles_name_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="doctorprofile",
            index=models.Index(
                condition=models.Q(("status", "published")),
                fields=["specialty", "sort_name", "id"],
                name="profiles_specialty_name_idx",
            ),
        ),
        migrations.RunPython(create_postgres_indexes, drop_postgres_indexes),
        migrations.RunPython(relocate_communes, migrations.RunPython.noop),
    ]
