"""Train the learned recogniser of :mod:`maillage.deid.learned` on the annotated texts.

Run ``python manage.py train_deid_model`` (``--leave-out I`` to hold a half out for an
honest estimate). Imported only by that command: the web process never trains.

The training texts are the held-out halves (``tests/heldout/source*.txt`` through
``measure.load``) and ``tests/corpus.jsonl``: spans of kind ``name`` become PER, spans of
kind ``address`` ADDR; every other kind is left to the rules, which find them all.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Final

import spacy
from spacy.pipeline import EntityRecognizer
from spacy.training import Example
from spacy.util import filter_spans, minibatch
from thinc.api import compounding, fix_random_seed

from maillage.deid.learned import LABELS
from maillage.deid.tests.heldout import measure
from maillage.deid.tests.make_corpus import TARGET as CORPUS_JSONL
from maillage.deid.tests.make_corpus import Entry, parse_source

if TYPE_CHECKING:
    from spacy.language import Language

__all__ = ["EPOCHS", "SEED", "load_entries", "load_half", "train"]

SEED: Final = 0
EPOCHS: Final = 30
DROPOUT: Final = 0.2
_KIND_LABELS: Final = {"name": "PER", "address": "ADDR"}


#: The source of each measured half. Read file by file, not through ``measure.load``,
#: which parses every source (blind halves too) before filtering: a blind half must never
#: be read, let alone trained on.
_SOURCES: Final = {
    "A": measure.SOURCE,
    "B": measure.SOURCE,
    "C": measure.SOURCE_C,
    "D": measure.SOURCE_D,
    "E": measure.SOURCE_E,
    "F": measure.SOURCE_F,
    "G": measure.SOURCE_G,
    "H": measure.SOURCE_H,
    "I": measure.SOURCE_I,
    "J": measure.SOURCE_J,
    "K": measure.SOURCE_K,
    "L": measure.SOURCE_L,
    "M": measure.SOURCE_M,
    "N": measure.SOURCE_N,
    "O": measure.SOURCE_O,
    "P": measure.SOURCE_P,
    "Q": measure.SOURCE_Q,
    "R": measure.SOURCE_R,
    "S": measure.SOURCE_S,
    "T": measure.SOURCE_T,
    "U": measure.SOURCE_U,
    "V": measure.SOURCE_V,
    "W": measure.SOURCE_W,
}


def load_half(half: str) -> list[Entry]:
    """The annotated texts of one measured half (A to W), without reading any other source."""
    entries = parse_source(_SOURCES[half].read_text(encoding="utf-8"))
    return [e for e in entries if measure.half_of(e["id"]) == half]


def load_entries(leave_out: Sequence[str] = ()) -> list[Entry]:
    """Every annotated text of the measured halves not left out, and the corpus."""
    entries: list[Entry] = []
    for half in _SOURCES:
        if half not in leave_out:
            entries.extend(load_half(half))
    with CORPUS_JSONL.open(encoding="utf-8") as lines:
        entries.extend(json.loads(line) for line in lines if line.strip())
    return entries


def _example(nlp: Language, entry: Entry) -> Example:
    doc = nlp.make_doc(entry["text"])
    spans = []
    for expected in entry["expected"]:
        label = _KIND_LABELS.get(expected["kind"])
        if label is None:
            continue
        # "expand": a span cut inside a token ("12a" → "12") takes the whole token.
        span = doc.char_span(expected["start"], expected["end"], label, alignment_mode="expand")
        if span is not None:
            spans.append(span)
    entities = [(s.start_char, s.end_char, s.label_) for s in filter_spans(spans)]
    return Example.from_dict(doc, {"entities": entities})


def train(
    entries: Iterable[Entry],
    output: Path,
    *,
    epochs: int = EPOCHS,
    progress: Callable[[int, float], None] | None = None,
) -> list[float]:
    """Train a blank French NER on ``entries`` and save it to ``output``; the losses per epoch.

    ``progress(epoch, loss)`` is called after each epoch.

    Deterministic on one machine: a fixed seed for spaCy/thinc and for the shuffling.
    """
    fix_random_seed(SEED)
    nlp = spacy.blank("fr")
    ner = nlp.add_pipe("ner")
    if not isinstance(ner, EntityRecognizer):  # for the type checker: add_pipe is untyped
        raise TypeError(ner)
    for label in LABELS:
        ner.add_label(label)
    examples = [_example(nlp, entry) for entry in entries]
    optimizer = nlp.initialize(lambda: examples)
    shuffler = random.Random(SEED)  # noqa: S311 (an order of examples, no secret)
    losses_per_epoch = []
    for _ in range(epochs):
        shuffler.shuffle(examples)
        losses: dict[str, float] = {}
        batches = minibatch(examples, size=compounding(4.0, 32.0, 1.001))  # type: ignore[no-untyped-call]
        for batch in batches:
            nlp.update(batch, drop=DROPOUT, sgd=optimizer, losses=losses)
        losses_per_epoch.append(losses["ner"])
        if progress is not None:
            progress(len(losses_per_epoch), losses["ner"])
    output.mkdir(parents=True, exist_ok=True)
    nlp.to_disk(output)
    return losses_per_epoch
