"""The checks run on every post before it is published."""

from __future__ import annotations

import pytest

from maillage.communities.screening import screen, without_personal_data


def test_ordinary_posts_pass_clean() -> None:
    for text in (
        "Mon HbA1c est à 7,2 % depuis que je marche tous les jours, je suis contente !",
        "Quelqu'un connaît la maladie de Crohn ? Mon gastro-entérologue m'en a parlé.",
        "Ma glycémie était à 1,8 g/L ce matin après le petit déjeuner.",
        "Opérée le 3 mars, je reprends doucement la marche.",
    ):
        result = screen(text)
        assert result.risk == 0, (text, result)
        assert not result.diagnosis


def test_a_phone_number_and_an_email_are_personal_data() -> None:
    text = "Appelez-moi au 06 12 34 56 78 ou écrivez à helene.marchal@example.fr"
    result = screen(text)
    assert {finding.kind for finding in result.personal} == {"phone", "email"}
    cleaned = without_personal_data(text, result.personal)
    assert "06 12" not in cleaned
    assert "[TÉLÉPHONE]" in cleaned
    assert "[E-MAIL]" in cleaned


def test_suicidal_thoughts_call_for_3114_and_the_highest_risk() -> None:
    result = screen("Je n'en peux plus, j'ai envie de mourir, je pense à me suicider.")
    assert result.suicide_risk
    assert "3114" in result.numbers
    assert result.risk == 3


def test_an_emergency_calls_for_15() -> None:
    result = screen("J'ai une douleur dans la poitrine qui serre et irradie dans le bras gauche")
    assert "15" in result.numbers
    assert result.risk == 3


@pytest.mark.parametrize(
    "text",
    [
        "Code promo SUCRE20 : -20 % sur les lecteurs de glycémie !",
        "Achetez ce complément 100% naturel, livraison gratuite sur www.glyco-shop.biz",
        "Je vends des bandelettes, contactez-moi en privé pour le prix",
        "Le lecteur GlucoMax à 39,90 € sur https://glucomax.example/offre",
    ],
)
def test_promotion_is_caught(text: str) -> None:
    assert screen(text).promotion


def test_a_reply_that_diagnoses_or_changes_a_treatment_is_noticed() -> None:
    assert screen("Tu as sûrement une neuropathie, arrête ton traitement.").diagnosis
    assert not screen("J'avais les mêmes symptômes, mon médecin a trouvé la cause.").diagnosis


def test_a_full_name_or_a_titled_name_warns_a_lone_capitalised_word_does_not() -> None:
    assert screen("Recette de gâteau sans sucre ?").personal == ()
    assert screen("Je suis suivie par Hélène Marchal à Metz.").personal
    assert screen("Le Dr Lefebvre m'a changé de traitement.").personal


def test_a_price_or_a_link_alone_is_no_advert() -> None:
    assert not screen("Mon capteur coûte 60 € par mois, remboursé à 100 %.").promotion
    assert not screen("La fiche de l'Assurance maladie : https://www.ameli.fr/diabete").promotion


def test_a_town_alone_is_no_address_but_a_street_address_is() -> None:
    assert screen("Je vis à Nancy depuis dix ans, le diabète m'a suivi.").personal == ()
    assert screen("Je suis allée à Lourdes cet été avec ma pompe.").personal == ()
    found = screen("Passez me voir au 12 rue des Lilas, 54000 Nancy.").personal
    assert {f.kind for f in found} == {"address"}
