"""French full-text search on either database: the parts every searchable thing shares.

PostgreSQL searches stored `tsvector`s built with the `french_unaccent` configuration (accents
folded, then the French Snowball stemmer; created by health_info's migration 0002). SQLite
(embedded mode) searches FTS5 tables fed with text folded and stemmed here by the same Snowball
algorithm. Both sides fold accents *before* stemming, so that "fievre" and "fièvre",
"infectee" and "infectée" reach the same stem. Each searchable model keeps its own index
(health_info.fulltext for the library of articles, cases.search for the teaching library).
"""

from __future__ import annotations

import operator
import re
import threading
import unicodedata
from functools import reduce

import snowballstemmer  # type: ignore[import-untyped]  # no type information upstream; used in _stem() only
from django.contrib.postgres.search import SearchQuery
from django.db import connection

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


def fts_match_expression(terms: list[str]) -> str:
    # Each stem becomes a quoted FTS5 string: whatever the patient typed (quotes, `*`, `(`,
    # NEAR, AND…) is never read as query syntax. The terms are letters and digits already.
    stems = dict.fromkeys(_stem(terms))
    return " OR ".join('"{}"'.format(stem.replace('"', '""')) for stem in stems)


def is_postgresql() -> bool:
    return connection.vendor == "postgresql"


def any_term_query(terms: list[str]) -> SearchQuery:
    """PostgreSQL: a query matching any of the terms, in the French configuration."""
    return reduce(operator.or_, (SearchQuery(term, config=CONFIG) for term in terms))
