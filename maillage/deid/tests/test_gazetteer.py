"""The commune gazetteer: towns named alone are addresses, care sites and words are not.

Examples are made up for these tests, none from the held-out halves.
"""

from __future__ import annotations

import pytest

from maillage.deid.gazetteer import find_town_addresses, town_key
from maillage.deid.patterns import find_addresses


def _towns(text: str) -> list[str]:
    return [text[c.start : c.end] for c in find_town_addresses(text)]


@pytest.mark.parametrize(
    ("text", "town"),
    [
        ("Son gendre, garagiste à Quimperlé, l'accompagne.", "Quimperlé"),
        ("Médecin traitant : Dr Astruc, Saint-Gervais-sur-Mare.", "Saint-Gervais-sur-Mare"),
        ("Hélitreuillé depuis Camopi hier soir.", "Camopi"),
        ("Elle passe l'été à St-Cyprien chez sa sœur.", "St-Cyprien"),
        ("Ancien boulanger de Clermont-l'Hérault.", "Clermont-l'Hérault"),
        ("Retour au domicile, au Conquet, samedi.", "Conquet"),
        ("Il est né à Toul en 1948.", "Toul"),
        ("arrivée d'Eu ce matin par le VSL", "Eu"),
        ("Sa fille vit à Nancy.", "Nancy"),
        ("Elle vit à Florac depuis dix ans.", "Florac"),  # Florac Trois Rivières
        ("RETOUR À DOMICILE — LAMASTRE", "LAMASTRE"),
    ],
)
def test_a_town_named_alone_is_an_address(text: str, town: str) -> None:
    assert town in _towns(text)


@pytest.mark.parametrize(
    "text",
    [
        "Transfert au CHU de Brest pour coronarographie.",
        "Hospitalisé au centre hospitalier de Lons-le-Saunier.",
        "Opérée à Bordeaux en 2019, suivie à Bordeaux depuis.",
        "Évacuation vers Cayenne par hélicoptère.",
        "La clinique Saint-Augustin a refusé.",
        "Externe à la faculté de Brest.",
        "Cheville gauche douloureuse. Charmes et promesses de l'été.",
        "Mme Laval et le Dr Fontaine sont d'accord.",
        "La fille de Nancy Martin est venue.",
        "IgE totales à 800 kUI/L.",
        "Scintigraphie : Deauville 4.",
        "Réponse partielle, ECG normal, EFR demandées.",
        "Originaire de la Réunion, il parle créole.",
    ],
)
def test_care_sites_words_and_persons_are_not_addresses(text: str) -> None:
    assert _towns(text) == []


def test_a_word_that_is_a_commune_needs_a_cue() -> None:
    assert _towns("Vire au rouge à l'effort.") == []
    assert _towns("Il habite Vire depuis peu.") == ["Vire"]


def test_town_key_folds_accents_hyphens_and_saint() -> None:
    assert town_key("St-Étienne-de-Montluc") == town_key("Saint Etienne de Montluc")
    assert town_key("Clermont-l\u2019Hérault") == "clermont l herault"


@pytest.mark.parametrize(
    ("text", "address"),
    [
        ("Famille domiciliée village Taluen, sur le haut Maroni.", "village Taluen"),
        ("Il vit au village de Mtsahara avec ses parents.", "village de Mtsahara"),
        ("Il habite le lieu-dit Kerbiriou depuis 1990.", "lieu-dit Kerbiriou"),
        ("Je vis toujours Le Bois-Joli, 35190 Québriac.", "Le Bois-Joli"),
        (
            "Dr Anne Roy\nMaison de santé des Trois Vallées\n12 rue Haute",
            "Maison de santé des Trois Vallées",
        ),
    ],
)
def test_villages_hamlets_and_practices(text: str, address: str) -> None:
    assert address in [text[c.start : c.end] for c in find_addresses(text)]


@pytest.mark.parametrize(
    ("text", "town"),
    [
        ("Ancien facteur, il vit toujours à Bâgé-la-Ville.", "Bâgé-la-Ville"),
        ("Adressée par le Dr Ruel, Équeurdreville-Hainneville.", "Équeurdreville-Hainneville"),
    ],
)
def test_a_former_commune_is_an_address(text: str, town: str) -> None:
    assert _towns(text) == [town]


def test_a_town_abroad_is_an_address_after_a_location_cue() -> None:
    assert _towns("Mécanicien frontalier, il travaille à Differdange.") == ["Differdange"]
    assert _towns("Elle habite Allschwil depuis son mariage.") == ["Allschwil"]
    # Alone, or in a hospital's name, it is no patient's address.
    assert _towns("Bilan fait aux Hôpitaux universitaires de Lausanne.") == []
    assert _towns("Sarrebruck : pas de lit disponible.") == []
    # A country is no address.
    assert _towns("Il travaille au Luxembourg depuis dix ans.") == []


