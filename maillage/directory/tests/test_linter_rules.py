"""Per-rule examples of the text rules: what each one flags, and what it must leave alone.

These are the pattern tier's examples, so they lint with ``learned=False``: the learned
tier's warnings are measured on the corpora (test_linter_learned, test_linter_heldout).
"""

from __future__ import annotations

from collections.abc import Sequence

import pytest
from django.utils import translation

from maillage.directory.linter import Finding, get_rule, rules_version
from maillage.directory.linter import lint_text as lint_both_tiers


def lint_text(text: str, *, own_names: Sequence[str] = ()) -> list[Finding]:
    return lint_both_tiers(text, own_names=own_names, learned=False)


def _rules(text: str) -> set[str]:
    return {f.rule for f in lint_text(text)}


POSITIVE = [
    ("L03", "Titulaire d'un DU d'échographie et d'un DIU de nutrition."),
    ("L03", "Experte en hypnose médicale."),
    ("L03", "Spécialiste en médecine esthétique."),
    ("L03", "Médecin de renommée internationale."),
    ("L04", "Le meilleur cardiologue de Nancy."),
    ("L04", "Cabinet n°1 en Lorraine."),
    ("L04", "Contrairement aux autres médecins, je prends le temps."),
    ("L04", "Best GP in town."),
    ("L05", "Résultats garantis."),
    ("L05", "Une technique 100 % efficace et sans douleur."),
    ("L05", "Painless and risk-free."),
    ("L06", "Première consultation gratuite !"),
    ("L06", "Profitez de -20 % avec le code promo ETE."),
    ("L06", "N'attendez plus, réservez vite."),
    ("L07", "Laissez-nous un avis sur Google."),
    ("L07", "« Merci docteur, je revis ! » — Mme D."),
    ("L07", "Noté 4,9/5 ★★★★★"),
    ("L08", "Aucune plainte en vingt ans."),
    ("L08", "Taux de réussite de 98 %."),
    ("L08", "Zero complications."),
    ("L09", "Faites un check-up complet chaque année, même sans symptôme."),
    ("L09", "IRM corps entier pour tous."),
    ("L10", "Une méthode révolutionnaire, scientifiquement prouvée."),
    ("L10", "Cure détox pour éliminer les toxines."),
    ("L11", "Photos avant/après de mes patientes."),
    ("L11", "Merci à Mme Jeanne Moreau, née le 12/03/1975."),
    ("L12", "Sponsorisé par les laboratoires Servier."),
    ("L12", "Affiliate links below."),
    ("L16", "Les ostéopathes sont des charlatans."),
    ("L16", "Certains confrères expédient leurs patients."),
    ("L17", "Retrouvez ma boutique en ligne de compléments alimentaires."),
    ("L17", "I sell supplements at the practice, visit my online shop."),
    # Generalised patterns: proximity, paraphrase, typing errors, the profile rules in words.
    ("L01", "Le numéro RPPS est communiqué uniquement sur demande."),
    ("L01", "Je ne donne pas mon numéro de téléphone, écrivez-moi sur Facebook."),
    ("L02", "Honoraires : me consulter."),
    ("L02", "Les dépassements ne sont pas affichés, demandez au secrétariat."),
    ("L03", "Praticienne certifiée en naturopathie par l'Institut."),
    ("L03", "Considéré comme une pointure de la chirurgie du genou."),
    ("L04", "Mes délais sont bien plus courts que ceux des autres cabinets du quartier."),
    ("L04", "Nul autre centre ne vous accueillera aussi vite."),
    ("L04", "Élu meilleur généraliste de la ville par les lecteurs du journal."),
    ("L04", "Le meileur cardiologue de Nancy."),
    ("L04", "La meilleure prise en charge du diabète de tout le département."),
    ("L05", "Résultat garentie."),
    ("L05", "Vos rides ne seront bientôt plus qu'un mauvais souvenir."),
    ("L05", "Une reprise du sport assurée en dix jours."),
    ("L06", "La troisième injection vous est offerte."),
    ("L06", "Réglez votre forfait en quatre fois sans frais."),
    ("L07", "Beaucoup de patientes m'écrivent pour me remercier."),
    ("L07", "Ce que m'a confié une patiente : « je revis »."),
    ("L08", "Pas une seule infection en douze ans de bloc."),
    ("L08", "Neuf patients sur dix ressortent satisfaits."),
    ("L09", "Une échographie tous les six mois pour tout le monde, on ne sait jamais."),
    ("L10", "Cette cure régénère le cartilage abîmé."),
    ("L10", "La biorésonance révèle vos carences cachées."),
    ("L12", "Les montres connectées que je conseille sont en vente sur le site du fabricant."),
    ("L13", "Fiche rédigée par l'agence de communication de la clinique."),
    ("L13", "Le Dr Petit n'a pas encore validé cette présentation."),
    ("L14", "Annonce sponsorisée."),
    ("L14", "Avec l'abonnement Premium, votre fiche remonte en tête de liste."),
    ("L15", "En cas d'urgence, envoyez un courriel au secrétariat."),
    ("L16", "La plupart des dermatologues expédient leurs patients en cinq minutes."),
    ("L17", "Location de mes chambres d'hôtes : renseignements au cabinet."),
    ("L08", "Taux d'infection quasi nul depuis dix ans."),
    ("L15", "Urgences : venez directement au cabinet."),
    ("L16", "Vos anciens médecins vous ont laissé tomber ? Pas moi."),
    ("L01", "Coordonnées non publiées, envoyées après confirmation."),
    ("L02", "Le prix dépend de la zone traitée."),
    ("L16", "Les naturopathes sont des marchands de rêve."),
    ("L08", "Jamais une patiente n'a déposé plainte."),
    ("L14", "Ce cabinet apparaît en priorité dans les résultats."),
    ("L01", "Le numéro RPPS n'est pas communiqué."),
]

