"""French full-text search of the published versions, on either database.

PostgreSQL: a stored `tsvector` per published version, built with the `french_unaccent` text
search configuration (accents folded, then the French Snowball stemmer; migration 0002), title A,
keywords B, summary C, sections D, ranked with ts_rank.

SQLite (embedded mode): an FTS5 table (migration 0003) fed with text folded and stemmed here
by the same Snowball algorithm, ranked with bm25 and column weights in the same order.

Both sides fold accents *before* stemming, so that "fievre" and "fièvre", "infectee" and
"infectée" reach the same stem. Only the selector `search_articles` calls `ranked_versions`;
only the publishing services call `index_version` and `unindex_version`.
"""

from __future__ import annotations

import operator
import re
import threading
import unicodedata
from functools import reduce

import snowballstemmer  # type: ignore[import-untyped]  # no type information upstream; used in _stem() only
from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import F, QuerySet, Value

from maillage.health_info.models import ArticleVersion

CONFIG = "french_unaccent"
# Enough for a sentence typed by a patient; bounds the size of the generated query.
MAX_TERMS = 12
_WORD = re.compile(r"[^\W_]+")
_LIGATURES = str.maketrans({"œ": "oe", "æ": "ae"})
# Words that carry no meaning for the search (folded). PostgreSQL has its own list; using this
# one on both sides keeps the two engines in step on what counts as a term.
STOP_WORDS = frozenset(
    {
        "a",
        "ai",
        "au",
        "aux",
        "avec",
        "c",
        "ca",
        "ce",
        "ces",
        "cet",
        "cette",
        "d",
        "dans",
        "de",
        "des",
        "du",
        "elle",
        "elles",
        "en",
        "est",
        "et",
        "etre",
        "il",
        "ils",
        "j",
        "je",
        "l",
        "la",
        "le",
        "les",
        "leur",
        "leurs",
        "lui",
        "m",
        "ma",
        "mais",
        "me",
        "mes",
        "moi",
        "mon",
        "n",
        "ne",
        "nos",
        "notre",
        "nous",
        "on",
        "ont",
        "ou",
        "par",
        "pas",
        "pour",
        "qu",
        "que",
        "qui",
        "s",
        "sa",
        "se",
        "ses",
        "si",
        "son",
        "sont",
        "sur",
        "t",
        "ta",
        "te",
        "tes",
        "toi",
        "ton",
        "tu",
        "un",
        "une",
        "vos",
        "votre",
        "vous",
        "y",
    }
)

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

_local = threading.local()


def fold(text: str) -> str:
    """Lower-case `text` and drop its accents ("Fièvre" → "fievre", "Œil" → "oeil")."""
    decomposed = unicodedata.normalize("NFKD", text.casefold().translate(_LIGATURES))
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def _stem(words: list[str]) -> list[str]:
    # Snowball stemmers keep state while they work: one per thread.
    stemmer = getattr(_local, "stemmer", None)
    if stemmer is None:
        stemmer = _local.stemmer = snowballstemmer.stemmer("french")
    return [str(stem) for stem in stemmer.stemWords(words)]


def stemmed(text: str) -> str:
    """Fold and stem every word of `text`, as the SQLite index stores it."""
    return " ".join(_stem(_WORD.findall(fold(text))))


def query_terms(query: str) -> list[str]:
    """Return the folded words of a query worth searching for, without repeats."""
    terms: list[str] = []
    for word in _WORD.findall(fold(query)):
        if word not in STOP_WORDS and word not in terms:
            terms.append(word)
    return terms[:MAX_TERMS]


def _fts_match_expression(terms: list[str]) -> str:
    # Each stem becomes a quoted FTS5 string: whatever the patient typed (quotes, `*`, `(`,
    # NEAR, AND…) is never read as query syntax. The terms are letters and digits already.
    stems = dict.fromkeys(_stem(terms))
    return " OR ".join('"{}"'.format(stem.replace('"', '""')) for stem in stems)


def _is_postgresql() -> bool:
    return connection.vendor == "postgresql"


def index_version(version: ArticleVersion) -> None:
    """Make a version findable (called when it is published, inside its transaction)."""
    if _is_postgresql():
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
    if _is_postgresql():
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
    if _is_postgresql():
        query = reduce(operator.or_, (SearchQuery(term, config=CONFIG) for term in terms))
        return list(
            published.filter(search_vector=query)
            .annotate(rank=SearchRank(F("search_vector"), query))
            .order_by("-rank", "title", "pk")[:limit]
        )
    with connection.cursor() as cursor:
        cursor.execute(
            _FTS_SEARCH,
            [_fts_match_expression(terms), ArticleVersion.Status.PUBLISHED, limit],
        )
        ids = [row[0] for row in cursor.fetchall()]
    found = published.in_bulk(ids)
    return [found[pk] for pk in ids if pk in found]
