"""Index classes referenced by this app's migrations: keep them importable from here."""

from maillage.core.indexes import PortableGinIndex

__all__ = ["PortableGinIndex"]
