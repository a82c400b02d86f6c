"""French full-text search of the published cases: the teaching library (maillage.core.fulltext).

PostgreSQL: a stored `tsvector` per case — title A, question B, case C, best answer D. SQLite:
the FTS5 table `cases_case_fts` (migration 0004) with the same columns, folded and stemmed here.
The services index a case when it is published and again when it is resolved (its best answer
joins the index); only the case list searches.
"""

from __future__ import annotations

from django.contrib.postgres.search import SearchVector
from django.db import connection
from django.db.models import QuerySet, Value
from django.db.models.expressions import RawSQL

from maillage.cases.models import Case
from maillage.core.fulltext import (
    CONFIG,
    any_term_query,
    fts_match_expression,
    is_postgresql,
    stemmed,
)

_FTS_DELETE = "DELETE FROM cases_case_fts WHERE rowid = %s"
_FTS_INSERT = (
    "INSERT INTO cases_case_fts (rowid, title, question, body, answer) VALUES (%s, %s, %s, %s, %s)"
)
_FTS_MATCH = "SELECT rowid FROM cases_case_fts WHERE cases_case_fts MATCH %s"


def index_case(case: Case) -> None:
    """Make a published case findable, with its best answer once resolved."""
    answer = case.best_comment.body if case.best_comment is not None else ""
    if is_postgresql():
        Case.objects.filter(pk=case.pk).update(
            search_vector=SearchVector("title", weight="A", config=CONFIG)
            + SearchVector("question", weight="B", config=CONFIG)
            + SearchVector("body", weight="C", config=CONFIG)
            + SearchVector(Value(answer), weight="D", config=CONFIG)
        )
        return
    with connection.cursor() as cursor:
        cursor.execute(_FTS_DELETE, [case.pk])
        cursor.execute(
            _FTS_INSERT,
            [
                case.pk,
                stemmed(case.title),
                stemmed(case.question),
                stemmed(case.body),
                stemmed(answer),
            ],
        )


def matching(cases: QuerySet[Case], terms: list[str]) -> QuerySet[Case]:
    """The cases matching any of the terms (the caller orders and paginates them)."""
    if is_postgresql():
        return cases.filter(search_vector=any_term_query(terms))
    # A constant statement with the match expression as a bound parameter: nothing typed is
    # spliced into the SQL, and FTS5 reads the terms as quoted strings.
    match = RawSQL(_FTS_MATCH, [fts_match_expression(terms)])  # noqa: S611
    return cases.filter(pk__in=match)
