"""French full-text search within a community (maillage.core.fulltext).

Posts are indexed, threads are found. PostgreSQL: the post's stored tsvector. SQLite: the FTS5
table `communities_post_fts` (migration 0002). Only published posts are in the index.
"""

from __future__ import annotations

from django.contrib.postgres.search import SearchVector
from django.db import connection
from django.db.models import QuerySet, Value
from django.db.models.expressions import RawSQL

from maillage.communities.models import Post, Thread
from maillage.core.fulltext import (
    CONFIG,
    any_term_query,
    fts_match_expression,
    is_postgresql,
    stemmed,
)

_FTS_DELETE = "DELETE FROM communities_post_fts WHERE rowid = %s"
_FTS_INSERT = "INSERT INTO communities_post_fts (rowid, title, body) VALUES (%s, %s, %s)"
_FTS_MATCH = "SELECT rowid FROM communities_post_fts WHERE communities_post_fts MATCH %s"


def index_post(post: Post) -> None:
    if is_postgresql():
        Post.objects.filter(pk=post.pk).update(
            search_vector=SearchVector(Value(post.thread.title), weight="A", config=CONFIG)
            + SearchVector("body", weight="B", config=CONFIG)
        )
        return
    with connection.cursor() as cursor:
        cursor.execute(_FTS_DELETE, [post.pk])
        cursor.execute(_FTS_INSERT, [post.pk, stemmed(post.thread.title), stemmed(post.body)])


def unindex_post(post: Post) -> None:
    if is_postgresql():
        Post.objects.filter(pk=post.pk).update(search_vector=None)
        return
    with connection.cursor() as cursor:
        cursor.execute(_FTS_DELETE, [post.pk])


def matching_threads(threads: QuerySet[Thread], terms: list[str]) -> QuerySet[Thread]:
    """The threads with a published post matching any of the terms."""
    if is_postgresql():
        posts = Post.objects.filter(search_vector=any_term_query(terms))
    else:
        # A constant statement, the match expression bound as a parameter.
        match = RawSQL(_FTS_MATCH, [fts_match_expression(terms)])  # noqa: S611
        posts = Post.objects.filter(pk__in=match)
    return threads.filter(pk__in=posts.filter(status=Post.Status.PUBLISHED).values("thread_id"))
