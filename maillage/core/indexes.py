"""Index classes referenced by migrations: keep them importable from here."""

from __future__ import annotations

from typing import Any

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.operations import AddIndexConcurrently
from django.db import models
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.backends.ddl_references import Statement
from django.db.migrations.operations import AddIndex
from django.db.migrations.state import ProjectState


class PortableGinIndex(GinIndex):
    """A GIN index on PostgreSQL; a plain index elsewhere, so that migrations run on SQLite.

    Embedded mode (SQLite) searches through its FTS5 table and leaves the indexed column empty:
    the stand-in index costs nothing there, and SQLite rebuilding the table in a later migration
    does not choke on `USING gin`.
    """

    def create_sql(
        self,
        model: type[models.Model],
        schema_editor: BaseDatabaseSchemaEditor,
        using: str = "",
        **kwargs: Any,
    ) -> Statement:
        if schema_editor.connection.vendor == "postgresql":
            return super().create_sql(model, schema_editor, using=using, **kwargs)
        return models.Index.create_sql(self, model, schema_editor, **kwargs)


class AddIndexConcurrentlyIfPostgres(AddIndexConcurrently):
    """Build an index without locking writes on PostgreSQL (STYLE §9); a plain AddIndex elsewhere.

    The migration that uses it must say `atomic = False`. SQLite (embedded mode, tests) has
    no concurrent build and no writers to keep waiting.
    """

    def database_forwards(
        self,
        app_label: str,
        schema_editor: BaseDatabaseSchemaEditor,
        from_state: ProjectState,
        to_state: ProjectState,
    ) -> None:
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)
        else:
            AddIndex.database_forwards(self, app_label, schema_editor, from_state, to_state)

    def database_backwards(
        self,
        app_label: str,
        schema_editor: BaseDatabaseSchemaEditor,
        from_state: ProjectState,
        to_state: ProjectState,
    ) -> None:
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)
        else:
            AddIndex.database_backwards(self, app_label, schema_editor, from_state, to_state)