@pytest.mark.parametrize(
    "text",
    [
        "Une sonde de gastrostomie posée à Quimper l'an dernier.",
        "Toujours des douleurs, faut-il l'emmener à Vannes ?",
        "Pour la coronarographie, plutôt qu'à Brest, elle préfère aller à Lorient.",
        "Le bloc de Dinan est fermé : Lannion ou Morlaix ?",
    ],
)
def test_a_town_reached_for_care_in_a_care_sentence_is_a_care_site(text: str) -> None:
    assert _towns(text) == []


@pytest.mark.parametrize(
    ("text", "town"),
    [
        ("Ce week-end on doit aller à Vannes ?", "Vannes"),
        ("Elle vit à Quimper, opérée de la hanche en mai.", "Quimper"),
    ],
)
def test_a_town_reached_without_care_or_where_one_lives_is_an_address(text: str, town: str) -> None:
    assert _towns(text) == [town]


def test_a_commune_with_a_ligature_is_found_when_typed_without_it() -> None:
    from maillage.deid.text import scrub

    assert "Hoerdt" not in scrub("Il habite à Hoerdt depuis 2019, suivi pour une BPCO.").text


# Sixth round (README.md, half G): examples from no half.
@pytest.mark.parametrize(
    ("text", "town"),
    [
        ("Il vit entre Saint-Omer et Poperinge.", "Poperinge"),  # "et" after a place found
        ("Suivie par le Dr Larrieu à Mauléon-Licharre depuis des années.", "Mauléon-Licharre"),
        ("Médecin adresseur : Dr Combe, Charmes", "Charmes"),  # a word-like commune
        ("Il joue au club de Sarrelouis le dimanche.", "Sarrelouis"),  # abroad after "de"
        ("malaise au boulot à Thionville, ramené par un collègue", "Thionville"),
        ("il a fait une chute en cueillant des pommes à Moissac, douleur du poignet", "Moissac"),
    ],
)
def test_sixth_round_town_cues(text: str, town: str) -> None:
    assert town in _towns(text)


def test_a_first_name_abroad_after_de_is_a_person() -> None:
    assert _towns("la fille de Florence") == []


def _places(text: str, place: str) -> list[str]:
    start = text.index(place)
    found = find_town_addresses(text, [(start, start + len(place))])
    return [text[c.start : c.end] for c in found]


@pytest.mark.parametrize(
    ("text", "place"),
    [
        ("Moniteur de ski à Les Ménuires pour la saison.", "Les Ménuires"),
        ("en vacances à Bréhat, piqûre de vive", "Bréhat"),
        ("marin à bord, domicilié à Le Palais", "Le Palais"),
        ("travaille au port de Zeebrugge", "Zeebrugge"),
    ],
)
def test_places_the_model_finds_after_a_cue_are_addresses(text: str, place: str) -> None:
    assert place in _places(text, place)


@pytest.mark.parametrize(
    ("text", "place"),
    [
        ("Transféré à l'hôpital de Val Thorens Santé.", "Val Thorens Santé"),  # care site
        ("Elle part vivre en Espagne.", "Espagne"),  # a country
        ("Artéméther (Coartem) 3 jours", "Coartem"),  # a parenthesis is no cue
        ("Vu au CeGIDD hier.", "CeGIDD"),  # a code
        ("Opérée à Montsouris Clinique.", "Montsouris Clinique"),  # care destination
    ],
)
def test_places_the_model_finds_without_a_cue_or_as_care_sites_stay(text: str, place: str) -> None:
    assert place not in _places(text, place)


# Eighth round (README.md): examples from no half.
def test_the_town_of_a_primary_care_professional_named_after_a_doctor_is_an_address() -> None:
    assert _towns("Suivie par le Dr Caradec, médecin généraliste à Landivisiau.") == ["Landivisiau"]


def test_a_postcode_and_a_commune_typed_in_lower_case_are_an_address() -> None:
    assert _towns("on a déménagé au 4 rue du stade, 86100 châtellerault") == ["86100 châtellerault"]
    assert _towns("3 allée des pins\n33000 bordeaux") == ["33000 bordeaux"]
    # A commune that is a common word needs the postcode to follow a comma or open a line.
    assert _towns("numération 10000 ufc, puis 33000 bordeaux à boire") == []
