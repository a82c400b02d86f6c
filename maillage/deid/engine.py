"""The Presidio analyzer, configured for French and for running offline.

Built once per process, on first use: loading the spaCy model takes seconds, and spaCy and
Presidio are imported only then (:mod:`maillage.deid.analyzer`), so that a process that never
scrubs a text (a page worker) does not carry them. Presidio's defaults are English
(``en_core_web_lg``) and download what they miss, so everything is explicit: the French
model, a French-only registry holding our recognizers only.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from typing import TYPE_CHECKING, Final

from maillage.deid.patterns import Candidate

if TYPE_CHECKING:
    from presidio_analyzer import AnalyzerEngine

__all__ = ["ENTITY_KINDS", "LANGUAGE", "MODEL_NAME", "analyze", "get_analyzer"]

LANGUAGE: Final = "fr"
MODEL_NAME: Final = "fr_core_news_md"
#: Only the tokenizer and the NER are needed; the parser, tagger and lemmatizer
#: would triple the time per text.
_EXCLUDED_PIPES: Final = ("morphologizer", "parser", "attribute_ruler", "lemmatizer")

ENTITY_KINDS: Final[Mapping[str, str]] = {
    "PERSON": "name",
    "FR_NIR": "nir",
    "PHONE_NUMBER": "phone",
    "EMAIL_ADDRESS": "email",
    "FR_ADDRESS": "address",
    "DATE_TIME": "date",
    "FR_RPPS": "rpps",
    "FR_ADELI": "adeli",
    "FR_FINESS": "finess",
    "FR_AGE": "age",
}
_KIND_ENTITIES: Final = {kind: entity for entity, kind in ENTITY_KINDS.items()}


_analyzer: AnalyzerEngine | None = None
_build_lock: Final = threading.Lock()
# spaCy's Language and Presidio's engine are not documented as thread-safe: one text at
# a time per process. A text takes tens of milliseconds.
_analyze_lock: Final = threading.Lock()


def get_analyzer() -> AnalyzerEngine:
    """Return the process-wide analyzer, building it on first call."""
    global _analyzer  # a process-wide cache, built once under a lock
    if _analyzer is None:
        with _build_lock:
            if _analyzer is None:
                from maillage.deid.analyzer import build

                _analyzer = build()
    return _analyzer


def analyze(text: str) -> list[Candidate]:
    """Run every recognizer on ``text``; overlapping candidates are all returned."""
    analyzer = get_analyzer()
    with _analyze_lock:
        results = analyzer.analyze(text=text, language=LANGUAGE, entities=list(ENTITY_KINDS))
    return [Candidate(r.start, r.end, ENTITY_KINDS[r.entity_type], r.score) for r in results]
