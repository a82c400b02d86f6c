"""The linter's second, learned tier: which rule a sentence resembles, from labelled texts.

Patterns (``linter.py``) catch what their writers foresaw; each blind set brought phrasings
none of them did. This tier generalises from the project's own labelled profile texts
(``tests/lint_corpus.jsonl`` and the held-out sets that are no longer blind): a TF-IDF over
folded, stemmed words and word pairs plus folded character n-grams, and one logistic
regression per rule (one-vs-rest). It scores each sentence of a text; a rule scored at or
above the calibrated threshold becomes a *warning* on that sentence, never an error, so
that publication is blocked only by the precise patterns and the doctor can dismiss a
suspicion.

The model is data: ``data/communication_model.json`` holds the vocabularies, weights and
threshold, and the digest of the corpora it was trained from. ``manage.py
train_lint_model`` rebuilds it deterministically (liblinear, fixed seed); a test checks it
is up to date. Scoring needs no scikit-learn object, only the same analyzers, so a model
file written by one version reads the same under another, and a lint does not import it.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Final

from maillage.core.fulltext import fold, stemmed

__all__ = [
    "MODEL_FILE",
    "TRAINING_SETS",
    "Suspicion",
    "corpus_digest",
    "sentence_spans",
    "suspicions",
    "train",
]

MODEL_FILE: Final = Path(__file__).with_name("data") / "communication_model.json"
MODEL_VERSION: Final = 1
# Sets K and L stay out of training: they are the blind estimates of this tier.
TRAINING_SETS: Final = ("A", "B", "E", "F", "G", "H", "I", "J")
# Calibrated by cross-validation over the training sets (see test_linter_heldout.py).
THRESHOLD: Final = 0.6
_C: Final = 10.0
_WORD_NGRAMS: Final = (1, 2)
_CHAR_NGRAMS: Final = (2, 5)
_WORD_MIN_DF: Final = 2
_CHAR_MIN_DF: Final = 3
_TOKEN_PATTERN: Final = r"(?u)\b\w+\b"  # noqa: S105  # a regex, not a secret
# Sentences as the pattern tier splits them: a stop followed by a space or the end.
_SENTENCE: Final = re.compile(r"(?:[^.!?\n]|[.!?](?=\S))+(?:[.!?]+|\n|$)")


@dataclass(frozen=True)
class Suspicion:
    rule: str
    start: int
    end: int
    probability: float


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """The sentences of ``text`` with surrounding blanks trimmed, as (start, end) offsets."""
    spans = []
    for match in _SENTENCE.finditer(text):
        start, end = match.span()
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if start < end:
            spans.append((start, end))
    return spans


def corpus_digest(paths: Iterable[Path]) -> str:
    digest = hashlib.sha256()
    for path in paths:
        digest.update(path.read_bytes())
    return digest.hexdigest()


_TOKEN: Final = re.compile(_TOKEN_PATTERN)
_BLANKS: Final = re.compile(r"\s\s+")


def word_terms(text: str) -> list[str]:
    """The word features of ``text``: folded stems and stem pairs.

    The terms of scikit-learn's word analyzer for these settings, written here so that
    scoring needs no scikit-learn import (slow) and training uses the very same code.
    """
    tokens = _TOKEN.findall(stemmed(text))
    low, high = _WORD_NGRAMS
    return [
        " ".join(tokens[i : i + n])
        for n in range(low, high + 1)
        for i in range(len(tokens) - n + 1)
    ]


def char_terms(text: str) -> list[str]:
    """The character features of ``text``: n-grams inside each folded, space-padded word.

    The same terms as scikit-learn's ``char_wb`` analyzer with this module's settings.
    """
    low, high = _CHAR_NGRAMS
    terms: list[str] = []
    for word in _BLANKS.sub(" ", fold(text)).split():
        padded = f" {word} "
        for n in range(low, high + 1):
            terms.extend(padded[i : i + n] for i in range(max(len(padded) - n + 1, 1)))
            if len(padded) <= n:  # a short word counts once, as itself
                break
    return terms


@dataclass(frozen=True)
class _Block:
    """One TF-IDF feature block: its terms' columns and inverse document frequencies."""

    index: Mapping[str, int]
    idf: Sequence[float]
    analyzer: Callable[[str], list[str]]

    def vector(self, text: str) -> dict[int, float]:
        counts = Counter(t for t in self.analyzer(text) if t in self.index)
        weights = {
            self.index[t]: (1 + math.log(n)) * self.idf[self.index[t]] for t, n in counts.items()
        }
        norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
        return {col: w / norm for col, w in weights.items()}


@dataclass(frozen=True)
class _Model:
    blocks: tuple[_Block, _Block]
    offsets: tuple[int, int]
    rules: tuple[str, ...]
    weights: Mapping[str, Sequence[float]]
    intercepts: Mapping[str, float]
    threshold: float

    def scores(self, text: str) -> dict[str, float]:
        features: dict[int, float] = {}
        for block, offset in zip(self.blocks, self.offsets, strict=True):
            features.update({offset + col: w for col, w in block.vector(text).items()})
        out = {}
        for rule in self.rules:
            weights = self.weights[rule]
            z = self.intercepts[rule] + sum(w * weights[col] for col, w in features.items())
            out[rule] = 1 / (1 + math.exp(-z))
        return out