NEGATIVE = [
    ("L03", "DES de médecine générale, capacité de médecine du sport."),
    ("L03", "Cardiologue, spécialiste en cardiologie et maladies vasculaires."),
    ("L03", "Expert près la cour d'appel de Nancy ; téléexpertise possible."),
    ("L03", "CABINET DU DR MARTIN, OUVERT DU LUNDI AU VENDREDI."),
    ("L04", "Une meilleure prise en charge et une meilleure coordination."),
    ("L04", "Soins de premier recours ; première consultation de 30 minutes."),
    ("L04", "Le mieux est d'appeler le cabinet. Fermeture exceptionnelle en août."),
    ("L04", "We follow best practice and do our best."),
    ("L05", "Confidentialité garantie. Prise en charge à 100 % (ALD)."),
    ("L05", "Aucun geste n'est sans risque ; l'examen est le plus souvent sans douleur."),
    ("L05", "Accompagnement à l'arrêt définitif du tabac."),
    ("L06", "Parking gratuit, tiers payant, consultation sans rendez-vous."),
    ("L06", "Promotion de la santé ; offre de soins du territoire."),
    ("L06", "Réduction des fractures et réduction des risques."),
    ("L07", "Avis spécialisé sur demande ; second avis chirurgical."),
    ("L07", "Ce profil n'affiche ni avis ni note de patients."),
    ("L07", "Maison de santé de l'Étoile."),
    ("L08", "En cas de complication, appelez le cabinet."),
    ("L08", "Pour déposer une plainte, adressez-vous à l'Ordre."),
    ("L09", "Dépistage organisé du cancer colorectal entre 50 et 74 ans."),
    ("L09", "Suivi annuel des patients diabétiques : fond d'œil et bilan rénal."),
    ("L10", "Vaccination HPV recommandée de 11 à 14 ans (HAS, 2019)."),
    ("L10", "Nouvelle adresse du cabinet à partir de septembre."),
    ("L11", "Dr Claire Fontaine, médecin généraliste à Nancy, avec le Dr Martin."),
    ("L11", "Je vous reçois avant et après l'intervention."),
    ("L11", "Maladie de Crohn, syndrome de Guillain-Barré."),
    ("L12", "Déclaration publique d'intérêts sur la base Transparence Santé (essai Sanofi)."),
    ("L12", "Aucune publicité sur ce profil."),
    ("L16", "Les antibiotiques ne servent à rien contre les virus."),
    ("L16", "Je travaille en bonne entente avec les confrères du secteur."),
    ("L17", "Méfiez-vous des compléments alimentaires vendus sur internet."),
    ("L17", "Aucun produit n'est vendu au cabinet."),
    ("L01", "Adresse, téléphone et numéro RPPS figurent en haut de cette page."),
    ("L01", "Le code de la porte est donné lors de la prise de rendez-vous."),
    ("L02", "Honoraires affichés au cabinet et sur ce profil ; devis remis avant tout acte."),
    ("L02", "Pas de dépassement d'honoraires."),
    ("L03", "Diplômé en médecine générale, qualifié en gériatrie."),
    ("L04", "Les génériques sont aussi efficaces que les médicaments de marque."),
    ("L04", "Plus tôt on consulte, meilleur est le pronostic."),
    ("L05", "Aucun traitement ne garantit la guérison ; certains résultats demandent du temps."),
    ("L05", "Je ne peux pas vous promettre de résultat."),
    ("L06", "Le bilan de santé de l'Assurance maladie est gratuit."),
    ("L06", "N'hésitez pas à demander un devis."),
    ("L07", "Les patients disent souvent avoir peur de l'examen : je prends le temps d'expliquer."),
    ("L08", "Il n'y a pas de complication grave attendue après une infiltration."),
    ("L08", "Une femme sur huit sera touchée par un cancer du sein."),
    ("L09", "Fond d'œil chaque année pour les patients diabétiques."),
    ("L10", "L'efficacité de l'homéopathie n'est pas démontrée."),
    ("L12", "Je conseille le matériel que vous préférez, sans marque imposée."),
    ("L13", "Profil rédigé par le Dr Petit ; rendez-vous gérés par le secrétariat de la clinique."),
    ("L14", "Ce profil n'est pas sponsorisé : l'annuaire classe par distance."),
    ("L14", "La CPTS met en avant la vaccination."),
    ("L15", "En cas d'urgence, appelez le 15 ; pour un conseil, laissez un message."),
    ("L15", "Pendant mes congés, le Dr Roy assure les consultations."),
    ("L16", "Les erreurs de prise de médicaments sont fréquentes chez les personnes âgées."),
    ("L17", "Les médicaments en vente libre ne remplacent pas une consultation."),
    ("L04", "La meilleure arme contre la grippe reste le vaccin."),
    ("L04", "Le meilleur traitement de la lombalgie aiguë est de rester actif."),
    ("L14", "Un annuaire sans classement payant."),
    ("L06", "Consultations gratuites au service de santé universitaire."),
    ("L09", "Toutes les femmes de 50 à 74 ans sont invitées à une mammographie tous les deux ans."),
    ("L04", "Centre de référence des maladies rares, labellisé par le ministère."),
    ("L12", "Les vaccins sont disponibles en pharmacie sur prescription."),
    (
        "L07",
        "Maison de santé des Trois Étoiles ; nous réévaluons votre traitement à chaque visite.",
    ),
    ("L07", "We review your treatment at every visit."),
]


