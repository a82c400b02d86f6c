"""A learned recogniser for names and addresses: a small spaCy NER trained on our texts.

The rules (:mod:`~maillage.deid.patterns`, :mod:`~maillage.deid.gazetteer`,
:mod:`~maillage.deid.names`) know the shapes their authors have seen; each fresh half of
the held-out corpus brought shapes none of them named (an unknown street type after a
house number, a building before a postal block, a name in capitals in a header). A model
trained on the ~760 annotated texts generalises from context instead: its spans join the
rule candidates and only add recall. They go through the vetoes the general NER's persons
and places go through, so that medical terms stay.

The model (``data/deid_ner``, about 4 MB) is rebuilt by ``manage.py train_deid_model``
(see ``tests/heldout/README.md``, "Learned recogniser"). It is loaded on first use, like
the spaCy model of :mod:`~maillage.deid.analyzer`, and only by that module.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import TYPE_CHECKING, Final

from maillage.deid import names
from maillage.deid.patterns import Candidate

if TYPE_CHECKING:
    from spacy.language import Language

__all__ = ["LABELS", "MODEL_PATH", "find", "get_model", "is_available", "set_model"]

MODEL_PATH: Final = Path(__file__).resolve().parent / "data" / "deid_ner"
LABELS: Final = ("PER", "ADDR")
#: Below the rules' strong scores: on an overlap of equal length a rule's span wins.
_SCORE: Final = 0.6

_model: Language | None = None
_lock: Final = threading.Lock()


def is_available() -> bool:
    """Whether a model is shipped (or set): the engine runs without one, on rules alone."""
    return _model is not None or (MODEL_PATH / "meta.json").is_file()


def get_model() -> Language:
    """The trained pipeline, loaded once per process (about 0.3 s)."""
    global _model  # a process-wide cache, loaded once under a lock
    if _model is None:
        with _lock:
            if _model is None:
                import spacy

                _model = spacy.load(MODEL_PATH)
    return _model


def set_model(model: Language | None) -> None:
    """Use ``model`` instead of the shipped one (``None``: the shipped one, reloaded lazily).

    For the leave-one-half-out measurements, which score models trained without a half.
    """
    global _model  # see get_model
    with _lock:
        _model = model


def find(text: str) -> list[Candidate]:
    """Names and addresses the model finds in ``text``, once vetoed."""
    doc = get_model()(text)
    regions = names.eponym_regions(text)
    persons = [(e.start_char, e.end_char, _SCORE) for e in doc.ents if e.label_ == "PER"]
    found = names.filter_ner_names(text, persons, regions)
    found.extend(
        Candidate(e.start_char, e.end_char, "address", _SCORE)
        for e in doc.ents
        if e.label_ == "ADDR" and _is_address(text, e.start_char, e.end_char, regions)
    )
    return found


def _is_address(text: str, start: int, end: int, regions: list[tuple[int, int]]) -> bool:
    return not any(s < end and start < e for s, e in regions)
