"""Twelfth round: names and medical terms kept (handles, forms, months, brackets, products).

Every sentence here was written for these tests; none is copied from a held-out half.
"""

from __future__ import annotations

import pytest

from maillage.deid import learned, lexicon, names
from maillage.deid.patterns import Candidate
from maillage.deid.text import scrub


def _names(text: str) -> list[str]:
    return [text[f.start : f.end] for f in scrub(text).findings if f.kind == "name"]


def _rule_names(text: str) -> list[str]:
    return [text[c.start : c.end] for c in names.find_rule_names(text)]


def _kept(text: str, term: str) -> bool:
    return scrub(text).text.count(term) == text.count(term)


# Handles, usernames and the slugs of profile addresses.


@pytest.mark.parametrize(
    ("text", "handle"),
    [
        ("@Doc_Ferrand tu as raison pour la metformine", "Doc_Ferrand"),
        ("Re: vertiges\nDrMaillard31 : une VNG d'abord", "DrMaillard31"),
        ("Réponse de docteurAnnie44 : pas de bilan", "docteurAnnie44"),
        ("MarcoIDE38 : la plaie bourgeonne", "MarcoIDE38"),
        ("son pseudo est thierry_v_31 sur le forum", "thierry_v_31"),
        ("identifiant : helene.b77, mot de passe envoyé", "helene.b77"),
        ("compte @mireille.dufour_officiel signalé", "mireille.dufour_officiel"),
    ],
)
def test_a_handle_holding_a_name_or_a_title_is_a_name(text: str, handle: str) -> None:
    assert handle in _rule_names(text)


def test_a_colleague_cited_in_a_case_discussion_is_no_handle_to_remove() -> None:
    # "@Lefort" is how a doctor cites a colleague (cases.services.MENTION notifies them);
    # a handle glued to other parts stays a person's.
    text = "Avis de @Lefort ? La patiente écrit sous @nadia_b_93 sur le forum."
    assert "@Lefort" in scrub(text).text
    assert "nadia_b_93" in _rule_names(text)


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("profil : https://www.linkedin.com/in/mathilde-carrel-3f09c2/", "mathilde-carrel-3f09c2"),
        ("rdv via https://prise-rdv.example.fr/kine/lyon/olivier-de-la-tour", "olivier-de-la"),
        ("fiche : annuaire.example.org/pros/docteur-pascal-roux-toulouse", "pascal-roux"),
    ],
)
def test_a_name_in_a_web_address_slug_is_a_name(text: str, name: str) -> None:
    found = _rule_names(text)
    assert any(name in f or f in name for f in found), found


@pytest.mark.parametrize(
    "text",
    [
        "HbA1c 7,2 %, NT-proBNP 1850 pg/mL, SARS-CoV-2 négatif, Covid19 ancien",
        "anti-TNF arrêté, peut-être, c'est-à-dire, vit-elle seule, Anti-SSA positifs",
        "score CHA2DS2-VASc 3, O2 2L, x2 par jour, IgG4 normales, T4L 14",
        "lien : https://www.example.fr/sante/hypertension-arterielle-2024",
        "jean-pierre a appelé",  # a hyphenated first name in prose is not a slug
    ],
)
def test_codes_compound_words_and_plain_links_are_no_handle(text: str) -> None:
    assert names._handle_names(text) == []


# Forms: labels typed close together, accents left out, "(e)".


def test_a_label_right_after_a_name_is_read_again() -> None:
    text = "NOM : OUATTARA  Prénom : Mariam\nNée le : 02/02/1990"
    assert {"OUATTARA", "Mariam"} <= set(_rule_names(text))


def test_a_label_word_ends_the_name_before_it() -> None:
    text = "NOM : BERTIN          PRENOM : LUCIE\nSEXE : F"
    found = _rule_names(text)
    assert "BERTIN" in found
    assert "LUCIE" in found
    assert not any("PRENOM" in f for f in found)


def test_a_feminine_mark_after_the_label_still_labels() -> None:
    assert "FERREIRA ANA" in _rule_names("ASSURE(E) : FERREIRA ANA DDN 01/01/1960")


def test_a_model_person_stops_at_its_line() -> None:
    text = "Nom, prénom : GARNIER Paul\nIdentifiant : 10101010101"
    spans = [(text.index("Paul"), text.index("Identifiant") + len("Identifiant"), 0.85)]
    kept = names.filter_ner_names(text, spans, [])
    assert [text[c.start : c.end] for c in kept] == ["Paul"]


def test_the_learned_model_persons_are_cut_at_line_breaks() -> None:
    text = "Patient : Marc\nDate : hier"
    start = text.index("Marc")
    assert learned._lines(text, start, len(text)) == [
        (start, start + 4),
        (text.index("Date"), len(text)),
    ]