@cache
def _model() -> _Model:
    """Load the model file once per process (lazily: the first lint pays for it)."""
    raw = json.loads(MODEL_FILE.read_text(encoding="utf-8"))
    blocks = (
        _Block(
            {t: i for i, t in enumerate(raw["words"]["terms"])}, raw["words"]["idf"], word_terms
        ),
        _Block(
            {t: i for i, t in enumerate(raw["chars"]["terms"])}, raw["chars"]["idf"], char_terms
        ),
    )
    offsets = (0, len(raw["words"]["terms"]))
    return _Model(
        blocks=blocks,
        offsets=offsets,
        rules=tuple(raw["rules"]),
        weights=raw["weights"],
        intercepts=raw["intercepts"],
        threshold=float(raw["threshold"]),
    )


def suspicions(text: str) -> list[Suspicion]:
    """Each sentence of ``text`` scored at or above the threshold for a rule, per rule."""
    model = _model()
    found = []
    for start, end in sentence_spans(text):
        for rule, probability in model.scores(text[start:end]).items():
            if probability >= model.threshold:
                found.append(Suspicion(rule, start, end, probability))
    return found


def training_samples(
    entries: Iterable[Mapping[str, Any]],
    locate: Callable[[str], Iterable[tuple[str, int]]],
) -> list[tuple[str, frozenset[str]]]:
    """Sentence-level samples from text-level labels.

    A one-sentence text keeps its labels. A longer clean text gives each sentence as clean.
    A longer violating text is split only when ``locate`` (the pattern tier: rule and
    offset of each finding) puts every expected rule in a sentence; otherwise the whole
    text is one sample, so no label is lost or misplaced.
    """
    samples: list[tuple[str, frozenset[str]]] = []
    for entry in entries:
        text, expected = str(entry["text"]), frozenset(entry["expected"])
        spans = sentence_spans(text)
        if len(spans) <= 1:
            samples.append((text, expected))
            continue
        if not expected:
            samples.extend((text[a:b], frozenset()) for a, b in spans)
            continue
        labels: list[set[str]] = [set() for _ in spans]
        for rule, offset in locate(text):
            if rule in expected:
                for i, (a, b) in enumerate(spans):
                    if a <= offset < b:
                        labels[i].add(rule)
        if set().union(*labels) != expected:
            samples.append((text, expected))
            continue
        samples.extend(
            (text[a:b], frozenset(label)) for (a, b), label in zip(spans, labels, strict=True)
        )
    return samples


def train(
    samples: Sequence[tuple[str, frozenset[str]]], rules: Sequence[str], digest: str
) -> dict[str, Any]:
    """Fit the model on ``samples`` and return it as the model file's JSON object."""
    # Build-time only; no type information upstream for scipy and scikit-learn.
    import numpy as np
    from scipy.sparse import hstack  # type: ignore[import-untyped]
    from sklearn.feature_extraction.text import TfidfVectorizer  # type: ignore[import-untyped]
    from sklearn.linear_model import LogisticRegression  # type: ignore[import-untyped]

    texts = [text for text, _ in samples]
    # The analyzers are this module's, so that training and scoring share one code path.
    words = TfidfVectorizer(analyzer=word_terms, min_df=_WORD_MIN_DF, sublinear_tf=True)
    chars = TfidfVectorizer(analyzer=char_terms, min_df=_CHAR_MIN_DF, sublinear_tf=True)
    matrix = hstack([words.fit_transform(texts), chars.fit_transform(texts)]).tocsr()
    weights: dict[str, list[float]] = {}
    intercepts: dict[str, float] = {}
    trained = []
    for rule in rules:
        y = np.array([rule in labels for _, labels in samples])
        if not y.any():
            continue
        model = LogisticRegression(
            C=_C, class_weight="balanced", solver="liblinear", max_iter=5000, random_state=0
        )
        model.fit(matrix, y)
        # Three decimals keep the file small; scores move by well under the threshold's step.
        weights[rule] = [round(float(w), 3) for w in model.coef_[0]]
        intercepts[rule] = round(float(model.intercept_[0]), 4)
        trained.append(rule)

    def block(vectorizer: Any) -> dict[str, list[Any]]:
        terms = sorted(vectorizer.vocabulary_, key=vectorizer.vocabulary_.__getitem__)
        return {"terms": terms, "idf": [round(float(v), 6) for v in vectorizer.idf_]}

    return {
        "version": MODEL_VERSION,
        "about": "Learned tier of the communication-rules linter: rebuild with "
        "`manage.py train_lint_model`; never edit by hand.",
        "trained_on": list(TRAINING_SETS),
        "corpus_sha256": digest,
        "threshold": THRESHOLD,
        "rules": trained,
        "words": block(words),
        "chars": block(chars),
        "weights": weights,
        "intercepts": intercepts,
    }
