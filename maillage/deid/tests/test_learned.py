"""The learned recogniser: the shipped model loads, generalises past the rules, keeps medicine."""

from __future__ import annotations

from pathlib import Path

import pytest
import spacy

from maillage.deid import learned
from maillage.deid.text import scrub


def _found(text: str, kind: str) -> list[str]:
    return [text[c.start : c.end] for c in learned.find(text) if c.kind == kind]


def test_the_shipped_model_loads_once() -> None:
    assert learned.is_available()
    assert learned.get_model() is learned.get_model()
    assert set(learned.LABELS) <= set(learned.get_model().pipe_labels["ner"])


@pytest.mark.parametrize(
    ("text", "street"),
    [
        # Street types in no list of the rules (the first example here was "venelle", which
        # the rules' lists hold: the model retrained on A-K no longer took that one text;
        # the one retrained on A-Q took only the town of "Il vit 15 cheminement des Écoles,
        # 31000 Toulouse, seul.", whose street a rule removes, and takes it after "habite").
        ("Patiente domiciliée 7 courtil des Tanneurs, 29200 Brest, vit seule.", "courtil des Tanneurs"),
        ("Adresse : 3 placette des Lilas, 44000 Nantes", "placette des Lilas"),
        ("Elle habite 15 cheminement des Écoles, 31000 Toulouse, seule.", "cheminement des Écoles"),
    ],
)  # fmt: skip
def test_an_address_with_a_street_type_no_rule_knows(text: str, street: str) -> None:
    assert any(street in span for span in _found(text, "address"))
    scrubbed = scrub(text).text
    assert street.split()[-1] not in scrubbed
    assert street.split()[0] not in scrubbed


def test_medical_terms_and_doses_stay() -> None:
    text = (
        "Mme Odile Kervella, suivie pour une maladie de Crohn iléale, "
        "sous azathioprine 2 mg/kg/j et mésalazine 4 g/j."
    )
    scrubbed = scrub(text).text
    assert "Odile Kervella" not in scrubbed
    for term in ("maladie de Crohn", "azathioprine 2 mg/kg/j", "mésalazine 4 g/j"):
        assert term in scrubbed
    spans = [text[c.start : c.end] for c in learned.find(text)]
    assert not any("Crohn" in span or "azathioprine" in span for span in spans)


def test_training_builds_a_model_that_loads_and_never_reads_a_blind_half(tmp_path: Path) -> None:
    from maillage.deid.learned_training import load_entries, load_half, train

    entries = load_half("A")[:4]
    losses = train(entries, tmp_path, epochs=1)
    assert len(losses) == 1
    assert set(learned.LABELS) <= set(spacy.load(tmp_path).pipe_labels["ner"])
    ids = {entry["id"] for entry in load_entries(leave_out=("I",))}
    # J is trained on since the ninth round, K since the tenth; a half left out never is.
    assert not any(entry_id.startswith("ii") for entry_id in ids)
    assert any(entry_id.startswith("hh") for entry_id in ids)
    assert any(entry_id.startswith(("jj", "kk")) for entry_id in ids)
    assert any(entry_id.startswith("kk") for entry_id in ids)


def test_a_dose_or_a_care_site_the_model_would_take_is_no_address() -> None:
    # The vetoes on their own, whatever the model says about these spans.
    dose = "Sous oxygène 2 L. Saturation à 94 %."
    assert learned._address(dose, dose.index("2 L"), dose.index("Saturation") + 10, []) is None
    street = "Vit au 4 ruelle des Tisserands, 22300 Lannion."
    span = (street.index("4 ruelle"), street.index("Lannion") + 7)
    assert learned._address(street, *span, []) == span
    care = "Transfert au CHU de Rennes demain."
    assert learned._address(care, care.index("Rennes"), care.index("Rennes") + 6, []) is None


def test_a_verb_opening_a_sentence_is_no_address() -> None:
    # Found by the J5 browser walk: a doctor's answer "**Suspendre** l'azathioprine …" lost
    # its first word as an address taken by the model.
    text = "**Suspendre** l'azathioprine et contrôler la NFS."
    assert learned._address(text, 2, 11, []) is None


def test_a_word_opening_a_sentence_is_a_person_only_if_it_is_a_known_name() -> None:
    # The model retrained on A-L took the same "**Suspendre**" for a person (the J5 walk again).
    text = "**Suspendre** l'azathioprine et contrôler la NFS."
    assert not learned._is_person(text, 2, 11)
    assert "Suspendre" in scrub(text).text
    named = "Dupont a rappelé ce matin."
    assert learned._is_person(named, 0, 6)
    assert learned._is_person("Vu ce jour Mme Kerbrat.", 15, 22)
