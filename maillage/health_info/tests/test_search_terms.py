"""What the search makes of a text: accents folded, French stems, stop words dropped."""

from __future__ import annotations

from maillage.health_info import fulltext


def test_folding_removes_accents_and_ligatures() -> None:
    assert fulltext.fold("Fièvre, ŒIL et cæcum à Noël") == "fievre, oeil et caecum a noel"


def test_plurals_and_accents_reach_the_same_stem() -> None:
    assert fulltext.stemmed("angines") == fulltext.stemmed("angine")
    assert fulltext.stemmed("fievres") == fulltext.stemmed("Fièvre")
    assert fulltext.stemmed("plaie infectee") == fulltext.stemmed("plaies infectées")


def test_query_terms_drop_stop_words_and_repeats() -> None:
    assert fulltext.query_terms("J'ai mal à la gorge, la gorge !") == ["mal", "gorge"]


def test_query_terms_are_letters_and_digits_only() -> None:
    assert fulltext.query_terms('"fièvre" * (NEAR) gorge: -toux 116117') == [
        "fievre",
        "near",
        "gorge",
        "toux",
        "116117",
    ]


def test_a_long_query_is_cut_to_a_bounded_number_of_terms() -> None:
    words = " ".join(f"mot{n}" for n in range(50))

    assert len(fulltext.query_terms(words)) == fulltext.MAX_TERMS