# Months and the few listed words that are surnames.


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Madame Juin Moreau, née le 03/04/1988, est revue.", "Juin Moreau"),
        ("la maman (Nadia Février) accompagne l'enfant", "Nadia Février"),
        ("Mme Trần Thị Mai, 77 ans, chute au domicile", "Trần Thị Mai"),
        ("De : Béatrice Vidal\nObjet : résultats", "Béatrice Vidal"),
    ],
)
def test_a_month_or_a_listed_word_is_a_surname_after_a_title_or_a_first_name(
    text: str, name: str
) -> None:
    assert name in _names(text)


def test_a_month_in_a_date_stays_a_date_and_the_dictionary_stays() -> None:
    text = "Vu le 3 Avril 2026 ; posologie vérifiée dans le Vidal."
    assert _names(text) == []
    assert "Vidal" in scrub(text).text


# Married names, brackets, lists, initials.


def test_a_married_or_widow_name_is_a_name() -> None:
    assert "Berthon" in _rule_names("sa sœur Odile (épouse Berthon) vient le soir")
    assert "Castagné" in _rule_names("Défunte : Marthe Roussel veuve Castagné")


def test_a_name_in_another_script_or_its_initials_in_brackets_follow_it() -> None:
    assert "李娜" in _names("Patiente : Mme Na LI (李娜), née en Chine")
    text = "rappel pour M. Jean Marc Delmas (J. M. D.), résultats attendus"
    name = Candidate(text.index("Jean"), text.index(" ("), "name", 0.9)
    found = [text[c.start : c.end] for c in names.adjacent_names(text, [name])]
    assert "J. M. D." in found


def test_the_rest_of_a_bracketed_list_of_names_follows_its_first() -> None:
    text = "Les petits-enfants (Julien, Kamaria et Zawadi) passent le dimanche."
    assert {"Julien", "Kamaria", "Zawadi"} <= set(_names(text))


def test_a_bracketed_list_of_drugs_is_no_list_of_names() -> None:
    text = "Sortie sous trithérapie (Julien ne l'a pas) ; traitement (Doliprane, Xarelto)."
    assert "Xarelto" not in _names(text)
    assert "Doliprane" not in _names(text)


def test_initials_with_an_age_an_initial_after_a_lower_case_title() -> None:
    assert "R. B." in _rule_names("R. B., 16 ans, adressé par l'ASE")
    assert "L." in _rule_names("bilan de mme L., 60 ans :")
    assert _rule_names("vitamine D 30 ng/mL, 45 ans") == []


def test_an_abbreviated_first_name_before_a_surname() -> None:
    assert "Ph. Castellani" in _rule_names("Ph. Castellani, kiné, 06 00 00 00 00")
    assert _rule_names("Ch. 12 : patient stable") == []


def test_an_e_mail_part_of_three_letters_beside_a_first_name_is_a_surname() -> None:
    text = "Copie : Isabelle Roy, isabelle.roy@example.fr"
    assert "Isabelle Roy" in _names(text)


# Lower case: a surname after a lower-case title where only a person stands, nicknames.


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("c mme ouldali la voisine du 3e", "ouldali"),
        ("sa kiné mme lassagne passe le mardi", "lassagne"),
        ("le fils a mr combescure a appelé", "combescure"),
        ("mon patient m. parkinson (sans rire) tremble", "parkinson"),
    ],
)
def test_a_lower_case_surname_after_a_cue_and_a_title(text: str, name: str) -> None:
    assert name in _rule_names(text)


@pytest.mark.parametrize(
    "text",
    [
        "c'est mme qui a appelé hier",
        "sa fille mme est venue",
        "le fils de mme dit que tout va bien",
        "la maladie de parkinson de mr avance",
    ],
)
def test_no_surname_after_a_cue_and_a_title_without_a_name(text: str) -> None:
    assert names._lower_titled_after_cue(text) == []


def test_a_doubled_syllable_after_a_kin_word_is_a_nickname() -> None:
    assert "jojo" in _rule_names("c la fille a jojo, il tousse")
    assert _rule_names("la fille a papa est là") == []


# Medical terms kept: eponyms, products, scales; pets are no persons.


@pytest.mark.parametrize(
    ("text", "term"),
    [
        ("Douleur plantaire : névrome de Morton probable.", "Morton"),
        ("Adénopathie sus-claviculaire : ganglion de Troisier.", "Troisier"),
        ("Pied chaud et déformé : arthropathie de Charcot.", "Charcot"),
        ("Bilirubine libre isolée : syndrome de Gilbert.", "Gilbert"),
        ("Biopsie : focus score 3 (Chisholm et Mason grade 4).", "Chisholm"),
    ],
)
def test_eponyms_are_kept(text: str, term: str) -> None:
    assert _kept(text, term)


def test_a_lone_first_name_after_maladie_is_still_the_person() -> None:
    assert "Lucas" in _names("La maladie de Lucas inquiète ses parents.")


def test_the_patient_named_like_an_eponym_keeps_the_eponym() -> None:
    text = "M. Henri Charcot, 70 ans, sans arthropathie de Charcot."
    result = scrub(text)
    assert "arthropathie de Charcot" in result.text
    assert "Henri" not in result.text


