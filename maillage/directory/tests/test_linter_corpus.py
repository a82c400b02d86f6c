"""The two figures of issue 8 over our own corpus (lint_corpus.jsonl), per half.

A violating text counts as caught when every rule it expects is among the findings; a
clean text counts when no finding is an error (warnings only ask the doctor to re-read).
Patterns were tuned on half A; half B is the one to report. Print the figures with
``pytest -s maillage/directory/tests/test_linter_corpus.py``.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from maillage.directory.linter import lint_text
from maillage.directory.tests.lint_figures import TEXT_RULES, Figures, load, measure

CORPUS = Path(__file__).with_name("lint_corpus.jsonl")
REQUIRED_CAUGHT = 0.90
REQUIRED_CLEAN = 0.95


@pytest.fixture(scope="module")
def figures() -> dict[str, Figures]:
    return measure(CORPUS, ("A", "B"))


def test_corpus_has_five_violating_and_five_clean_texts_per_rule_in_each_half() -> None:
    entries = load(CORPUS)
    assert len({e["id"] for e in entries}) == len(entries)
    counts = Counter(
        (e["target"], e["half"], bool(e["expected"])) for e in entries if e["target"] in TEXT_RULES
    )
    for rule in TEXT_RULES:
        for half in ("A", "B"):
            assert counts[(rule, half, True)] >= 5, (rule, half, "violating")
            assert counts[(rule, half, False)] >= 5, (rule, half, "clean")


@pytest.mark.parametrize("half", ["A", "B"])
def test_violating_texts_are_caught_with_the_right_rule(
    figures: dict[str, Figures], half: str
) -> None:
    assert figures[half].caught_rate >= REQUIRED_CAUGHT


@pytest.mark.parametrize("half", ["A", "B"])
def test_clean_texts_have_no_error(figures: dict[str, Figures], half: str) -> None:
    assert figures[half].clean_rate >= REQUIRED_CLEAN


def test_clean_texts_targeting_a_warning_rule_do_not_trigger_it() -> None:
    # The gate above ignores warnings; a near-miss for a warning rule must still stay quiet
    # (the patterns; the learned tier was trained on these very texts).
    noisy = [
        e["id"]
        for e in load(CORPUS)
        if not e["expected"]
        and e["target"] in TEXT_RULES
        and any(f.rule == e["target"] for f in lint_text(str(e["text"]), learned=False))
    ]
    assert noisy == []
