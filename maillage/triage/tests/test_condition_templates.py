"""The condition templates: the safety net first, then the urgent signs, then the ordinary case."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from maillage.triage.assessment import (
    Outcome,
    Template,
    evaluate,
    load_templates,
    next_question,
    visible_questions,
)

ARTICLES = Path(__file__).resolve().parents[2] / "health_info" / "content" / "fr"

# A complete form for an ordinary case of each condition: no red flag, no warning sign.
ORDINARY: dict[str, dict[str, Any]] = {
    "rhume": {"age": 34, "fever": False, "course": "ok", "signs": ["none"], "fragile": False},
    "grippe": {
        "age": 40,
        "risk": False,
        "fever": True,
        "fever_days": "lte3",
        "cough": False,
        "week": False,
    },
    "gastro-enterite": {
        "age": "2to74",
        "fragile": False,
        "dehydration": False,
        "blood_fever": False,
        "situation": ["none"],
    },
    "cystite": {
        "age": 30,
        "sex": "woman",
        "pregnant": False,
        "fever_back": False,
        "risk": False,
        "history": ["none"],
    },
    "lombalgie": {"age": 40, "fever": False, "fall": False, "course": "better", "signs": ["none"]},
    "maux-de-tete": {
        "age": 35,
        "new_intense": False,
        "pregnancy": False,
        "pattern": ["none"],
        "painkillers": False,
    },
    "fievre-enfant": {
        "age": "gt2y",
        "duration": "lt48h",
        "chronic": False,
        "signs": ["none"],
        "unusual": False,
    },
    "conjonctivite": {
        "age": 30,
        "lenses": False,
        "alarm": ["none"],
        "discharge": False,
        "course": "recent",
        "frequent": False,
    },
    "otite": {"age": 30, "fever": False, "severe": False, "signs": ["none"]},
}
CONDITIONS = sorted(ORDINARY)


def template(slug: str) -> Template:
    return load_templates()[slug]


def answers(slug: str, **changes: Any) -> dict[str, Any]:
    return {"red_flags": [], "details": ""} | ORDINARY[slug] | changes


def outcome(slug: str, **changes: Any) -> Outcome:
    return evaluate(template(slug), answers(slug, **changes))


# --- Every template --------------------------------------------------------------------------


def test_every_shipped_template_links_to_an_existing_article() -> None:
    for slug, shipped in load_templates().items():
        assert shipped.article, f"{slug} has no article"
        assert (ARTICLES / f"{shipped.article}.json").is_file(), f"{slug}: no {shipped.article}"


@pytest.mark.parametrize("slug", CONDITIONS)
def test_a_condition_template_keeps_the_form_short(slug: str) -> None:
    shipped = template(slug)

    assert shipped.article == slug
    assert shipped.version == "2026-11-21"
    assert 1 <= len(shipped.sources) <= 3
    assert 3 <= len(shipped.red_flags) <= 6
    assert all(flag.outcome == "emergency" for flag in shipped.red_flags)
    assert 5 <= len(shipped.questions) <= 9
    assert shipped.questions[0].id == "age"
    last = shipped.questions[-1]
    assert (last.id, last.type, last.required) == ("details", "text", False)


@pytest.mark.parametrize("slug", CONDITIONS)
def test_a_condition_template_ends_with_self_care_and_a_dated_check_in(slug: str) -> None:
    last = template(slug).outcomes[-1]

    assert last.outcome == "self_care"
    assert last.check_in_days is not None
    assert 2 <= last.check_in_days <= 7


@pytest.mark.parametrize("slug", CONDITIONS)
def test_see_doctor_today_advice_gives_the_duty_doctor_number(slug: str) -> None:
    rules = [rule for rule in template(slug).outcomes if rule.outcome == "see_doctor_today"]

    assert rules
    assert all("116 117" in rule.advice for rule in rules)


@pytest.mark.parametrize("slug", CONDITIONS)
def test_the_ordinary_answers_complete_the_form(slug: str) -> None:
    assert next_question(template(slug), answers(slug)) is None


@pytest.mark.parametrize(
    ("slug", "flag"),
    [(slug, flag.id) for slug in CONDITIONS for flag in template(slug).red_flags],
)
def test_any_ticked_red_flag_is_an_emergency(slug: str, flag: str) -> None:
    result = outcome(slug, red_flags=[flag])

    assert result.kind == "emergency"
    assert result.numbers == ["15", "112", "114"]


@pytest.mark.parametrize("slug", CONDITIONS)
def test_an_alarm_typed_in_the_details_is_an_emergency(slug: str) -> None:
    assert outcome(slug, details="et là il n'arrive plus à respirer").kind == "emergency"


# --- Rhume -----------------------------------------------------------------------------------


def test_rhume_laboured_breathing_is_an_emergency() -> None:
    assert outcome("rhume", red_flags=["breathing"]).kind == "emergency"


def test_rhume_a_baby_under_3_months_with_fever_is_seen_today() -> None:
    result = outcome("rhume", age=0, infant=True, fever=True, fever_days="lte3")

    assert result.kind == "see_doctor_today"
    assert result.numbers == ["116 117"]


def test_rhume_the_infant_question_is_asked_only_for_a_baby() -> None:
    asked = [question.id for question in visible_questions(template("rhume"), answers("rhume"))]

    assert "infant" not in asked


def test_rhume_fever_for_more_than_3_days_is_a_request_to_the_gp() -> None:
    assert outcome("rhume", fever=True, fever_days="gt3").kind == "online_request"


def test_rhume_an_earache_is_a_request_to_the_gp() -> None:
    assert outcome("rhume", signs=["ear"]).kind == "online_request"


def test_rhume_an_ordinary_cold_is_self_care_checked_after_5_days() -> None:
    result = outcome("rhume")

    assert (result.kind, result.check_in_days) == ("self_care", 5)


# --- Grippe ----------------------------------------------------------------------------------


def test_grippe_chest_pain_is_an_emergency() -> None:
    assert outcome("grippe", red_flags=["chest"]).kind == "emergency"


def test_grippe_at_65_or_over_the_doctor_is_called_today() -> None:
    assert outcome("grippe", age=70).kind == "see_doctor_today"


def test_grippe_pregnancy_or_a_chronic_disease_means_the_doctor_today() -> None:
    assert outcome("grippe", risk=True).kind == "see_doctor_today"


def test_grippe_a_worsening_cough_is_a_request_to_the_gp() -> None:
    assert outcome("grippe", cough=True).kind == "online_request"


def test_grippe_an_ordinary_flu_is_self_care_checked_after_3_days() -> None:
    result = outcome("grippe")

    assert (result.kind, result.check_in_days) == ("self_care", 3)


# --- Gastro-entérite -------------------------------------------------------------------------


def test_gastro_a_hard_swollen_belly_is_an_emergency() -> None:
    assert outcome("gastro-enterite", red_flags=["belly"]).kind == "emergency"


def test_gastro_a_baby_under_6_months_is_seen_today() -> None:
    assert outcome("gastro-enterite", age="lt6m").kind == "see_doctor_today"


def test_gastro_signs_of_dehydration_mean_a_doctor_today() -> None:
    assert outcome("gastro-enterite", dehydration=True).kind == "see_doctor_today"


def test_gastro_an_older_person_with_heavy_diarrhoea_is_seen_today() -> None:
    result = outcome("gastro-enterite", age="75plus", heavy=True)

    assert result.kind == "see_doctor_today"


def test_gastro_diarrhoea_after_travelling_abroad_is_a_request_to_the_gp() -> None:
    assert outcome("gastro-enterite", situation=["travel"]).kind == "online_request"


def test_gastro_an_ordinary_case_is_self_care_checked_after_3_days() -> None:
    result = outcome("gastro-enterite")

    assert (result.kind, result.check_in_days) == ("self_care", 3)


# --- Cystite ---------------------------------------------------------------------------------


def test_cystite_being_unable_to_pass_urine_is_an_emergency() -> None:
    assert outcome("cystite", red_flags=["retention"]).kind == "emergency"


def test_cystite_fever_or_back_pain_means_a_doctor_today() -> None:
    assert outcome("cystite", fever_back=True).kind == "see_doctor_today"


def test_cystite_in_a_man_is_seen_today() -> None:
    assert outcome("cystite", sex="man").kind == "see_doctor_today"


def test_cystite_the_pregnancy_question_is_not_asked_after_55() -> None:
    shown = visible_questions(template("cystite"), {"age": 70, "sex": "woman"})

    assert "pregnant" not in [question.id for question in shown]


def test_cystite_repeated_infections_are_a_request_to_the_gp() -> None:
    assert outcome("cystite", history=["frequent"]).kind == "online_request"


def test_cystite_a_simple_cystitis_is_self_care_checked_after_3_days() -> None:
    result = outcome("cystite")

    assert (result.kind, result.check_in_days) == ("self_care", 3)


# --- Lombalgie -------------------------------------------------------------------------------


def test_lombalgie_trouble_passing_urine_is_an_emergency() -> None:
    assert outcome("lombalgie", red_flags=["bladder"]).kind == "emergency"


def test_lombalgie_back_pain_with_fever_is_seen_today() -> None:
    assert outcome("lombalgie", fever=True).kind == "see_doctor_today"


def test_lombalgie_a_fall_at_72_is_seen_today() -> None:
    assert outcome("lombalgie", age=72, first=False, fall=True).kind == "see_doctor_today"


def test_lombalgie_pain_going_down_the_leg_is_a_request_to_the_gp() -> None:
    assert outcome("lombalgie", signs=["leg"]).kind == "online_request"


def test_lombalgie_a_first_episode_after_55_is_a_request_to_the_gp() -> None:
    assert outcome("lombalgie", age=60, first=True).kind == "online_request"


def test_lombalgie_an_ordinary_lumbago_is_self_care_checked_after_7_days() -> None:
    result = outcome("lombalgie")

    assert (result.kind, result.check_in_days) == ("self_care", 7)


# --- Maux de tête ----------------------------------------------------------------------------


def test_maux_de_tete_a_thunderclap_headache_is_an_emergency() -> None:
    assert outcome("maux-de-tete", red_flags=["thunderclap"]).kind == "emergency"


def test_maux_de_tete_a_new_intense_headache_with_vomiting_is_seen_today() -> None:
    assert outcome("maux-de-tete", new_intense=True).kind == "see_doctor_today"


def test_maux_de_tete_jaw_pain_after_50_is_seen_today() -> None:
    assert outcome("maux-de-tete", age=68, jaw=True).kind == "see_doctor_today"


def test_maux_de_tete_a_headache_in_pregnancy_is_seen_today() -> None:
    assert outcome("maux-de-tete", pregnancy=True).kind == "see_doctor_today"


def test_maux_de_tete_painkillers_more_than_2_days_a_week_are_a_request_to_the_gp() -> None:
    assert outcome("maux-de-tete", painkillers=True).kind == "online_request"


def test_maux_de_tete_an_ordinary_headache_is_self_care_checked_after_2_days() -> None:
    result = outcome("maux-de-tete")

    assert (result.kind, result.check_in_days) == ("self_care", 2)


# --- Fièvre de l'enfant ----------------------------------------------------------------------


def test_fievre_enfant_purpura_is_an_emergency() -> None:
    result = outcome("fievre-enfant", red_flags=["purpura"])

    assert result.kind == "emergency"
    assert result.numbers == ["15", "112", "114"]


def test_fievre_enfant_a_baby_under_3_months_is_an_emergency_even_unticked() -> None:
    result = outcome("fievre-enfant", age="lt3m")

    assert result.kind == "emergency"
    assert "15" in result.numbers


def test_fievre_enfant_a_baby_of_3_to_6_months_is_seen_today() -> None:
    assert outcome("fievre-enfant", age="3to6m").kind == "see_doctor_today"


def test_fievre_enfant_fever_for_more_than_48_hours_is_seen_today() -> None:
    assert outcome("fievre-enfant", duration="gt48h").kind == "see_doctor_today"


def test_fievre_enfant_a_worried_parent_is_heard_today() -> None:
    assert outcome("fievre-enfant", unusual=True).kind == "see_doctor_today"


def test_fievre_enfant_the_questions_speak_to_the_parent() -> None:
    labels = [question.label for question in template("fievre-enfant").questions[:-1]]

    assert all("votre enfant" in label.lower() for label in labels[:3])


def test_fievre_enfant_an_ordinary_fever_is_self_care_checked_after_2_days() -> None:
    result = outcome("fievre-enfant")

    assert (result.kind, result.check_in_days) == ("self_care", 2)


# --- Conjonctivite ---------------------------------------------------------------------------


def test_conjonctivite_a_chemical_in_the_eye_is_an_emergency() -> None:
    assert outcome("conjonctivite", red_flags=["chemical"]).kind == "emergency"


def test_conjonctivite_a_red_eye_with_contact_lenses_is_seen_today() -> None:
    assert outcome("conjonctivite", lenses=True).kind == "see_doctor_today"


def test_conjonctivite_a_newborn_is_seen_today() -> None:
    assert outcome("conjonctivite", age=0, newborn=True).kind == "see_doctor_today"


def test_conjonctivite_blurred_vision_is_seen_today() -> None:
    assert outcome("conjonctivite", alarm=["blurred"]).kind == "see_doctor_today"


def test_conjonctivite_thick_yellow_discharge_is_a_request_to_the_gp() -> None:
    assert outcome("conjonctivite", discharge=True).kind == "online_request"


def test_conjonctivite_a_simple_case_is_self_care_checked_after_3_days() -> None:
    result = outcome("conjonctivite")

    assert (result.kind, result.check_in_days) == ("self_care", 3)


# --- Otite -----------------------------------------------------------------------------------


def test_otite_a_swelling_behind_the_ear_is_an_emergency() -> None:
    assert outcome("otite", red_flags=["mastoid"]).kind == "emergency"


def test_otite_a_child_under_2_with_fever_is_seen_today() -> None:
    result = outcome("otite", age=1, fever=True)

    assert result.kind == "see_doctor_today"
    assert result.numbers == ["116 117"]


def test_otite_a_child_in_great_pain_is_seen_today() -> None:
    assert outcome("otite", age=6, severe=True).kind == "see_doctor_today"


def test_otite_a_discharge_from_the_ear_is_a_request_to_the_gp() -> None:
    assert outcome("otite", signs=["discharge"]).kind == "online_request"


def test_otite_an_ordinary_earache_is_self_care_checked_after_3_days() -> None:
    result = outcome("otite")

    assert (result.kind, result.check_in_days) == ("self_care", 3)