@pytest.mark.parametrize(
    ("text", "term"),
    [
        ("Vaccins Vaxelis et Prevenar 20 faits ce jour.", "Prevenar"),
        ("Nirsévimab : Beyfortus fait à la maternité.", "Beyfortus"),
        ("Pansement Allevyn Life changé, plaie propre.", "Allevyn Life"),
        ("Préparation Plenvu la veille de la coloscopie.", "Plenvu"),
        ("Chimiothérapie FOLFIRINOX cure 2.", "FOLFIRINOX"),
        ("Évaluation AGGIR : GIR 3.", "AGGIR"),
        ("Traitement : Ropinirole 0,25 mg le soir.", "Ropinirole"),
    ],
)
def test_products_regimens_and_scales_are_kept(text: str, term: str) -> None:
    assert _kept(text, term)


def test_a_capitalised_product_range_after_a_product_noun_is_no_person() -> None:
    text = "Pansement Cicatrix Douceur posé sur le talon."
    spans = [(text.index("Cicatrix"), text.index(" posé"), 0.85)]
    assert names.filter_ner_names(text, spans, []) == []


def test_a_pet_is_no_person() -> None:
    text = "Attention au chien Brutus dans la cour ; son fils Didier Fabre répond."
    found = _names(text)
    assert "Brutus" not in found
    assert any("Didier" in f for f in found)


def test_new_list_entries_are_no_public_first_name_or_surname() -> None:
    # A product or an eponym that is also a listed person's name would be dropped where it
    # is a person: the lists must not meet.
    from maillage.deid import public_names

    people = public_names.FIRST_NAMES | public_names.SURNAMES | lexicon.FIRST_NAMES
    assert not (lexicon.PRODUCTS & people)


# Forms typed or scanned: capitals, cut words, initials signing, labels between fields.


def test_a_name_cut_at_a_line_end_keeps_its_rest() -> None:
    text = "Objet : M. LEFRANC Gé-\nrard, né le 02/02/1950"
    assert "rard" in _names(text)
    text = "concernant M. ROUX (Mar-\ntine), hospitalisée"
    assert "Mar-\ntine" in _names(text)


def test_a_full_name_signing_by_its_initials() -> None:
    text = "De : Hélène Marchand\nObjet : staff\nD'accord pour jeudi. HM"
    assert "HM" in _names(text)


def test_initials_of_a_name_are_no_name_inside_a_sentence() -> None:
    text = "Patiente : Mme Catherine Roche\nCR opératoire joint."
    assert "CR" not in _names(text)


def test_a_particle_in_capitals_before_a_short_surname() -> None:
    text = "LE DUC\tMarcel\t12/12/1930\tRAS"
    assert any(f.startswith("LE DUC") for f in _rule_names(text))


def test_anti_and_labels_in_capitals_are_no_name() -> None:
    assert names._is_weak_word("ANTI-XA")
    assert names._is_weak_word("anti-TPO")
    assert names._is_weak_word("EPOUSE")
    assert not names._is_weak_word("DUPUIS")


def test_a_word_after_a_field_separator_before_a_colon_is_a_label() -> None:
    text = "Tél. : 03 00 00 00 00   Fax : 03 00 00 00 01"
    span = (text.index("Fax"), text.index("Fax") + 3)
    assert names._is_label(text, span)


def test_a_lone_unknown_word_opening_a_line_before_lower_case_is_no_person() -> None:
    text = "Mme Odile Perrin\nLunettes progressives : OD +1\nSurveiller la tension"
    spans = [(text.index("Surveiller"), text.index("Surveiller") + 10, 0.85)]
    assert names.filter_ner_names(text, spans, []) == []
    text = "Compte rendu.\nMartine est passée ce matin."
    spans = [(text.index("Martine"), text.index("Martine") + 7, 0.85)]
    assert len(names.filter_ner_names(text, spans, [])) == 1


def test_an_e_mail_owner_in_a_web_address() -> None:
    text = "kiné | paul.lemarchand.kine@example.com | www.kine-lemarchand-nantes.fr"
    assert "lemarchand" in _rule_names(text)


def test_the_learned_model_address_holding_a_dose_is_refused() -> None:
    text = "Conduite : O2 3L, gaz du sang, ECG, je passe"
    start = text.index("O2")
    assert learned._address(text, start, len(text), []) is None


def test_the_learned_model_address_ends_with_its_sentence_before_medicine() -> None:
    text = "Malaise sur l'aire de Saint-Rambert de l'A7. Embolie pulmonaire au scanner."
    start = text.index("Saint-Rambert")
    span = learned._address(text, start, len(text) - 1, [])
    assert span is not None
    assert text[span[0] : span[1]] == "Saint-Rambert de l'A7"


def test_a_lone_first_name_after_a_lesion_is_the_patient() -> None:
    assert "Lucas" in _names("Radio de contrôle : la fracture de Lucas consolide bien.")


def test_a_first_name_that_spells_an_animal_is_no_pet() -> None:
    text = "Dr Ane Etxegarai, ORL"
    assert names.eponym_regions(text) == []
    assert "Ane Etxegarai" in _names(text)
