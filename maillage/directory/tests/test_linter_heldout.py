"""The issue 8 figures over the blind sets E and F (lint_heldout.jsonl).

Both sets were written before any pattern was changed for them. E was run once, then the
patterns were improved from E's misses; F was then run once, and that first run is the
honest estimate of what an unseen corpus would score:

    E, first run:  violating caught 42/60 = 0.700, clean without error 28/30 = 0.933
    F, first run:  violating caught 38/52 = 0.731, clean without error 29/30 = 0.967

Set G (204 texts, 6 violating and 6 clean per rule L01-L17, plus 4 + 4 mixed) was then
written in styles E and F lack (long presentations with one bad clause, paraphrases, typos
and missing accents, bullet lists, social-media posts, indirect prices, quoted testimonials)
and, for the profile rules, texts that break them in words ("profil sponsorisé", "tarifs :
nous consulter", "en cas d'urgence, laissez un message"). Its first run, before any change:

    G, first run:  violating caught 42/106 = 0.396, clean without error 100/106 = 0.943
                   text rules only: 42/76 = 0.553 caught, 71/76 = 0.934 clean;
                   profile rules in words: 0/30 caught, 29/30 clean

F's misses were fixed afterwards, so F is no longer blind. E is gated at the issue's
targets; F at its first-run figures where they were below target, so that later changes
cannot fall back under what was measured. Print the figures with
``pytest -s maillage/directory/tests/test_linter_heldout.py``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from maillage.directory.tests.lint_figures import TEXT_RULES, Figures, load, measure

HELDOUT = Path(__file__).with_name("lint_heldout.jsonl")
REQUIRED = {
    "E": (0.90, 0.95),
    # First run of F (38/52 caught): below the 0.90 target, so that is its floor.
    "F": (38 / 52, 0.95),
    # First run of G, before any rule change.
    "G": (42 / 106, 100 / 106),
}


@pytest.fixture(scope="module")
def figures() -> dict[str, Figures]:
    return measure(HELDOUT, tuple(REQUIRED))


def test_each_set_has_35_violating_texts_over_every_text_rule_and_25_clean() -> None:
    entries = load(HELDOUT)
    assert len({e["id"] for e in entries}) == len(entries)
    for name in REQUIRED:
        violating = [e for e in entries if e["half"] == name and e["expected"]]
        clean = [e for e in entries if e["half"] == name and not e["expected"]]
        assert len(violating) >= 35, name
        assert len(clean) >= 25, name
        assert {e["target"] for e in violating} >= set(TEXT_RULES), name


@pytest.mark.parametrize("name", list(REQUIRED))
def test_violating_texts_are_caught_with_the_right_rule(
    figures: dict[str, Figures], name: str
) -> None:
    assert figures[name].caught_rate >= REQUIRED[name][0]


@pytest.mark.parametrize("name", list(REQUIRED))
def test_clean_texts_have_no_error(figures: dict[str, Figures], name: str) -> None:
    assert figures[name].clean_rate >= REQUIRED[name][1]
