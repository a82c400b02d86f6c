"""French full-text search of the published versions, on either database (maillage.core.fulltext).

PostgreSQL: a stored `tsvector` per published version, built with the `french_unaccent` text
search configuration (migration 0002), title A, keywords B, summary C, sections D, ranked with
ts_rank. SQLite (embedded mode): an FTS5 table (migration 0003) fed with folded, stemmed text,
ranked with bm25 and column weights in the same order. Only the selector `search_articles` calls `ranked_versions`;
only the publishing services call `index_version` and `unindex_version`.
"""

from __future__ import annotations

from django.contrib.postgres.search import SearchRank, SearchVector
from django.db import connection
from django.db.models import F, QuerySet, Value

from maillage.core.fulltext import (
    CONFIG,
    MAX_TERMS,
    any_term_query,
    fold,
    fts_match_expression,
    is_postgresql,
    query_terms,
    stemmed,
)
from maillage.health_info.models import ArticleVersion

__all__ = [
    "MAX_TERMS",
    "fold",
    "index_version",
    "query_terms",
    "ranked_versions",
    "stemmed",
    "unindex_version",
]

FTS_TABLE = "health_info_version_fts"
_FTS_DELETE = "DELETE FROM health_info_version_fts WHERE rowid = %s"
_FTS_INSERT = (
    "INSERT INTO health_info_version_fts (rowid, title, keywords, summary, body) "
    "VALUES (%s, %s, %s, %s, %s)"
)
# bm25 weights follow the table's columns: title, keywords, summary, body (the A > B > C > D
# of PostgreSQL). bm25 is lower for better matches. The join drops rows whose version is no
# longer published, should one ever be left behind.
_FTS_SEARCH = """
    SELECT health_info_version_fts.rowid
    FROM health_info_version_fts
    JOIN health_info_articleversion AS version ON version.id = health_info_version_fts.rowid
    WHERE health_info_version_fts MATCH %s AND version.status = %s
    ORDER BY bm25(health_info_version_fts, 10.0, 4.0, 2.0, 1.0), version.title, version.id
    LIMIT %s
"""


def index_version(version: ArticleVersion) -> None:
    """Make a version findable (called when it is published, inside its transaction)."""
    if is_postgresql():
        ArticleVersion.objects.filter(pk=version.pk).update(
            search_vector=SearchVector("title", weight="A", config=CONFIG)
            + SearchVector(Value(" ".join(version.keywords)), weight="B", config=CONFIG)
            + SearchVector("summary", weight="C", config=CONFIG)
            + SearchVector(
                "what_it_is",
                "self_care",
                "when_to_consult",
                "when_to_call_15",
                weight="D",
                config=CONFIG,
            )
        )
        return
    body = "\n".join(
        [version.what_it_is, version.self_care, version.when_to_consult, version.when_to_call_15]
    )
    with connection.cursor() as cursor:
        cursor.execute(_FTS_DELETE, [version.pk])
        cursor.execute(
            _FTS_INSERT,
            [
                version.pk,
                stemmed(version.title),
                stemmed(" ".join(version.keywords)),
                stemmed(version.summary),
                stemmed(body),
            ],
        )


def unindex_version(version: ArticleVersion) -> None:
    """Take a version out of the search (called when a newer one supersedes it)."""
    if is_postgresql():
        ArticleVersion.objects.filter(pk=version.pk).update(search_vector=None)
        return
    with connection.cursor() as cursor:
        cursor.execute(_FTS_DELETE, [version.pk])


def ranked_versions(
    published: QuerySet[ArticleVersion], terms: list[str], limit: int
) -> list[ArticleVersion]:
    """Return the published versions matching any of the terms, best match first."""
    if not terms or limit <= 0:
        return []
    if is_postgresql():
        query = any_term_query(terms)
        return list(
            published.filter(search_vector=query)
            .annotate(rank=SearchRank(F("search_vector"), query))
            .order_by("-rank", "title", "pk")[:limit]
        )
    with connection.cursor() as cursor:
        cursor.execute(
            _FTS_SEARCH,
            [fts_match_expression(terms), ArticleVersion.Status.PUBLISHED, limit],
        )
        ids = [row[0] for row in cursor.fetchall()]
    found = published.in_bulk(ids)
    return [found[pk] for pk in ids if pk in found]
