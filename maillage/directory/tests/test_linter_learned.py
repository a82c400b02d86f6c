"""The learned tier of the linter: warnings only, silent on ordinary French, rebuilt from
the corpora (``manage.py train_lint_model``)."""

from __future__ import annotations

import json

import pytest
from django.utils import translation

from maillage.directory import learned
from maillage.directory.linter import lint_text
from maillage.directory.management.commands.train_lint_model import CORPORA, build_model

ORDINARY = [
    "une meilleure prise en charge",
    "premier recours",
    "avis spécialisé",
    "parking gratuit",
    "confidentialité garantie",
    "Notre objectif : une meilleure prise en charge des patients diabétiques.",
    "Médecin de premier recours ; avis spécialisé demandé si besoin. Parking gratuit.",
]


@pytest.mark.parametrize("text", ORDINARY)
def test_ordinary_medical_french_gets_nothing(text: str) -> None:
    assert lint_text(text) == []


def test_the_model_file_was_built_from_the_corpora_as_they_are() -> None:
    model = json.loads(learned.MODEL_FILE.read_text(encoding="utf-8"))
    assert model["corpus_sha256"] == learned.corpus_digest(CORPORA), (
        "the corpora changed: run `python manage.py train_lint_model`"
    )
    assert model["trained_on"] == list(learned.TRAINING_SETS)
    assert "K" not in model["trained_on"]
    assert "L" not in model["trained_on"]


def test_retraining_gives_the_same_model() -> None:
    stored = json.loads(learned.MODEL_FILE.read_text(encoding="utf-8"))
    rebuilt = build_model()
    assert rebuilt["words"]["terms"] == stored["words"]["terms"]
    assert rebuilt["chars"]["terms"] == stored["chars"]["terms"]
    assert rebuilt["rules"] == stored["rules"]
    for rule in stored["rules"]:
        assert rebuilt["intercepts"][rule] == pytest.approx(stored["intercepts"][rule], abs=2e-3)
        assert rebuilt["weights"][rule] == pytest.approx(stored["weights"][rule], abs=2e-3)


def test_a_suspicion_is_a_warning_on_its_sentence_never_an_error() -> None:
    text = "Consultations du lundi au vendredi. Vous cherchez le meilleur pédiatre du coin ?"
    pattern_rules = {(f.rule, f.start) for f in lint_text(text, learned=False)}
    extra = [f for f in lint_text(text) if (f.rule, f.start) not in pattern_rules]
    for finding in extra:
        assert finding.severity == "warning"
        assert text[finding.start : finding.end] in {
            "Consultations du lundi au vendredi.",
            "Vous cherchez le meilleur pédiatre du coin ?",
        }


def test_every_suspicion_warns_and_says_it_is_only_a_suspicion() -> None:
    # A phrasing the patterns do not know, close to the corpus's L07 texts.
    text = "Merci de nous mettre cinq étoiles sur internet après votre visite."
    with translation.override("fr"):
        found = lint_text(text)
    learned_only = [f for f in found if "soupçon" in f.message]
    assert all(f.severity == "warning" for f in learned_only)
    assert all(f.severity == "warning" for f in found if f.rule in {"L03", "L09", "L10"})


def test_sentences_are_trimmed() -> None:
    assert learned.sentence_spans("  Un.  Deux ?\n") == [(2, 5), (7, 13)]