@pytest.mark.parametrize(("rule", "text"), POSITIVE)
def test_rule_flags_its_examples(rule: str, text: str) -> None:
    assert rule in _rules(text)


@pytest.mark.parametrize(("rule", "text"), NEGATIVE)
def test_rule_leaves_ordinary_medical_text_alone(rule: str, text: str) -> None:
    assert rule not in _rules(text)


ORDINARY_FRENCH = [
    "une meilleure prise en charge",
    "premier recours",
    "avis spécialisé",
    "parking gratuit",
    "confidentialité garantie",
    "soins de premier recours",
    "consultation sans rendez-vous",
    "téléconsultation",
    "prise en charge à 100 % (ALD)",
    "tiers payant",
    "le mieux est d'appeler le cabinet",
    "meilleure coordination",
]


@pytest.mark.parametrize("phrase", ORDINARY_FRENCH)
def test_the_issue_phrases_raise_nothing(phrase: str) -> None:
    assert lint_text(f"Au cabinet : {phrase}.") == []


def test_offsets_point_at_the_flagged_words() -> None:
    text = "Bonjour. Le meilleur cardiologue de Nancy vous reçoit."
    (finding,) = lint_text(text)
    assert finding.rule == "L04"
    assert finding.severity == "error"
    # The claim with its scope: "de Nancy" is what makes it a ranking.
    assert text[finding.start : finding.end] == "Le meilleur cardiologue de Nancy"


