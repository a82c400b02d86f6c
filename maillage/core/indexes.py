"""Index classes referenced by migrations: keep them importable from here."""

from __future__ import annotations

from typing import Any

from django.contrib.postgres.indexes import GinIndex
from django.db import models
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.backends.ddl_references import Statement


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
