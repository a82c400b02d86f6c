from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from maillage.triage.detector import (
    EMERGENCY,
    NUMBER_ORDER,
    RULES_FILE,
    URGENT,
    detect,
    fold,
    load_rules,
)


def test_every_rule_has_a_source_a_known_level_and_known_numbers() -> None:
    raw = json.loads(RULES_FILE.read_text(encoding="utf-8"))["rules"]
    assert len(raw) == len(load_rules()) >= 15
    for rule in raw:
        assert rule["source"].strip(), rule["id"]
        assert rule["level"] in {EMERGENCY, URGENT}, rule["id"]
        assert rule["numbers"], rule["id"]
        assert set(rule["numbers"]) <= set(NUMBER_ORDER), rule["id"]
        assert rule.get("fr"), f"{rule['id']} needs French patterns"
        assert rule.get("en"), f"{rule['id']} needs English patterns"
    assert len({rule["id"] for rule in raw}) == len(raw)


def test_folding_drops_accents_and_case_and_keeps_a_map_to_the_original() -> None:
    folded, origin = fold("Œdème   de Quincke à l\u2019instant, cœur")

    assert folded == "oedeme de quincke a l instant, coeur"
    assert len(origin) == len(folded)


def test_a_match_quotes_what_the_person_wrote() -> None:
    result = detect("Hier soir… DOULEUR dans la Poitrine, très forte")

    assert [match.text for match in result.active_matches] == ["DOULEUR dans la Poitrine"]


def test_the_same_phrase_is_quoted_once() -> None:
    result = detect("Je pense à me suicider")

    assert [match.text for match in result.active_matches] == ["pense à me suicider"]


def test_a_negation_reaches_only_its_own_clause() -> None:
    assert detect("Pas de fièvre mais une douleur thoracique").level == EMERGENCY
    assert detect("Pas de fièvre, douleur thoracique depuis ce matin").level == EMERGENCY
    assert detect("Je n'ai ni fièvre ni douleur thoracique").level == "routine"


def test_a_negated_match_is_kept_but_marked() -> None:
    result = detect("Pas de douleur thoracique")

    assert [(match.rule, match.negated) for match in result.matches] == [("chest-pain", True)]
    assert result.numbers == []


def test_minutes_and_hours_ago_are_the_present() -> None:
    assert detect("Il y a 10 minutes il a perdu connaissance").level == EMERGENCY
    assert detect("Douleur dans la poitrine depuis il y a deux heures").level == EMERGENCY


def test_the_past_does_not_silence_suicide() -> None:
    result = detect("Tentative de suicide il y a trois ans, et j'y repense")

    assert "3114" in result.numbers


def test_someone_else_in_danger_still_calls_for_help_and_is_noted() -> None:
    result = detect("Mon père a une douleur dans la poitrine")

    assert result.level == EMERGENCY
    assert result.about_someone_else is True
    assert detect("J'ai une douleur dans la poitrine").about_someone_else is False


def test_a_requirement_must_itself_not_be_negated() -> None:
    assert detect("Raideur de la nuque et fièvre").level == EMERGENCY
    assert detect("Raideur de la nuque, pas de fièvre").level == "routine"


def test_numbers_come_in_a_fixed_order_without_duplicates() -> None:
    result = detect(
        "Je veux mourir, j'ai pris toutes mes boîtes de médicaments, je saigne beaucoup"
    )

    assert result.numbers == ["15", "112", "114", "3114"]


def test_the_batch_format_has_exactly_the_four_keys() -> None:
    assert set(detect("rhume").as_json("a1")) == {"id", "level", "numbers", "matches"}


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=400))
def test_any_text_is_read_without_crashing_and_matches_quote_it(text: str) -> None:
    result = detect(text)

    assert result.level in {"emergency", "urgent", "routine"}
    for match in result.matches:
        assert text[match.start : match.end] == match.text


@pytest.mark.parametrize("text", ["", "   ", "\n\n", "!!!", "(", '"', "*"])
def test_empty_or_punctuation_only_text_is_routine(text: str) -> None:
    assert detect(text).level == "routine"


@pytest.mark.parametrize(
    "text",
    [
        "Je ne dors pas et j'ai une douleur dans la poitrine",
        "I can't sleep and I have chest pain",
        "J'ai eu un infarctus il y a dix ans et j'ai mal à la poitrine ce soir",
    ],
)
def test_a_negation_or_the_past_in_another_clause_does_not_hide_an_alarm(text: str) -> None:
    assert detect(text).level == EMERGENCY