def test_offsets_hold_with_accents_ligatures_and_typographic_quotes() -> None:
    text = "Cœur, œdème, l\u2019équipe \u2014 « Résultats garantis »."
    (finding,) = lint_text(text)
    assert text[finding.start : finding.end] == "Résultats garantis"


def test_a_typing_error_is_mended_and_the_finding_points_at_what_was_typed() -> None:
    text = "Bonjour, résulat garenti dès la première fois."
    (finding,) = lint_text(text)
    assert finding.rule == "L05"
    assert text[finding.start : finding.end] == "résulat garenti"


def test_a_word_at_one_error_from_two_lexicon_words_or_protected_is_left_alone() -> None:
    assert lint_text("Merci de patienter en salle d'attente ; cas complexe.") == []


def test_a_negation_before_a_claim_silences_a_negatable_rule_only() -> None:
    assert "L06" not in _rules("Il n'y a aucune consultation gratuite au cabinet.")
    # L08 is about negations: "aucune plainte" stays a claim.
    assert "L08" in _rules("Je n'ai reçu aucune plainte.")
    # An urging imperative is no denial.
    assert "L07" in _rules("N'hésitez pas à laisser un avis sur Google.")


def test_a_proximity_pattern_does_not_bridge_a_negation() -> None:
    assert "L14" not in _rules("Votre profil ne sera jamais sponsorisé.")
    assert "L14" in _rules("Votre profil sera sponsorisé.")


def test_the_doctors_own_name_is_not_a_patient() -> None:
    text = "Claire Fontaine vous reçoit. J'ai soigné Paul Durand."
    flagged = [text[f.start : f.end] for f in lint_text(text) if f.rule == "L11"]
    assert flagged == ["Paul Durand"]
    own = lint_text(
        "Je suis Claire Fontaine ; Claire Fontaine vous reçoit.", own_names=["Claire", "Fontaine"]
    )
    assert [f for f in own if f.rule == "L11"] == []


def test_a_nir_and_a_date_of_birth_are_flagged_but_not_an_installation_date() -> None:
    text = "Installée le 1er septembre 2012. Patient né le 12/03/1975, NIR 2 75 03 54 395 042 17."
    flagged = {text[f.start : f.end] for f in lint_text(text) if f.rule == "L11"}
    assert "12/03/1975" in flagged
    assert any("395 042" in span for span in flagged)
    assert "1er septembre 2012" not in flagged


def test_the_doctors_phone_and_address_are_not_findings() -> None:
    text = "Cabinet au 12 rue des Carmes, 54000 Nancy. Tél. 03 83 12 34 56. RPPS 10005173140."
    assert lint_text(text) == []


def test_specialist_of_an_ordre_specialty_is_fine_and_of_anything_else_is_a_warning() -> None:
    assert lint_text("Spécialiste en pédiatrie.") == []
    (finding,) = lint_text("Spécialiste du sommeil.")
    assert (finding.rule, finding.severity) == ("L03", "warning")


def test_messages_follow_the_active_language() -> None:
    with translation.override("fr"):
        french = lint_text("Résultats garantis.")[0].message
    with translation.override("en"):
        english = lint_text("Résultats garantis.")[0].message
    assert "garantir" in french
    assert "guarantee" in english


def test_rule_info_and_version() -> None:
    with translation.override("fr"):
        rule = get_rule("L04")
    assert rule.source.startswith("R.4127-19-1")
    assert rule.severity == "error"
    assert rules_version()


def test_empty_text_has_no_finding() -> None:
    assert lint_text("   ") == []
