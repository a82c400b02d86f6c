"""Rule-based recognizers for French identifiers: pure functions over the text.

Each ``find_*`` function returns :class:`Candidate` spans with offsets in the text it
was given. The Presidio wrappers in :mod:`maillage.deid.engine` call them; tests call
them directly.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Final

import phonenumbers
from django.core.exceptions import ValidationError

from maillage.core.identifiers import (
    is_valid_nir,
    luhn_ok,
    normalize_nir,
    validate_adeli,
    validate_finess,
)
from maillage.deid import lexicon
from maillage.deid.foreign_towns import COUNTRIES, COUNTRY_ENDONYMS

__all__ = [
    "Candidate",
    "find_addresses",
    "find_ages",
    "find_dates",
    "find_emails",
    "find_health_professional_ids",
    "find_nirs",
    "find_phones",
]


@dataclass(frozen=True, slots=True)
class Candidate:
    start: int
    end: int
    kind: str
    score: float


Finder = Callable[[str], list[Candidate]]

# French letters, and those of the neighbours' and migrants' place names ("Długa",
# "Kraków", "São Brás", "Núñez"), so that a foreign street or town is one word.
_UPPER: Final = "A-ZÀÂÄÇÉÈÊËÎÏÔÖÙÛÜŸÆŒÁÃÅÍÌÑÓÒÕØÚĄĆČĘĚŁŃŇŘŚŠŤŮÝŹŻŽ"
_LOWER: Final = "a-zàâäçéèêëîïôöùûüÿæœßáãåíìñóòõøúąćčęěłńňřśšťůýźżž"
_APOSTROPHES: Final = "'\u2019"
# One space, possibly non-breaking, between the parts of a number.
_SEP: Final = r"[ \u00a0\u202f.\-]"


def _before(text: str, start: int, width: int) -> str:
    return text[max(0, start - width) : start].lower().replace("\u2019", "'")


# ---------------------------------------------------------------------------
# NIR
# ---------------------------------------------------------------------------

_NIR: Final = re.compile(
    rf"""
    (?<![0-9A-Za-z])
    [1-478] {_SEP}?
    [0-9]{{2}} {_SEP}?
    (?:0[1-9]|1[0-2]|[2-9][0-9]) {_SEP}?
    (?:
        (?:[0-9]{{2}}|2[ABab]) {_SEP}? [0-9]{{3}}
      | 9[78][0-9] {_SEP}? [0-9]{{2}}   # overseas: 3-digit department, 2-digit commune
    ) {_SEP}?
    [0-9]{{3}}
    (?:{_SEP}?[0-9]{{2}})?
    (?![0-9A-Za-z])
    """,
    re.VERBOSE,
)
_NIR_CONTEXT: Final = re.compile(
    r"\b(?:nir|ins|insee|s[ée]cu(?:rit[ée] sociale)?|carte vitale|vitale|immatriculation|matricule|"
    r"n°\s*ss|num[ée]ro de s[ée]curit[ée])\b"
)


# "2 63 05 54 395 112": the NIR's own grouping, enough evidence without a keyword.
_NIR_GROUPS: Final = re.compile(
    r"[1-478][ \u00a0][0-9]{2}[ \u00a0][0-9]{2}[ \u00a0]"
    r"(?:(?:[0-9]{2}|2[ABab])[ \u00a0][0-9]{3}|9[78][0-9][ \u00a0][0-9]{2})[ \u00a0][0-9]{3}"
)


def find_nirs(text: str) -> list[Candidate]:
    """NIR with a valid key, or any NIR-shaped number next to a NIR keyword."""
    found: list[Candidate] = []
    for match in _NIR.finditer(text):
        value = normalize_nir(match.group())
        in_context = _NIR_CONTEXT.search(_before(text, match.start(), 80)) is not None
        if len(value) == 15 and is_valid_nir(value):
            found.append(Candidate(match.start(), match.end(), "nir", 0.95))
        elif in_context or (len(value) == 13 and _NIR_GROUPS.fullmatch(match.group())):
            # A mistyped key still identifies the patient.
            found.append(Candidate(match.start(), match.end(), "nir", 0.7))
    return found


# ---------------------------------------------------------------------------
# RPPS / ADELI / FINESS
# ---------------------------------------------------------------------------

_DIGITS_RUN: Final = re.compile(r"(?<![0-9A-Za-z])(?:2[ABab][0-9]{7}|[0-9]{9,12})(?![0-9A-Za-z])")
_RPPS_CONTEXT: Final = re.compile(r"\b(?:rpps|idnps|n°|no|num[ée]ro|identifiant|id)\b")
_FINESS_CONTEXT: Final = re.compile(
    r"\b(?:finess|[ée]tablissement|h[ôo]pital|clinique|ehpad|structure|centre|pharmacie|"
    r"laboratoire|maternit[ée]|ch[ru]*)\b"
)
_ADELI_CONTEXT: Final = re.compile(r"\badeli\b")
# "suivie par Mme Perrot, 759812345": a number right after a practitioner's title and name.
_PERSON_BEFORE: Final = re.compile(
    r"\b(?:dr|docteur|pr|mme|madame|m|mr|monsieur)\.?[ \u00a0]+"
    r"[\w'\u2019\-]+(?:[ \u00a0]+[\w'\u2019\-]+)?[ \u00a0]*[,:]?[ \u00a0]*$"
)
_NUMBER_CONTEXT: Final = re.compile(r"(?:\bn°|\bnum[ée]ro\b|\bno\b|\bidentifiant\b)")


# "RPPS 10 67 612 220 2": eleven digits typed in groups, taken only after the keyword.
_SPACED_RPPS: Final = re.compile(
    r"\b(?:rpps|idnps)\b[^0-9\n]{0,20}?(?P<number>[0-9](?:[ \u00a0.]?[0-9]){10})(?![0-9])",
    re.IGNORECASE,
)


def find_health_professional_ids(text: str) -> list[Candidate]:
    """RPPS (11 digits), ADELI and FINESS (9 characters) numbers.

    RPPS: a keyword nearby, or a valid Luhn key, or the "10" prefix that real numbers
    carry. ADELI and FINESS have no checksum we can trust (REGULATION §6.3-6.4), so a
    keyword must be nearby.
    """
    found: list[Candidate] = [
        Candidate(m.start("number"), m.end("number"), "rpps", 0.85)
        for m in _SPACED_RPPS.finditer(text)
        if not m.group("number").isdigit()  # unbroken runs are handled below
    ]
    for match in _DIGITS_RUN.finditer(text):
        value = match.group()
        context = _before(text, match.start(), 45)
        if len(value) == 11:
            if _RPPS_CONTEXT.search(context) or luhn_ok(value) or value.startswith("10"):
                found.append(Candidate(match.start(), match.end(), "rpps", 0.85))
        elif len(value) == 12 and value.startswith("8") and _RPPS_CONTEXT.search(context):
            found.append(Candidate(match.start(), match.end(), "rpps", 0.8))  # IDNPS
        elif len(value) == 9:
            kind = _nine_character_kind(value, context)
            if kind is not None:
                found.append(Candidate(match.start(), match.end(), kind, 0.8))
    return found


def _nine_character_kind(value: str, context: str) -> str | None:
    finess_ok = _validates(validate_finess, value)
    adeli_ok = _validates(validate_adeli, value)
    if "finess" in context and finess_ok:
        return "finess"
    if _ADELI_CONTEXT.search(context) and adeli_ok:
        return "adeli"
    if _NUMBER_CONTEXT.search(context) or "rpps" in context:
        if _FINESS_CONTEXT.search(context) and finess_ok:
            return "finess"
        if adeli_ok:
            return "adeli"
    if _PERSON_BEFORE.search(context) and adeli_ok:  # a person has no FINESS
        return "adeli"
    return None


def _validates(validator: Callable[[str], str], value: str) -> bool:
    try:
        validator(value)
    except ValidationError:
        return False
    return True


# ---------------------------------------------------------------------------
# Phone numbers and e-mail addresses
# ---------------------------------------------------------------------------

# Separators seen in typed numbers: spaces, dots, hyphens, and slashes ("06/12/34/56/78").
_PHONE_SEP: Final = r"[ \u00a0\u202f.\-/]"
_PHONE: Final = re.compile(
    rf"""
    (?<![0-9+/])
    (?:
        (?:\(?(?:\+|00)[ \u00a0]?33\)?){_PHONE_SEP}?(?:\(0\)[ \u00a0]?)?[1-9]
      | 0[1-9]
    )
    (?:(?:[ \u00a0][.\-][ \u00a0]|{_PHONE_SEP})?[0-9]{{2}}){{4}}
    (?![0-9]|/[0-9])
    """,
    re.VERBOSE,
)


# "+352 621 45 78 90", "0049 6343 912455", "+1 514 555 0199": a number dialled from
# abroad. Cross-border workers and families abroad give such numbers; their grouping
# differs by country, so libphonenumber (through Presidio's own dependency) says whether
# the digits make a possible number of the country they name.
_INTERNATIONAL_PREFIX: Final = re.compile(r"(?:\+|\b00)[ \u00a0]?[1-9]")


def _international_phones(text: str) -> list[Candidate]:
    if _INTERNATIONAL_PREFIX.search(text) is None:
        return []
    return [
        Candidate(m.start, m.end, "phone", 0.85)
        for m in phonenumbers.PhoneNumberMatcher(
            text, "FR", leniency=phonenumbers.Leniency.POSSIBLE
        )
        if m.raw_string.lstrip("(").startswith(("+", "00"))
    ]


# "portable suisse 079 456 12 34", "GSM 0470 12 34 56", "tél. 0761 123 45": a number
# grouped as another country groups it, right after a word that says it is a phone.
_CUED_NUMBER: Final = re.compile(
    r"\b(?i:t[ée]l[ée]phone|t[ée]l|tel|portable|mobile|gsm|fixe|fax|joignable(?: au)?|"
    r"appeler au|rappeler au|ligne directe|whatsapp|natel|handy)\b\.?[ \u00a0:]*"
    r"(?:(?i:[a-zéèêàç]+)[ \u00a0:]+){0,2}?"
    r"(?P<number>0[0-9]{1,4}(?:[ \u00a0.\-/][0-9]{2,4}){2,4})(?![0-9]|[.,/][0-9])"
)


def _cued_numbers(text: str) -> list[Candidate]:
    found: list[Candidate] = []
    for match in _CUED_NUMBER.finditer(text):
        digits = re.sub(r"[^0-9]", "", match.group("number"))
        if 9 <= len(digits) <= 12:
            found.append(Candidate(match.start("number"), match.end("number"), "phone", 0.8))
    return found


def find_phones(text: str) -> list[Candidate]:
    """French phone numbers, and numbers dialled from abroad or grouped the foreign way.

    0X XX XX XX XX and +33 X XX XX XX XX with . - or nothing; +352, +49, 0041 …; "natel
    076 318 22 40".
    """
    found = [Candidate(m.start(), m.end(), "phone", 0.85) for m in _PHONE.finditer(text)]
    for extra in (*_international_phones(text), *_cued_numbers(text)):
        # "+39 0184 52 31 77" holds a French-looking "0184 52 31 77": keep the longer.
        found = [c for c in found if not (extra.start <= c.start and c.end <= extra.end)]
        if all(extra.end <= c.start or c.end <= extra.start for c in found):
            found.append(extra)
    return sorted(found, key=lambda c: c.start)


# MSSanté addresses (…@*.mssante.fr) are ordinary addresses for this purpose.
_EMAIL: Final = re.compile(
    r"(?<![\w.+-])[\w.%+-]+@(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?\.)+[A-Za-z]{2,}(?![\w@])"
)


def find_emails(text: str) -> list[Candidate]:
    return [Candidate(m.start(), m.end(), "email", 1.0) for m in _EMAIL.finditer(text)]


# ---------------------------------------------------------------------------
# Postal addresses
# ---------------------------------------------------------------------------

# A capitalised word of a place name: "Lilas", "Saint-Dié-des-Vosges", "d'Arc", "NANCY".
_PLACE_WORD: Final = (
    rf"(?:[dlDL][{_APOSTROPHES}])?[{_UPPER}][{_UPPER}{_LOWER}]*"
    rf"(?:[{_APOSTROPHES}\-][{_UPPER}{_LOWER}]+)*"
)
# Street names may hold numbers: "rue du 8 Mai 1945".
_STREET_WORD: Final = rf"(?:{_PLACE_WORD}|[0-9]{{1,4}}(?![0-9]))"
_PARTICLE: Final = (
    rf"(?:de|du|des|la|le|les|au|aux|en|sur|sous|lès|lez|et|[dl][{_APOSTROPHES}](?=[{_UPPER}])"
    # The neighbours' particles: "Avenida da Liberdade", "Via dei Mille", "Laan van Meerdervoort".
    r"|da|do|dos|das|del|della|dei|di|van|von|der|den|het|zum|zur)"
)
# "des Lilas", "de la Gare", "Jeanne d'Arc", "Victor Hugo", "du Général Leclerc".
# "route du col de l'Homme Mort", "chemin du moulin de la Roche": a common noun of the
# landscape in lower case, between particles, inside a street's name.
_LANDMARK: Final = (
    r"(?:col|pont|bois|lac|moulin|pr[ée]s?|champs?|croix|fontaine|puits|four|[ée]tang|mont|val|"
    r"port|gu[ée]|ch[âa]teau|mas|clos|pic|roc|plan|c[ôo]te|chapelle|ferme|source|calvaire|"
    rf"lavoir|vallon|ruisseau|rocher|plateau)(?=[ \u00a0](?:de|du|des|d[{_APOSTROPHES}]))"
)
_STREET_NAME: Final = (
    rf"(?:(?:{_PARTICLE}|{_LANDMARK})[ \u00a0]?)*{_STREET_WORD}"
    rf"(?:[ \u00a0](?:(?:{_PARTICLE}|{_LANDMARK})[ \u00a0]?)*{_STREET_WORD}){{0,4}}"
)
_STREET_TYPE: Final = (
    r"(?i:rue|avenue|av\.?|bd\.?|boulevard|bld|chemin|ch\.|place|pl\.|all[ée]e|impasse|imp\.|"
    r"route|rte|quai|cours|square|sq\.|r[ée]sidence|faubourg|fbg|rond-point|chauss[ée]e|"
    r"sentier|voie|passage|hameau|cit[ée]|lotissement|lot\.|domaine|mont[ée]e|ruelle|"
    r"esplanade|parvis|promenade|villa|clos|mail|traverse|venelle|cour|parc|"
    # "17 allées Jean Jaurès" (a plural type), Breton "12 hent Kerhuel" (hent: way),
    # "servitude Tuhiti" (a Polynesian private way), "chenal d'Arceau" (an oyster channel).
    r"all[ée]es|hent|straed|servitude|chenal|"
    # More types of the national street-type list (FANTOIR / BAN), after a house number.
    r"sente|carrefour|corniche|descente|rocade|lev[ée]e|terrasse|terre-plein|rampe|jet[ée]e|"
    r"digue|dr[èe]ve|ruette|quartier|lieu-dit|petite[ \u00a0]rue|vieux[ \u00a0]chemin|"
    r"z\.?a\.?c?\.?|z\.?i\.?|z\.?a\.?e\.?|"
    # Abbreviations typed in letters and prescriptions: "5 r. de la Paix", "3 bvd Voltaire",
    # "17 CHEM. DES VIGNES", "8 imp des Roses", "2 all. des Tilleuls", "4 av Foch".
    r"r\.|bvd|blvd|chem\.?|che\.|all\.|imp|av|pl|crs|fg|sq|prom\.|r[ée]s\.|ham\.|rpt|mt[ée]e)"
)
# Five digits: 01xxx-95xxx, overseas departments 971xx-976xx, collectivities 98xxx.
_POSTCODE: Final = r"(?:(?:0[1-9]|[1-8][0-9]|9[0-5]|98)[0-9]{3}|97[1-6][0-9]{2})"
_CITY: Final = (
    rf"{_PLACE_WORD}(?:[ \u00a0\-](?:{_PARTICLE}[ \u00a0\-]?)*(?!(?i:cedex)\b){_PLACE_WORD}){{0,3}}"
    r"(?:[ \u00a0]+(?:CEDEX|Cedex|cedex)(?:[ \u00a0]+[0-9]{1,2})?"
    # "Lyon 2e", "Paris 15ème", "Marseille 8e arrondissement": the arrondissement.
    r"|[ \u00a0]+[0-9]{1,2}(?:e|er|ème|eme)(?:[ \u00a0]+arrondissement)?(?![\w]))?"
)
_POSTCODE_CITY: Final = rf"(?<![0-9])(?:{_POSTCODE})[ \u00a0]+{_CITY}"

# "bâtiment C, appt 12, 8 allée des Acacias"
# "3e étage", "2ème étage", "rez-de-chaussée": a floor is written before its word.
_FLOOR: Final = (
    r"(?i:(?:[0-9]{1,2}[ \u00a0]?(?:e|er|re|ère|ème|eme|è)[ \u00a0]+[ée]tage|rez-de-chauss[ée]e|rdc)"
    # "4e étage sans ascenseur, 21 rue …"
    r"(?:[ \u00a0]+(?:sans|avec)[ \u00a0]+ascenseur)?)"
)
# A box's mark: "C", "12", "4b", "droit" ("escalier droit"), a whole word.
_BOX_MARK: Final = r"(?:(?i:droite?|gauche|fond|centre)|[0-9A-Za-z]{1,4})(?![\w\-])"
_ADDRESS_PREFIX: Final = (
    r"(?:(?:(?i:b[âa]timent|b[âa]t\.?|appartement|appt\.?|apt\.?|escalier|esc\.|[ée]tage|porte)"
    rf"[ \u00a0]+{_BOX_MARK}|{_FLOOR}),?[ \u00a0]+)*"
)
# "EHPAD Saint-Joseph, 12 rue…", "lotissement Les Hauts de Vigne, 2 rue…": the named
# building or estate is part of the postal address.
_PLACE_PREFIX: Final = (
    r"(?:(?i:ehpad|r[ée]sidence|r[ée]s\.|lotissement|lot\.|cit[ée]|foyer|domaine|hameau|"
    r"maison de retraite|immeuble|villa|ferme|mas)"
    rf"[ \u00a0]+{_STREET_NAME},?[ \u00a0]+)?"
)
_STREET_ADDRESS: Final = re.compile(
    rf"""
    (?<![0-9A-Za-z])
    {_PLACE_PREFIX}
    {_ADDRESS_PREFIX}
    (?:(?i:n°|no\.?)[ \u00a0]?)?
    # "12-14 rue …": a range of house numbers.
    [0-9]{{1,4}}(?:[\-\u2013/][0-9]{{1,4}})?(?:[ \u00a0]?(?:(?i:bis|ter|quater)|[A-Da-d])\b)?,?[ \u00a0]+
    {_STREET_TYPE}[ \u00a0]+{_STREET_NAME}
    (?:,?[ \u00a0]+{_POSTCODE_CITY})?
    """,
    re.VERBOSE,
)
# Rural addresses without a number: "lieu-dit Les Granges", "ferme du Haut-Bois, 88210 Senones".
_LIEU_DIT: Final = re.compile(
    rf"\b(?:[Ll]ieu[- ]?dit|[Ff]erme|[Hh]ameau|[Mm]oulin|[Mm]as|[Cc]hâteau|[Cc]halet)"
    rf"[ \u00a0]+{_STREET_NAME}(?:,?[ \u00a0]+{_POSTCODE_CITY})?"
)
_POSTCODE_CITY_ALONE: Final = re.compile(rf"(?<![0-9][ \u00a0.,])(?<![0-9]){_POSTCODE_CITY}")
# "domicilié à Lunéville", "vit seule à Toul": the town where the patient lives.
_RESIDENCE: Final = re.compile(
    rf"""
    \b(?:
        (?:domicili[ée]e?s?|demeurant|r[ée]sidant|r[ée]sident|r[ée]side|r[ée]sident|habite|
           habitent|habitant|vit|vivent|vivant|install[ée]e?s?)
        (?:[ \u00a0]+seule?s?)?
        [ \u00a0]+(?:à|a|au|en|sur)
      | habite|habitent
    )[ \u00a0]+
    (?P<city>{_CITY})
    """,
    re.VERBOSE,
)


# "les urgences de Pontarlier où il vit": the town named just before "where he lives".
_TOWN_WHERE_LIVES: Final = re.compile(
    rf"(?P<city>{_CITY}),?[ \u00a0]+o[ùu][ \u00a0]+(?:il|elle|ils|elles)[ \u00a0]+"
    r"(?:vit|vivent|habite|habitent|r[ée]side|r[ée]sident|demeure|demeurent)\b"
)
# "Coordonnées : La Combe, 38350 La Mure": a place name before "postcode town" at the start
# of a field or line is the rest of a rural address.
_PLACE_BEFORE_POSTCODE: Final = re.compile(
    rf"(?:^|(?<=[:\n]))[ \u00a0]*(?P<place>{_STREET_NAME}),[ \u00a0]+(?={_POSTCODE}[ \u00a0])",
    re.MULTILINE,
)


# "Adresse : Le Clos Fleuri, Les Hauts": whatever follows an address label, to the end of
# the line or sentence, is the address, however unusual its shape.
# A full stop inside an address: an abbreviation ("3 lot. les Genêts", "bât. B", "r. de la
# Paix") or an initial ("J.-B."), not the end of the sentence.
_ABBREVIATED: Final = (
    "lot", "bd", "av", "imp", "bât", "bat", "appt", "apt", "app", "rés", "res", "ch", "chem",
    "pl", "r", "st", "ste", "esc", "all", "rte", "fg", "sq", "prom", "ham", "lieu-dit", "n",
    "gal", "gén", "mal", "pdt", "bp", "cs", "log", "lgt", "qu", "qua", "imm", "sect",
)  # fmt: skip
_ADDRESS_CHAR: Final = (
    r"(?:[^\n:;.!?()\[\]]|\.(?=[^\s.])|"
    + "|".join(rf"(?<=\b(?i:{re.escape(a)}))\." for a in _ABBREVIATED)
    + ")"
)
_ADDRESS_LABEL: Final = re.compile(
    r"(?:(?<![\w])(?i:adresse(?:[ \u00a0]+(?:postale|personnelle|du patient|de la patiente))?|"
    r"(?<!(?<!(?:etour|ortie) )à )(?<!à\u00a0)domicile|domicili[ée]e?|lieu de vie|lieu de r[ée]sidence|demeurant)"
    # "Adresse au pays :", "Adresse de facturation :", "Domicile actuel :": a label of a few
    # lower-case words, opening a line or a sentence (not "je vous adresse X pour :"), and
    # not an e-mail's label.
    r"|(?:^|(?<=[\n.;(,]))[ \u00a0]*(?i:adresse|domicile)"
    r"(?![ \u00a0]*(?i:e-?mail|mail|[ée]lectronique|mss|messagerie|ip)\b)"
    r"(?:[ \u00a0]+[a-zàâçéèêëîïôöùûü'\u2019\-]+){1,3})[ \u00a0]*:[ \u00a0]*"
    rf"(?P<address>{_ADDRESS_CHAR}{{3,120}}?)"
    r"(?=[ \u00a0]*(?:$|\n|[;!?()]|"
    + "".join(rf"(?<!\b(?i:{re.escape(a)}))" for a in _ABBREVIATED)
    + r"\.(?:\s|$)|[ \u00a0][-\u2013\u2014][ \u00a0]))",
    re.MULTILINE,
)
# "vit chez sa fille à Saint-Dié", "vit avec sa mère Jessica à Kourou", "chez son fils, à
# Toul": the town someone lives or stays in. A town alone is kept elsewhere ("CHU de
# Nancy" names the care site), but where the patient lives it narrows down a rural
# patient with an age; HIPAA Safe Harbor removes every place smaller than a state.
_LIVES_WITH_AT: Final = re.compile(
    rf"(?:\b(?:vit|vivent|habite|habitent|r[ée]side|h[ée]berg[ée]e?)(?:[ \u00a0]+seule?s?)?"
    rf"[ \u00a0]+(?:chez|avec)|\bchez)"
    rf"[ \u00a0]+[^.,;:\n]{{1,40}}?,?[ \u00a0]+(?:à|au)[ \u00a0]+(?P<city>{_CITY})"
)
# "je le reverrai à Lannion", "on la revoit à Paimpol": the town where the patient is
# seen again, a consultation near home (a hospital is named with its own word: "au CHU").
_SEEN_AGAIN_AT: Final = re.compile(
    rf"\b(?i:reverr(?:ai|as|a|ons|ez|ont)|revoi[st]|revoient|revoir|reverrai)"
    rf"(?:[ \u00a0]+[^.,;:\n]{{1,25}}?)?[ \u00a0]+à[ \u00a0]+(?P<city>{_CITY})"
)
# "4, place des Vosges à Épinal": the town after a street address.
_TOWN_AFTER_STREET: Final = re.compile(
    rf"[ \u00a0]+(?:à|a)[ \u00a0]+(?P<city>{_CITY})"
    # "10 rue Didouche-Mourad, Alger (Algérie)": after a numbered street, a capitalised
    # run closed by punctuation is its town, in France or abroad.
    rf"|,[ \u00a0]+(?P<town>{_CITY})(?=[ \u00a0]*(?:[.;:!?()\n,]|$|[ \u00a0][\-\u2013\u2014]))"
)


# Street types that mark an address even without a house number: "chemin de la Croix
# Blanche", "route de Carcassonne", "Hameau des Rivaux", "Quartier Saint-Roch". Left out:
# words that are common outside addresses before a capitalised word ("cours", "cour",
# "parc", "mail", "villa").
_NAMED_WAY_TYPE: Final = (
    r"(?:(?i:rue|avenue|boulevard|bd|chemin|route|all[ée]e|impasse|place|quai|square|faubourg|"
    r"sentier|voie|passage|hameau|cit[ée]|lotissement|domaine|mont[ée]e|ruelle|esplanade|"
    r"promenade|traverse|venelle|rond-point|chauss[ée]e|lieu[- ]?dit|lieudit|ferme|mas|moulin|"
    r"r[ée]sidence|quartier|clos|chalet|ch[âa]teau|bastide|grange|manoir|z\.?a\.?c?\.?|z\.?i\.?|"
    # Overseas ("section Bois-Debout", "habitation Clément", "morne Rouge", "anse Mitan"),
    # mountain and holiday places ("refuge de la Pra", "camping Les Dunes", "gîte du Col").
    r"section|habitation|morne|ravine|anse|[îi]let|[ée]cart|refuge|camping|g[îi]te|bergerie|"
    r"cabane|marina|impasse|"
    r"all[ée]es|hent|straed|servitude|chenal|"
    # "Derb Sultan", "douar Ouled Ali": a Maghreb lane or hamlet; "camp Raffalli": a
    # military camp, where a soldier lives.
    r"derb|douar|camp|caserne|"
    # More types of the national street-type list (FANTOIR / BAN).
    r"sente|carrefour|corniche|rocade|ruette|dr[èe]ve|"
    # Abbreviations of the types above: "rte de Lavaur", "chem. des Vignes", "imp. du Puits".
    r"rte|chem\.|imp\.)"
    # "RD 902", "RN 85": a departmental or national road is typed as its number.
    r"|(?:RD|RN)(?=[ \u00a0]?[0-9]))"
)
# "chemin rural n° 12", "route départementale 35".
_WAY_QUALIFIER: Final = (
    r"(?:[ \u00a0]+(?i:rural|vicinal|communal|forestier|d[ée]partementale?|nationale|"
    r"de grande communication))?(?:[ \u00a0]+(?i:n°|no|num[ée]ro)?[ \u00a0]?[0-9]{1,4}(?![0-9]))?"
)
# "passage 8 h", "passage 19h30": a nurse's visit and its hour, no way.
_WAY_THEN_HOUR: Final = re.compile(
    r"(?i:passage|route|voie)[ \u00a0]+(?:[0-9]{1,2}[ \u00a0]?(?:h(?![\w])|h[0-9]|heures?\b|min\b)"
    # "prochain passage le 21/12": a visit's date.
    r"|(?i:le|du|au)[ \u00a0]+[0-9]{1,2}(?:[/.][0-9]{1,2}|[ \u00a0]+(?i:janv|f[ée]v|mars|avr|mai|juin|juil|ao[ûu]|sept|oct|nov|d[ée]c)))"
)
_NAMED_WAY: Final = re.compile(
    rf"(?<![\w\-{_APOSTROPHES}])(?:[0-9]{{1,4}}(?:[ \u00a0]?(?:(?i:bis|ter|quater)|[A-Da-d])\b)?,?[ \u00a0]+)?"
    rf"{_NAMED_WAY_TYPE}(?:{_WAY_QUALIFIER}[ \u00a0]+{_STREET_NAME}|{_WAY_QUALIFIER}(?=[ \u00a0]*,))"
    # "îlet à Cordes", "anse à l'Âne", "morne à l'Eau": overseas places joined by "à".
    rf"|(?<![\w\-])(?i:[îi]let|anse|morne|ravine|case)[ \u00a0]+à[ \u00a0]+(?:l[{_APOSTROPHES}])?"
    rf"{_PLACE_WORD}(?:[ \u00a0\-]{_PLACE_WORD})?"
)
# The parts that may follow a street, each after a comma or a space: another street, a
# post-office box, a building, a named place right before the postcode, "postcode town".
_BOX: Final = (
    r"(?:(?i:BP|B\.P\.|CS|TSA|bo[îi]te postale)[ \u00a0]*[0-9]{1,6}"
    # "rue des Lilas, n° 12": the house number written after the street.
    r"|(?i:n°|num[ée]ro)[ \u00a0]?[0-9]{1,4}(?:[ \u00a0]?(?i:bis|ter)\b)?"
    r"|(?i:b[âa]timent|b[âa]t\.?|appartement|appt\.?|apt\.?|escalier|esc\.|[ée]tage|porte|"
    rf"chambre|entr[ée]e|hall|tour|bloc|aile|pavillon|logement|lgt\.?|log\.|studio|lot|"
    rf"villa|box|cellule)[ \u00a0]+(?:n°[ \u00a0]?)?{_BOX_MARK}"
    rf"|{_FLOOR})"
)
# Parts are separated by commas, or by dashes on a form ("Bât. C2 - Appt 31 - 12 avenue …",
# with hyphens or en or em dashes).
_PART_SEP: Final = r"(?:,|[ \u00a0]+[\-\u2013\u2014])?[ \u00a0]+"
_NEXT_PART: Final = re.compile(
    rf"{_PART_SEP}(?:{_POSTCODE_CITY}|{_BOX}|{_STREET_NAME}(?=,?[ \u00a0]+{_POSTCODE}[ \u00a0]))"
    rf"|{_PART_SEP}(?={_NAMED_WAY_TYPE}[ \u00a0])"
)
# A building named by its kind, with lower-case words: "Maison de santé", "Pôle santé du
# Haut-Doubs", "Centre médico-social", "Foyer logement Les Tilleuls".
_BUILDING: Final = (
    rf"(?i:maison|p[ôo]le|centre|foyer|cabinet|groupe|espace|r[ée]sidence|b[âa]timent|"
    rf"immeuble|tour|ehpad|marpa|msp)"
    rf"(?:[ \u00a0\-]+(?:{_PARTICLE}|[{_LOWER}][{_LOWER}\-]{{2,}}|{_PLACE_WORD})){{1,5}}"
)
# Parts that may come before a street: a box, a building, or a named place opening the
# line or field, following a comma or "à" ("Les Granges, route de Crest", "Maison de
# santé, rue du Stade", "Dr X, Maison de santé, …", "Domaine de la Source, 40 route de…").
_PREVIOUS_SEP: Final = r"(?:,|[ \u00a0]+[\-\u2013\u2014])[ \u00a0]*$"
_PREVIOUS_BOX: Final = re.compile(rf"(?<![\w\-]){_BOX}(?:{_PREVIOUS_SEP}|[ \u00a0]*$)")
_BOX_WORD_BEFORE: Final = re.compile(
    r"(?<![\w\-])(?i:b[âa]timent|b[âa]t\.?|appartement|appt\.?|apt\.?|escalier|esc\.|porte|"
    r"chambre|entr[ée]e|bloc|logement|lgt\.?|studio|lot|villa)[ \u00a0]+$"
)
_PREVIOUS_PART: Final = re.compile(
    rf"(?:(?<=^)|(?<=[:\n(,])|(?<=[ \u00a0][\-\u2013\u2014][ \u00a0])|(?<=\b[àa][ \u00a0])"
    rf"|(?<=\bau[ \u00a0]))[ \u00a0]*(?:(?P<building>{_BUILDING})|{_STREET_NAME}){_PREVIOUS_SEP}",
    re.MULTILINE,
)
# "aire d'accueil des gens du voyage, route de …", "ancienne gendarmerie, 2 rue …", "Foyer
# d'accueil médicalisé Les Cèdres, 1 impasse …": a segment opened by a word for a dwelling,
# a building or a site, between commas (or after a label or a line break), is a complement
# of the address after it, whatever its other words, as long as it reads as a noun phrase
# (no verb, pronoun or figure: "il vit en foyer, 3 rue …" is a sentence).
_COMPLEMENT_HEAD: Final = (
    r"(?i:(?:ancien(?:ne)?|ex|vieux|vieille|petite?|grande?|nouvel(?:le)?)[ \u00a0\-]+)?"
    r"(?i:aire|terrain|gendarmerie|caserne|presbyt[èe]re|[ée]cole|mairie|foyer|r[ée]sidence|"
    r"b[âa]timent|immeuble|logement|maison|ferme|chalet|villa|camping|local|atelier|pavillon|"
    r"studio|moulin|hameau|lieu-dit|lotissement|domaine|cit[ée]|h[ôo]tel|auberge|g[îi]te|"
    r"caravane|mobil-home|p[ée]niche|squat|abri|h[ée]bergement|internat|couvent|monast[èe]re|"
    r"abbaye|prieur[ée]|ch[âa]teau|manoir|mas|bastide|grange|bergerie|cabane|refuge|gare|"
    r"usine|zone|parc|cour|jardin|entr[ée]e|escalier|appartement|chambre|rez-de-chauss[ée]e|"
    r"sous-sol|c[ôo]t[ée]|derri[èe]re|face|pr[èe]s|quartier|village|lieu|centre|pension|"
    r"colocation|annexe|dépendance|longère|loge|rési|bungalow|case|habitation|m[ée]tairie|"
    # "PK 5,2 côté mer": a point on a Polynesian or Caledonian road, by its kilometre.
    r"pk[ \u00a0]?[0-9]{1,3}(?:,[0-9]{1,2})?)"
)
_PREVIOUS_COMPLEMENT: Final = re.compile(
    rf"(?:(?<=^)|(?<=[:\n(,])|(?<=[ \u00a0][\-\u2013\u2014][ \u00a0])|(?<=\bau[ \u00a0])"
    rf"|(?<=\bà la[ \u00a0])|(?<=\bà l[{_APOSTROPHES}])"
    # "ils sont sur l'aire d'accueil …, route de …", "vit dans la cour …, 3 rue …".
    rf"|(?<=\bsur l[{_APOSTROPHES}])|(?<=\bsur la[ \u00a0])|(?<=\bsur le[ \u00a0])"
    rf"|(?<=\bdans l[{_APOSTROPHES}])|(?<=\bdans la[ \u00a0])|(?<=\bdans le[ \u00a0]))"
    rf"[ \u00a0]*(?P<part>{_COMPLEMENT_HEAD}(?![\w\-])"
    rf"(?:[ \u00a0\-]+(?:[dlDL][{_APOSTROPHES}][ \u00a0]?)?[{_UPPER}{_LOWER}][{_UPPER}{_LOWER}\-]*){{0,7}})"
    rf"{_PREVIOUS_SEP}",
    re.MULTILINE,
)
# Words that make a segment a sentence rather than a complement.
_SENTENCE_WORDS: Final = frozenset(
    {"il", "elle", "ils", "elles", "je", "nous", "vous", "on", "est", "sont", "était", "a",
     "ont", "vit", "vivent", "habite", "fait", "va", "sera", "suis", "avait", "pas", "ne",
     "qui", "que", "où", "car", "mais", "donc", "puis", "chez", "avec", "pour", "depuis"}
)  # fmt: skip


# "squat de la rue Bourbon", "terrain de la rue Marcel Paul": a dwelling or site named by
# the street it stands in.
_COMPLEMENT_OF_STREET: Final = re.compile(
    rf"(?<![\w\-])(?P<part>{_COMPLEMENT_HEAD})[ \u00a0]+(?:de la|de l[{_APOSTROPHES}]|du|des)[ \u00a0]*$"
)
# "affecté au 21e RIMa, quartier Lecocq, …": a military unit before its quarters.
_MILITARY_UNIT_BEFORE: Final = re.compile(
    rf"(?<![\w\-])[0-9]{{1,3}}(?:e|ème|er)[ \u00a0]+(?:[{_UPPER}][A-Za-z]{{1,6}}|(?i:r[ée]giment)"
    rf"(?:[ \u00a0]+[\w{_APOSTROPHES}\-]+){{0,5}}){_PREVIOUS_SEP}"
)


def _previous_complement(text: str, start: int) -> re.Match[str] | None:
    unit = _MILITARY_UNIT_BEFORE.search(text, max(0, start - 60), start)
    if unit is not None:
        return unit
    if _UNAMBIGUOUS_WAY.match(text, start) and (
        of_street := _COMPLEMENT_OF_STREET.search(text, max(0, start - 40), start)
    ):
        return of_street
    part = _PREVIOUS_COMPLEMENT.search(text, max(0, start - 90), start)
    if part is None:
        return None
    words = re.findall(rf"[\w{_APOSTROPHES}\-]+", part.group("part").lower())
    if any(
        w in _SENTENCE_WORDS
        or (w not in lexicon.PLACE_PARTICLES and (w in lexicon.MEDICAL_WORDS or lexicon.is_drug(w)))
        for w in words[1:]
    ):
        return None
    return part


# "au 12 de la rue des Lilas": a house number before the street it belongs to.
_NUMBER_OF_STREET: Final = re.compile(
    rf"(?<![\w\-,.])[0-9]{{1,4}}(?:[ \u00a0]?(?i:bis|ter)\b)?[ \u00a0]+(?:de la|de l[{_APOSTROPHES}]|du|des)[ \u00a0]*$"
)


# "Le Moulin Neuf", "Les Granges de …": a capitalised article is part of the place's name.
_LEADING_ARTICLE: Final = re.compile(
    rf"(?<![\w\-{_APOSTROPHES}])(?:Le|La|Les)[ \u00a0]$|(?<![\w\-])L[{_APOSTROPHES}]$"
)
# "Saint-Paul, 97460": the town before its postcode (a unit or a slash after the number
# would make it a lab value).
_CITY_THEN_POSTCODE: Final = re.compile(
    rf"(?<![\w\-{_APOSTROPHES}])(?P<city>{_PLACE_WORD}(?:[ \u00a0\-](?:{_PARTICLE}[ \u00a0\-]?)*{_PLACE_WORD}){{0,3}}),"
    rf"[ \u00a0]+{_POSTCODE}(?![0-9])(?![ \u00a0]?[A-Za-zµ%/])"
)
# "remplaçant au cabinet de Saint-Amand-Montrond", "MSP de Brioude": the town of a
# practice narrows down where the patient lives.
_PRACTICE_TOWN: Final = re.compile(
    rf"\b(?i:cabinet(?:[ \u00a0]+(?:m[ée]dical|infirmier|de groupe))?|maison[ \u00a0]+de[ \u00a0]+sant[ée]|"
    rf"MSP|centre[ \u00a0]+de[ \u00a0]+sant[ée]|p[ôo]le[ \u00a0]+de[ \u00a0]+sant[ée])"
    rf"[ \u00a0]+(?:de[ \u00a0]+|d[{_APOSTROPHES}]|à[ \u00a0]+)(?P<city>{_CITY})"
    rf"|\b(?i:rempla[cç]ante?|remplace|rempla[cç]ons|exerce|exer[cç]ant|install[ée]e?)"
    rf"[ \u00a0]+(?:[^.\n,;:]{{0,40}}?[ \u00a0])?(?:à|au cabinet de)[ \u00a0]+(?P<town>{_CITY})"
)

# "ophtalmologue à Lannion", "kinésithérapeute à Vannes", "une visite à Bar-sur-Aube": the
# town of a named person's practitioner, or of a home visit, places the patient.
_SPECIALIST_TOWN: Final = re.compile(
    rf"\b(?i:[a-zéèô]{{3,}}(?:logue|iatre)|dentiste|orthophoniste|orthoptiste|"
    rf"kin[ée]sith[ée]rapeute|kin[ée]|sage-femme|visite)"
    rf"[ \u00a0]+à[ \u00a0]+(?P<town>{_CITY})"
)
# "crèche « Les Petits Lutins »", "micro-crèche Les Bambins": a child's day nursery and its
# name place the family (a care site is named with a care word, never with these).
_NURSERY: Final = re.compile(
    rf"\b(?i:micro-cr[èe]che|cr[èe]che|halte-garderie|multi-accueil|jardin d[{_APOSTROPHES}]enfants)"
    rf"[ \u00a0]*(?:[«\"“][ \u00a0]*)?"
    rf"(?P<name>(?:Les|Le|La|L[{_APOSTROPHES}]|Aux?)[ \u00a0]?{_CITY})"
)
# "licenciée à l'US Ivry", "il joue au FC Lorient": a sports club's initials and its town.
_SPORTS_CLUB: Final = re.compile(
    rf"(?<![\w])(?P<club>(?:ES|AS|US|FC|SC|AC|RC|JS|CS|SO|JA|ASPTT|AJ|UA|EA|OC)"
    rf"[ \u00a0]+(?P<town>{_PLACE_WORD}(?:[ \u00a0\-](?:{_PARTICLE}[ \u00a0\-]?)*{_PLACE_WORD}){{0,3}}))"
)
# "le long du canal Saint-Denis": a canal named without "de" is a place; "canal de
# Wirsung" stays an anatomy's eponym.
_NAMED_CANAL: Final = re.compile(
    rf"\b[Cc]anal[ \u00a0]+(?P<name>(?!(?:de|du|des|d[{_APOSTROPHES}])\b)[{_UPPER}][{_LOWER}]+"
    rf"(?:-[{_UPPER}][{_LOWER}]+)*)"
)

# "village Pidima", "village de Mtsangamouji", "village amérindien d'Awala": in Guyane and
# Mayotte a village is the address, often not a commune of its own.
_VILLAGE: Final = re.compile(
    rf"\b[Vv]illage(?:[ \u00a0]+(?i:am[ée]rindien|bushinengu[ée]|de p[êe]cheurs))?"
    rf"[ \u00a0]+(?:de[ \u00a0]+|d[{_APOSTROPHES}]|du[ \u00a0]+)?"
    rf"{_PLACE_WORD}(?:[ \u00a0\-](?:{_PARTICLE}[ \u00a0\-]?)*{_PLACE_WORD}){{0,3}}"
)
# "J'habite toujours La Ville-Hervé, 35190 Tinténiac": a hamlet before "postcode town"
# after a verb of residence, in the middle of a sentence.
_HAMLET_AFTER_RESIDENCE: Final = re.compile(
    rf"\b(?i:habite|habitent|vis|vit|vivent|demeure|r[ée]side|domicili[ée]e?)"
    rf"(?:[ \u00a0]+(?i:toujours|encore|maintenant|d[ée]sormais|actuellement|seule?))?"
    rf"(?:[ \u00a0]+(?:à|au|aux))?[ \u00a0]+"
    rf"(?P<place>{_STREET_NAME}),[ \u00a0]+(?={_POSTCODE}[ \u00a0])"
)
# A practice's name on a header line of its own, or after the doctor's name: "Pôle santé
# du Haut-Doubs", "Dr X, Maison de santé des Trois Vallées". The place in it narrows down
# where the patient lives, as "cabinet de X" does.
_PRACTICE_LINE: Final = re.compile(
    rf"(?:^|(?<=,[ \u00a0]))[ \u00a0]*(?P<practice>"
    rf"(?i:p[ôo]le|maison|centre|cabinet|msp)(?:[ \u00a0]+(?i:de|d'))?[ \u00a0]+"
    rf"(?i:sant[ée]|m[ée]dical|pluriprofessionnel(?:le)?|m[ée]dico-social)"
    rf"(?:[ \u00a0]+[{_LOWER}\-]{{3,}})?"
    rf"[ \u00a0]+(?:{_PARTICLE}[ \u00a0]?)+{_STREET_NAME})[ \u00a0]*$",
    re.MULTILINE,
)


# "21 Grand-Rue", "Grande Rue, 25560 Frasne", "4 Grand'Rue": the high street is named by
# its type alone.
_HIGH_STREET: Final = re.compile(
    rf"(?<![\w\-{_APOSTROPHES}])(?:[0-9]{{1,4}}(?:[ \u00a0]?(?:(?i:bis|ter)|[A-Da-d])\b)?,?[ \u00a0]+)?"
    rf"(?:Grand[\-{_APOSTROPHES} \u00a0]Rue|Grande[\- \u00a0]Rue|GRAND[\-{_APOSTROPHES} ]RUE|"
    rf"GRANDE[\- ]RUE)(?![\w\-])"
)
# "BP 323", "CS 60012", "TSA 70011" on a line of their own: a post-office box is an
# address whatever follows it (a Cedex box has four or five digits).
_BOX_ALONE: Final = re.compile(
    r"(?<![\w\-])(?:(?:BP|B\.P\.|[Bb]o[îi]te postale)[ \u00a0]*[0-9]{1,6}"
    r"|(?:CS|TSA)[ \u00a0]*[0-9]{4,6})(?![0-9]|[ \u00a0]?[/,.]?[0-9]|[ \u00a0]?(?i:mm|%|/))"
)
# "avec ses parents Les Hauts de Chaume, 88400 Xonrupt", "(Kerhuel, 22200 Pabu)": a place
# name right before "postcode town", wherever it stands (the line-start rule is
# _PLACE_BEFORE_POSTCODE).
_ANY_PLACE_BEFORE_POSTCODE: Final = re.compile(
    rf"(?<![\w\-{_APOSTROPHES}])(?P<place>(?=[{_UPPER}]){_STREET_NAME}),[ \u00a0]+"
    rf"(?={_POSTCODE}[ \u00a0]+[{_UPPER}])"
)
# "on habite au 3 rue des lilas", "12 chemin de la fontaine": a street typed in lower case
# after a house number and a street type that is nothing else.
_LOWER_STREET: Final = re.compile(
    rf"(?<![\w\-])[0-9]{{1,4}}(?:[ \u00a0]?(?i:bis|ter)\b)?,?[ \u00a0]+"
    rf"(?:rue|avenue|av\.|av(?=[ \u00a0])|boulevard|bd|chemin|impasse|all[ée]es?|route|place|quai|"
    rf"cours|lotissement|r[ée]sidence|cit[ée]|square|mont[ée]e|hent|"
    # Abbreviations and rarer types of the national list, typed in lower case too.
    rf"lot\.|r\.|bvd|imp\.?|all\.|rte|chem\.?|r[ée]s\.|sente|sentier|ruelle|venelle|hameau|"
    rf"lieu-dit|lieudit|faubourg|quartier|clos|parvis|esplanade|promenade|traverse|carrefour)"
    rf"[ \u00a0]+"
    rf"(?P<words>[{_LOWER}{_UPPER}{_APOSTROPHES}\-]+(?:[ \u00a0]+[{_LOWER}{_UPPER}{_APOSTROPHES}\-]+){{0,7}})"
)


# "7 sente des Prés, 95000 Cergy", "14 carrefour des Quatre-Vents": a house number, a
# lower-case word, "de/du/des" and a capitalised name make a street even when the street
# type is in no list, provided a postcode follows or a residence word precedes (otherwise
# "3 comprimés de Doliprane" or "2 culots de CGR" would be streets).
_ANY_TYPE_STREET: Final = re.compile(
    rf"(?<![\w\-,.])[0-9]{{1,4}}(?:[ \u00a0]?(?:(?i:bis|ter|quater)|[A-Da-d])\b)?,?[ \u00a0]+"
    rf"(?P<type>[{_UPPER}{_LOWER}][{_LOWER}]{{2,}}(?:-[{_LOWER}]+)?)[ \u00a0]+"
    rf"(?=(?:de|du|des|d[{_APOSTROPHES}])[ \u00a0]?)(?P<name>{_STREET_NAME})"
)
_POSTCODE_AHEAD: Final = re.compile(rf",?\s+(?:{_POSTCODE})[ \u00a0]+[{_UPPER}]")
# A word of residence right before the number ("domicilié 7 sente …", "il habite au 3 …"):
# "au" or "à" alone is not enough ("passage au 2 protocole de Berlin").
_LIVES_AT_BEFORE: Final = re.compile(
    r"\b(?i:habit\w*|vi[tv]\w*|domicili\w*|demeur\w*|r[ée]sid\w*|install[ée]\w*|adresse|"
    r"h[ée]berg[ée]\w*|log[ée]\w*|loge|chez)(?:[ \u00a0]+(?:au|à|a))?[ \u00a0]+$"
)
# Counts and doses before "de": never a street type.
_COUNT_NOUNS: Final = frozenset(
    {"ans", "an", "mois", "jours", "jour", "semaines", "semaine", "heures", "heure", "minutes",
     "fois", "comprimés", "comprimé", "cp", "cps", "gélules", "gélule", "gouttes", "goutte",
     "ampoules", "ampoule", "sachets", "sachet", "bouffées", "bouffée", "pulvérisations",
     "injections", "injection", "cycles", "cycle", "cures", "cure", "séances", "séance",
     "culots", "culot", "flacons", "flacon", "boîtes", "boîte", "poches", "poche", "unités",
     "doses", "dose", "verres", "verre", "paquets", "paquet", "cigarettes", "litres",
     "points", "patients", "patientes", "enfants", "cas", "lits", "places", "passages",
     "consultations", "lignes", "mg", "kg", "ml", "cm", "mm", "tubes", "cuillères",
     "applications", "patchs", "mesures", "étages", "marches", "km", "mètres"}
)  # fmt: skip


def _any_type_streets(text: str) -> Iterator[tuple[int, int]]:
    for match in _ANY_TYPE_STREET.finditer(text):
        kind = match.group("type").lower()
        # A plural after a number is a count ("3 reprises de …", "30 kilomètres de …"); the
        # street types that end in -s are in the lists already (cours, clos, parvis).
        if (
            kind in _COUNT_NOUNS
            or kind.endswith(("s", "x"))
            or kind in lexicon.MEDICAL_WORDS
            or lexicon.is_drug(kind)
        ):
            continue
        if not _is_place_name(match.group("name")):
            continue
        if _POSTCODE_AHEAD.match(text, match.end()) is None and not _LIVES_AT_BEFORE.search(
            text, max(0, match.start() - 30), match.start()
        ):
            continue
        yield match.start(), _trim_place(text, match.start(), match.end())


def _lower_streets(text: str) -> Iterator[tuple[int, int]]:
    for match in _LOWER_STREET.finditer(text):
        words = list(re.finditer(r"\S+", match.group("words")))
        end = None
        for word in words:
            value = word.group().lower()
            if value in _LOWER_STREET_STOPS or len(value) < 2:
                break
            if value not in lexicon.PLACE_PARTICLES and not value.endswith(tuple(_APOSTROPHES)):
                end = match.start("words") + word.end()
        if end is not None:
            # "14 rue des lilas appt 23": a flat or building and its number end the street.
            box = _LOWER_BOX_NUMBER.match(text, end)
            if box is not None and _LOWER_BOX_WORD.search(text, match.start(), end):
                end = box.end()
            yield match.start(), end


_LOWER_BOX_WORD: Final = re.compile(
    r"(?<![\w])(?:appt|apt|app|appartement|b[âa]t|bt|b[âa]timent|esc|escalier|porte|log)\.?$"
)
_LOWER_BOX_NUMBER: Final = re.compile(r"\.?[ \u00a0]*(?:n°[ \u00a0]?)?[0-9]{1,4}[A-Za-z]?(?![\w])")


# Words that end a street typed in lower case: "3 rue des lilas et on …", "à Nancy".
_LOWER_STREET_STOPS: Final = frozenset(
    {"à", "a", "et", "ou", "mais", "donc", "car", "on", "il", "elle", "je", "nous", "vous",
     "ils", "elles", "depuis", "pour", "chez", "avec", "dans", "vers", "près", "ici", "qui",
     "que", "où", "est", "sont", "c'est", "tél", "tel"}
)  # fmt: skip


# Addresses written the Belgian, Swiss, Luxembourg or German way: the number after the
# street ("Rue de la Station 24", "Hauptstraße 17") and postcodes of four digits or with a
# country prefix ("4430 Ans", "L-4011 Esch-sur-Alzette", "D-66119 Saarbrücken").
# Postcodes of the neighbours and of the countries patients come from or study in: "L-4011",
# four digits (BE, CH, LU, AT, DK, NL "1012 AB"), "31-147" (PL), "1250-146" (PT), "114 55"
# (SE, CZ, SK, GR), five digits (DE, IT, ES), "H2X 1Y4" (CA), "SW1A 2AA" (UK).
_FOREIGN_POSTCODE: Final = (
    r"(?:(?:[A-Z]{1,2}-)[0-9]{4,5}|[0-9]{4}-[0-9]{3}|[0-9]{2}-[0-9]{3}|[0-9]{3}[ \u00a0][0-9]{2}"
    r"|[0-9]{4,5}|[A-Z][0-9][A-Z][ \u00a0]?[0-9][A-Z][0-9]|[A-Z]{1,2}[0-9][A-Z0-9]?[ \u00a0][0-9][A-Z]{2})"
    r"(?![0-9])"
)
_FOREIGN_POSTCODE_CITY: Final = rf"{_FOREIGN_POSTCODE}[ \u00a0]+{_CITY}"
_FOREIGN_STREET: Final = re.compile(
    rf"(?<![\w\-])(?:"
    rf"(?:Rue|Avenue|Chauss[ée]e|Place|Boulevard|Chemin|Route|Quai|Clos|Impasse|All[ée]e|"
    rf"Via|Viale|Piazza|Corso|Calle|Carrer|Avinguda|Rua|Stra(?:ß|ss)e|Weg|Platz|Gasse|"
    # Polish "ul." (ulica), "al." (aleja), "os." (osiedle); Iberian, Italian, Dutch types.
    rf"C/(?=[ \u00a0][{_UPPER}])|ul\.|[Uu]lica|al\.|[Aa]leja|os\.|[Pp]lac|Avenida|Av\.|Travessa|Largo|Pra[çc]a|Plaza|"
    rf"Paseo|Camino|Strada|Vicolo|Piazzale|Lungomare|Straat|Laan|Plein)"
    rf"[ \u00a0]+{_STREET_NAME}"
    rf"|[{_UPPER}][{_LOWER}\-]*(?:stra(?:ß|ss)e|str\.|weg|gasse|platz|allee|ring|damm|ufer|"
    rf"steig|pfad|markt|straat|gracht|laan|plein|kade|dijk|singel|steeg|gade|gatan|v[äa]gen|"
    rf"veien|vej|utca|ulice))"
    rf"[ \u00a0]+[0-9]{{1,4}}[a-z]?(?![0-9])"
    # A Belgian box after the number: "Kerkstraat 48 bus 2", "Rue Haute 12 bte 3".
    rf"(?:[ \u00a0]+(?:bus|bte|boîte)[ \u00a0]?[0-9A-Z]{{1,4}}(?![\w]))?"
    # A Spanish floor and door after the number: "Calle Mayor 23, 2º B", "3º izq.".
    rf"(?:,[ \u00a0]*[0-9]{{1,2}}[º°ª](?:[ \u00a0]?-?[ \u00a0]?(?:[A-Z]\b|[0-9]{{1,2}}\b|izq\.?|izda\.?|dcha\.?))?)?"
    rf"(?:,?[ \u00a0]+{_FOREIGN_POSTCODE_CITY})?"
)
# "Bulevar oslobođenja 112, 21000 Novi Sad", "Ulica Ilica 10", "Strada Mihai Eminescu 5",
# "Atatürk Caddesi 45": Balkan, Romanian and Turkish streets, their words in any case.
_EAST_STREET: Final = re.compile(
    rf"(?<![\w\-])(?:(?:Bulevar|Bulevardul|Bul\.|Ulica|Trg|Cesta|Calea|Strada|Str\.|Aleea|"
    rf"Soseaua|Şoseaua|Ulitsa|Prospekt)[ \u00a0]+(?:[^\W\d_][\w\-.]*[ \u00a0]+){{1,4}}"
    rf"|(?:[{_UPPER}][{_LOWER}]+[ \u00a0]+){{1,3}}(?:Caddesi|Cad\.|Sokak|Soka\u011f\u0131|Sok\.|Mahallesi)[ \u00a0]+"
    rf"(?:(?i:no)[:.]?[ \u00a0]?)?)"
    rf"[0-9]{{1,4}}[a-zA-Z]?(?![0-9])"
    rf"(?:,?[ \u00a0]+{_FOREIGN_POSTCODE_CITY})?"
)
# "18e étage (tours des Olympiades)": the tower or building a floor is in.
_BUILDING_AFTER_FLOOR: Final = re.compile(
    rf"{_FLOOR}[ \u00a0]*\([ \u00a0]*(?P<building>(?i:tours?|immeuble|r[ée]sidence|b[âa]timent|cit[ée]|"
    rf"barre|bloc)[ \u00a0]+(?:(?:{_PARTICLE})[ \u00a0]?)*{_PLACE_WORD}(?:[ \u00a0\-]{_PLACE_WORD}){{0,2}})"
    rf"[ \u00a0]*\)"
)
# "Commune : ALBI", "Commune de décès : Saint-Pierre (974)", "Lieu : Kayes, Mali", "Lieu
# d'intervention : chantier SNCF, gare de …": a form's place field holds a place.
_PLACE_LABEL: Final = re.compile(
    rf"(?<![\w\-])(?i:commune|ville|localit[ée]|lieu)"
    rf"(?:[ \u00a0]+(?i:de|d[{_APOSTROPHES}])[ \u00a0]?(?i:naissance|r[ée]sidence|d[ée]c[èe]s|"
    rf"l[{_APOSTROPHES}]intervention|intervention|l[{_APOSTROPHES}]accident|vie|domicile|travail))?"
    rf"[ \u00a0]*:[ \u00a0]*"
    rf"(?P<place>[^\n:;()\[\]]{{2,100}}?)(?=[ \u00a0]*(?:$|\n|[;()\[\]]|[ \u00a0]{{2,}}|\.(?:\s|$)|"
    rf"[ \u00a0][\-\u2013\u2014][ \u00a0]|,[ \u00a0]*(?i:t[ée]l|n[ée]e?)\b))",
    re.MULTILINE,
)
# A place field may hold a care site or a word: those are no address.
_NOT_A_PLACE_VALUE: Final = re.compile(
    r"(?i:chu|chr|ch|h[ôo]pital|clinique|cabinet|service|urgences|bloc|sau|samu|smur|ehpad|"
    r"domicile|inconnu|inconnue|non|nc|ras|idem|voie|sur|à|au|en)(?![\w\-])"
)
# "née le 01/01/1992 à Mutsamudu", "né à Kayes": the birthplace is identifying, in France
# or abroad, in a list of communes or not.
_BORN_AT: Final = re.compile(
    rf"\b(?i:n[ée]e?)(?:[ \u00a0]+(?i:le)[ \u00a0]+[0-9]{{1,2}}[/.\-][0-9]{{1,2}}[/.\-][0-9]{{2,4}})?"
    rf"[ \u00a0]+(?i:à|a)[ \u00a0]+(?P<city>{_CITY})"
)
# "un appart de 45 m2 à la Gauthière", "logement aux Minguettes": a dwelling and the
# quarter it stands in.
_DWELLING_AT: Final = re.compile(
    rf"\b(?i:appart(?:ement)?|logement|studio|maison|pavillon|HLM|mobil-home|caravane|"
    rf"[FT][1-6])\b[^.;:!?\n]{{0,25}}?[ \u00a0](?:à|au|aux)[ \u00a0]+"
    rf"(?P<place>(?:(?i:la|le|les)[ \u00a0]+|l[{_APOSTROPHES}])?{_PLACE_WORD}(?:[ \u00a0\-]{_PLACE_WORD}){{0,2}})"
)


# "14 Baker Street, London NW1 6XE", "350 Sherbrooke Avenue, Montréal H2X 1Y4": the way
# English-speaking countries write a street, its type after its name.
_ENGLISH_STREET: Final = re.compile(
    rf"(?<![\w\-])[0-9]{{1,5}}[ \u00a0]+{_PLACE_WORD}(?:[ \u00a0]+{_PLACE_WORD}){{0,2}}[ \u00a0]+"
    rf"(?:Street|St\.|Road|Rd\.?|Lane|Drive|Close|Gardens|Crescent|Terrace|Way|Avenue|Ave\.?|"
    rf"Court|Boulevard|Blvd\.?|Square|Grove|Hill|Row|Mews)(?![\w])"
    rf"(?:,?[ \u00a0]+{_CITY}[ \u00a0]+{_FOREIGN_POSTCODE}|,?[ \u00a0]+{_CITY})?"
)
# "101 Antananarivo, Madagascar", "1000 Tunis, Tunisie" on a line of their own: the last
# line of a postal address abroad, whatever the postcode's length (three to six digits).
_POSTCODE_TOWN_COUNTRY_LINE: Final = re.compile(
    rf"(?m)(?<![^\n])[ \t]*[0-9]{{3,6}}[ \u00a0]+{_CITY}(?:[ \u00a0]*\([^)\n]{{1,30}}\))?,[ \u00a0]*"
    rf"(?:{'|'.join(sorted((re.escape(c) for c in COUNTRIES | COUNTRY_ENDONYMS), key=len, reverse=True))})"
    rf"(?=[ \t]*$)"
)
_PREFIXED_POSTCODE: Final = re.compile(
    rf"(?<![\w\-])(?:L|D|B|CH|F|I|E|A|NL|MC)-[0-9]{{4,5}}[ \u00a0]+{_CITY}"
)
# "à l'île d'Yeu", "sur l'île de Ré", "depuis l'île aux Moines": an island typed in lower
# case after a location cue.
_ISLAND: Final = re.compile(
    rf"\b(?i:à|a|de|sur|vers|depuis|habite|vit)[ \u00a0]+l[{_APOSTROPHES}][ \u00a0]?"
    rf"(?P<place>[îi]le[ \u00a0\-](?:de[ \u00a0]+|d[{_APOSTROPHES}]|du[ \u00a0]+|des[ \u00a0]+|aux[ \u00a0]+)?"
    rf"{_PLACE_WORD}(?:[ \u00a0\-]{_PLACE_WORD})?)"
)
# "poste restante, bureau de Quimper-Centre": a post office is where the patient's mail is.
_POSTE_RESTANTE: Final = re.compile(
    rf"\b(?i:poste restante)(?:,?[ \u00a0]+(?i:bureau)(?:[ \u00a0]+de)?[ \u00a0]+{_CITY})?"
)


def _extend_address(text: str, start: int, end: int) -> tuple[int, int]:
    """Grow a street to the parts around it: boxes, buildings, named places, postcode."""
    while (part := _NEXT_PART.match(text, end)) is not None and part.end() > end:
        end = part.end()
        if not part.group().strip(" ,\u00a0"):  # a lookahead for the next street only
            way = _NAMED_WAY.match(text, end)
            if way is None or not _is_place_name(way.group()):
                break
            end = way.end()
    while True:
        # A box is taken whatever it looks like: "BP 12" is no place name, but is an address.
        part = _PREVIOUS_BOX.search(text, max(0, start - 20), start)
        if part is None and text[start : start + 1].isdigit():
            # "appartement 12, cité des Roses": the street took the box's number.
            part = _BOX_WORD_BEFORE.search(text, max(0, start - 20), start)
        if part is None:
            part = _PREVIOUS_PART.search(text, max(0, start - 80), start)
            # A building's kind is the evidence ("Centre médical"): no place-name check.
            if part is not None and (
                part.group("building") is None
                and not _is_place_name(part.group().rstrip(" ,\u00a0"))
            ):
                part = None
        if part is None:
            part = _previous_complement(text, start)
            if part is None:
                break
        if part.start() >= start:
            break
        start = part.start() + len(part.group()) - len(part.group().lstrip(" \u00a0"))
    if (article := _LEADING_ARTICLE.search(text, max(0, start - 4), start)) is not None:
        start = article.start()
    elif _UNAMBIGUOUS_WAY.match(text, start) and (
        number := _NUMBER_OF_STREET.search(text, max(0, start - 16), start)
    ):
        start = number.start()
    return start, _trim_place(text, start, end)


def _is_label_place(value: str) -> bool:
    """A place field's value: no care site, no word ("domicile"), no person, no drug."""
    if _NOT_A_PLACE_VALUE.match(value):
        return False
    words = re.findall(rf"[^\W\d_][\w\-{_APOSTROPHES}]*", value)
    first = words[0].lower().rstrip(".") if words else ""
    return bool(words) and not (
        first in lexicon.TITLES
        or first in lexicon.RELATIONS
        or first in lexicon.MEDICAL_WORDS
        or lexicon.is_drug(words[0])
    )


def _key_is_not_eponym(word: str) -> bool:
    return word.lower() not in lexicon.EPONYMS and word.lower() not in lexicon.MEDICAL_WORDS


def _is_place_name(value: str) -> bool:
    """Not a place when every capitalised word is medical ("place de l'IRM", "voie IV")."""
    words = re.findall(rf"[{_UPPER}][\w\-{_APOSTROPHES}]*", value)
    if words and (
        words[0].lower().rstrip(".") in lexicon.TITLES
        # "Famille Winterstein, aire d'accueil …": a person word opens a name, not a place.
        or words[0].lower() in lexicon.RELATIONS
        or any(w.lower() in lexicon.FIRST_NAMES for w in words)
    ):
        return False  # "Dr Jean Dupont, 75012 Paris": a person before the address
    meaningful = [w for w in words[1:] if w.lower() not in lexicon.PLACE_PARTICLES] or words
    return not all(
        w.lower() in lexicon.NOT_PLACE_WORDS or lexicon.is_drug(w) or (w.isupper() and len(w) <= 4)
        for w in meaningful[-1:]
    ) or bool(re.search(r"[0-9]{5}", value))


# Street types that mean a street and nothing else in clinical prose. After them, the
# words are a street's name whatever they are: streets are named after people ("rue Victor
# Hugo", "chemin de la Croix de Pierre") and after common nouns that are also medical words
# ("rue du Stade", "impasse de la Clinique"). After the other types ("place de l'IRM",
# "voie IV", "passage aux Urgences", "route Nationale"), the medical-word check stays.
_UNAMBIGUOUS_WAY: Final = re.compile(
    r"(?:[0-9]{1,4}(?:[ \u00a0]?(?:(?i:bis|ter|quater)|[A-Da-d])\b)?,?[ \u00a0]+)?"
    r"(?:(?i:rue|avenue|boulevard|bd|chemin|all[ée]e|impasse|quai|square|faubourg|sentier|ruelle|"
    r"venelle|traverse|esplanade|promenade|mont[ée]e|chauss[ée]e|rond-point|lotissement|"
    r"hameau|lieu[- ]?dit|lieudit|quartier|sente|ruette|corniche|dr[èe]ve|all[ée]es|hent|"
    r"servitude|derb)[ \u00a0]|"
    r"(?:RD|RN)[ \u00a0]?[0-9])"
)
# Types that also name an establishment or a product ("EHPAD Résidence du Parc", "Domaine
# de Chevalier", "Château Margaux"): an address only with a number, a postcode, a street
# or a residence word around them.
_ESTABLISHMENT_WAY: Final = re.compile(
    r"(?i:r[ée]sidence|domaine|ch[âa]teau|clos|manoir|bastide)[ \u00a0]"
)
_RESIDENCE_CONTEXT: Final = re.compile(
    r"(?:\b(?:habit|vit\b|vivent|domicil|demeur|r[ée]sid(?:e|ant)|install[ée]|adresse|chez|"
    r"d[ée]m[ée]nag|retour)\w*[^.;:\n]{0,12}|\bau|\bà(?:[ \u00a0]+la)?)[ \u00a0]+$",
    re.IGNORECASE,
)


# "RESIDENCE LES FLAMBOYANTS BAT C": the building's mark after a residence's name.
_TRAILING_BOX: Final = re.compile(
    r"[ \u00a0]+(?i:b[âa]t|bt|b[âa]timent|appt?|apt|esc|escalier|porte)\.?[ \u00a0]*[0-9A-Za-z]{1,4}$"
)


_POSTCODE_LINE_AFTER: Final = re.compile(rf"[ \u00a0]*\n[ \u00a0]*{_POSTCODE_CITY}")


def _is_named_way(text: str, match: re.Match[str]) -> bool:
    value = _TRAILING_BOX.sub("", match.group())
    if _UNAMBIGUOUS_WAY.match(value):
        return True
    words = re.findall(rf"[{_UPPER}][\w\-{_APOSTROPHES}]*", value)
    meaningful = [w for w in words[1:] if w.lower() not in lexicon.PLACE_PARTICLES] or words
    last = meaningful[-1] if meaningful else ""
    return not (
        last.lower() in lexicon.NOT_PLACE_WORDS
        or lexicon.is_drug(last)
        or (last.isupper() and len(last) <= 4)
    ) or bool(re.search(r"[0-9]{5}", value))


# Round 14. A position in degrees with its hemispheres ("45.85 N, 6.83 E", "47°22,4' N
# 003°05,1' W") locates a person or an accident; no lab value carries N and E.
_HEMISPHERE_COORDINATES: Final = re.compile(
    r"(?<![\w.,])[0-9]{1,3}(?:[.,][0-9]+ ?°?|° ?[0-9]{1,2}(?:[.,][0-9]+)? ?['\u2032\u2019]"
    r"(?: ?[0-9]{1,2}(?:[.,][0-9]+)? ?[\"\u2033])?) ?[NS],? ?"
    r"[0-9]{1,3}(?:[.,][0-9]+ ?°?|° ?[0-9]{1,2}(?:[.,][0-9]+)? ?['\u2032\u2019]"
    r"(?: ?[0-9]{1,2}(?:[.,][0-9]+)? ?[\"\u2033])?) ?[EWO]\b"
)
# A bare decimal pair ("43.7112, 4.0985") only after a location cue, so that lab values,
# doses and scores never match.
_CUED_DECIMAL_COORDINATES: Final = re.compile(
    r"(?i:coordonnées|coordonnees|position|positionné|localisée?|géolocalis\w*|"
    r"geolocalis\w*|gps|latitude|lat\.?|point|retrouvée? à|relevée?s?)"
    r"[^.\n]{0,40}?(?P<pair>(?<![\w.,])-?[0-9]{1,2}\.[0-9]{3,}°?,? ?-?[0-9]{1,3}\.[0-9]{3,}°?)"
    r"(?![\w.,]?[0-9])(?! ?(?:[mµnpk]?(?:g|l|L|mol)|m[lL]|UI|U)\b)(?! ?[%/])"
)
# A motorway and its exit ("A7 sortie 12", "l'A48 entre les sorties 10 et 11").
_MOTORWAY_EXIT: Final = re.compile(
    r"\bA ?[0-9]{1,3}\b,? (?:(?:au niveau de la |à hauteur de la |à la |peu après la |"
    r"avant la |après la )?sortie (?:n° ?)?[0-9]{1,3}[a-z]?\b|"
    r"entre les sorties (?:n° ?)?[0-9]{1,3}[a-z]? et [0-9]{1,3}[a-z]?\b)"
)


# "Paris 15e", "Lyon 7e", "Marseille 13ème": a city's arrondissement.
_ARRONDISSEMENT: Final = re.compile(
    r"\b(?:Paris|Lyon|Marseille)[ \u00a0]?(?:1er|1re|[1-9]|1[0-9]|20)(?:e|ème|eme|è)?\b"
    r"(?![ \u00a0]?(?:[.,][0-9]|%|h\b|ans\b|mois\b|jours?\b|km\b|min\b))"
)
# "Camping des Pins, emplacement 12": a pitch is where someone lives.
_CAMPING_PITCH: Final = re.compile(
    r"\b[Cc]amping(?:[ \u00a0][\w'\u2019\-]+){0,4}?,?[ \u00a0]+(?:emplacement|parcelle|"
    r"mobil-home|mobile-home|bungalow|chalet|caravane)[ \u00a0]+(?:n°[ \u00a0]?)?[0-9]{1,4}[A-Z]?\b"
)
# "à l'angle de la rue X et du boulevard Y": the corner of two ways.
_CORNER_BEFORE: Final = re.compile(
    r"(?i:angle)[ \u00a0]+(?:de[ \u00a0]+la[ \u00a0]+|du[ \u00a0]+|de[ \u00a0]+l['\u2019]|des[ \u00a0]+)$"
)
_CORNER_BETWEEN: Final = re.compile(
    r"[ \u00a0]+et[ \u00a0]+(?:de[ \u00a0]+la[ \u00a0]+|du[ \u00a0]+|de[ \u00a0]+l['\u2019]|des[ \u00a0]+)"
)
_CORNER_SECOND_WAY: Final = re.compile(
    r"[ \u00a0]+et[ \u00a0]+(?:de[ \u00a0]+la[ \u00a0]+|du[ \u00a0]+|de[ \u00a0]+l['\u2019]|des[ \u00a0]+)"
    r"(?i:rue|cours|boulevard|bd|avenue|av\.|place|quai|all[ée]e|chemin|impasse|route|passage)"
    r"[ \u00a0]+(?:(?:de|du|des|la|le|d['\u2019])[ \u00a0]+)?[A-ZÀ-Ý][\w'\u2019\-]*"
    r"(?:[ \u00a0]+[A-ZÀ-Ý][\w'\u2019\-]*){0,3}"
)
# "étudiante à Sciences Po Lille", "bénévole à la Banque alimentaire du Gard".
_NAMED_BODY: Final = re.compile(
    r"\b(?:Sciences[ \u00a0\-]Po[ \u00a0]+(?:de[ \u00a0]+|d['\u2019])?|"
    r"[Bb]anque[ \u00a0]+[Aa]limentaire[ \u00a0]+(?:de[ \u00a0]+la[ \u00a0]+|de[ \u00a0]+l['\u2019]|"
    r"de[ \u00a0]+|du[ \u00a0]+|des[ \u00a0]+|d['\u2019]))"
    r"(?P<place>[A-ZÀ-Ý][\w'\u2019]*(?:-[\w'\u2019]+)*)"
)


# "le Leclerc de la zone de Kerlann", "zone artisanale des Garennes": a zone of shops or
# workshops and the shop in it.
_NAMED_ZONE: Final = re.compile(
    r"(?P<shop>(?<![\w\-])[A-ZÀ-Ý][\w'\u2019&\-]*[ \u00a0]+(?:de[ \u00a0]+la[ \u00a0]+))?"
    r"\b(?:zone|(?P<acronym>ZAC|ZA|ZI))(?P<kind>[ \u00a0]+(?:commerciale|industrielle|artisanale|"
    r"portuaire|d['\u2019]activit[ée]s?))?[ \u00a0]+(?:de[ \u00a0]+la[ \u00a0]+|de[ \u00a0]+l['\u2019]|de[ \u00a0]+|"
    r"du[ \u00a0]+|des[ \u00a0]+|d['\u2019])(?P<name>[A-ZÀ-Ý][\w'\u2019]*(?:-[\w'\u2019]+)*)"
)


_SHOP_BEFORE: Final = re.compile(r"\b(?i:au|chez|le|du|à)[ \u00a0]+$")


def _corners(text: str, found: list[Candidate]) -> Iterator[Candidate]:
    spans = sorted({(c.start, c.end) for c in found})
    for start, end in spans:
        corner = _CORNER_BEFORE.search(text, max(0, start - 20), start)
        if corner is None:
            continue
        last = end
        for other_start, other_end in spans:
            gap = _CORNER_BETWEEN.fullmatch(text, last, other_start) if other_start > last else None
            if gap is not None:
                last = max(last, other_end)
        if (way := _CORNER_SECOND_WAY.match(text, last)) is not None:
            last = _extend_address(text, corner.start(), way.end())[1]
        yield Candidate(corner.start(), last, "address", 0.8)


def _round14_places(text: str) -> Iterator[Candidate]:
    for m in _ARRONDISSEMENT.finditer(text):
        yield Candidate(m.start(), m.end(), "address", 0.75)
    for m in _CAMPING_PITCH.finditer(text):
        start, end = _extend_address(text, m.start(), m.end())
        yield Candidate(start, end, "address", 0.8)
    for m in _NAMED_ZONE.finditer(text):
        start = m.start()
        if m.group("shop") and not _SHOP_BEFORE.search(text, max(0, start - 8), start):
            start = m.start("shop") + len(m.group("shop"))  # "Lésion de la zone de …"
            if not (m.group("acronym") or m.group("kind")):
                continue
        named = m.group("shop") or m.group("acronym") or m.group("kind")
        if named and _key_is_not_eponym(m.group("name")):
            yield Candidate(start, m.end(), "address", 0.75)
    for m in _NAMED_BODY.finditer(text):
        yield Candidate(m.start(), m.end(), "address", 0.75)
    for m in _HEMISPHERE_COORDINATES.finditer(text):
        yield Candidate(m.start(), m.end(), "address", 0.8)
    for m in _CUED_DECIMAL_COORDINATES.finditer(text):
        yield Candidate(m.start("pair"), m.end("pair"), "address", 0.8)
    for m in _MOTORWAY_EXIT.finditer(text):
        yield Candidate(m.start(), m.end(), "address", 0.8)


def find_addresses(text: str) -> list[Candidate]:
    """Street addresses, lieux-dits, "postcode + town", and the town someone lives in."""
    found: list[Candidate] = []
    for m in _NAMED_WAY.finditer(text):
        if _WAY_THEN_HOUR.match(text, m.start()) or " " not in m.group().strip(" ,\u00a0"):
            continue  # "passage 8 h", "passage le 21/12"; "sur place," is no way
        start, end = _extend_address(text, m.start(), m.end())
        # "cité des Fleurs, 13015 Marseille": a postcode after the way settles it.
        if not _is_named_way(text, m) and not re.search(r"[0-9]{5}", text[m.end() : end]):
            continue
        if (
            _ESTABLISHMENT_WAY.match(m.group())
            and (start, end) == (m.start(), _trim_place(text, m.start(), m.end()))
            and not _RESIDENCE_CONTEXT.search(text, max(0, start - 40), start)
        ):
            continue
        # "Derb Sultan, Casablanca", "rue Bourbon à Bordeaux": the town after a way that is
        # nothing else.
        # "RESIDENCE LES PINS BAT C" on one line, "97139 LES ABYMES" on the next.
        if (next_line := _POSTCODE_LINE_AFTER.match(text, end)) is not None:
            end = next_line.end()
        found.append(Candidate(start, end, "address", 0.8))
        # "Derb Sidi Bouabid, n°14, Médina, Fès", "rue du Port à Douarnenez": a quarter and
        # the town after a way that is nothing else, each found on its own (a longer span
        # found by another rule may hold the way).
        town_end = end
        for _ in range(2 if _UNAMBIGUOUS_WAY.match(m.group()) else 0):
            town = _TOWN_AFTER_STREET.match(text, town_end)
            group = "town" if town is None or town.group("city") is None else "city"
            if town is None or not _is_place_name(town.group(group)):
                break
            town_end = _trim_place(text, town.start(group), town.end(group))
            found.append(Candidate(town.start(group), town_end, "address", 0.8))
    for match in _CITY_THEN_POSTCODE.finditer(text):
        if _is_place_name(match.group("city")):
            found.append(Candidate(match.start(), match.end(), "address", 0.7))
    for match in _PRACTICE_TOWN.finditer(text):
        group = "city" if match.group("city") is not None else "town"
        start = match.start(group)
        end = _trim_place(text, start, match.end(group))
        if text[start:end].lower() not in lexicon.NOT_PLACE_WORDS:
            found.append(Candidate(start, end, "address", 0.7))
    for match in _NURSERY.finditer(text):
        start = match.start("name")
        end = _trim_place(text, start, match.end("name"))
        found.append(Candidate(start, end, "address", 0.7))
    for match in _SPORTS_CLUB.finditer(text):
        from maillage.deid import gazetteer  # gazetteer imports this module: import late

        if gazetteer.town_key(match.group("town")) in gazetteer.commune_keys():
            found.append(Candidate(match.start("club"), match.end("club"), "address", 0.7))
    for match in _NAMED_CANAL.finditer(text):
        if _key_is_not_eponym(match.group("name")):
            found.append(Candidate(match.start(), match.end(), "address", 0.7))
    for match in _SPECIALIST_TOWN.finditer(text):
        start = match.start("town")
        end = _trim_place(text, start, match.end("town"))
        if (
            _is_place_name(text[start:end])
            and text[start:end].lower() not in lexicon.NOT_PLACE_WORDS
        ):
            found.append(Candidate(start, end, "address", 0.7))
    for pattern in (_STREET_ADDRESS, _LIEU_DIT):
        for m in pattern.finditer(text):
            start, end = _extend_address(text, m.start(), _trim_place(text, m.start(), m.end()))
            found.append(Candidate(start, end, "address", 0.85))
            town = _TOWN_AFTER_STREET.match(text, end)
            if town is not None:
                group = "city" if town.group("city") is not None else "town"
                start = town.start(group)
                if group == "city" or _is_place_name(town.group(group)):
                    found.append(
                        Candidate(start, _trim_place(text, start, town.end(group)), "address", 0.8)
                    )
    for match in _ADDRESS_LABEL.finditer(text):
        value = match.group("address").rstrip(" ,")
        if any(ch.isalpha() for ch in value):
            start = match.start("address")
            found.append(Candidate(start, start + len(value), "address", 0.8))
    for pattern in (_LIVES_WITH_AT, _SEEN_AGAIN_AT):
        for match in pattern.finditer(text):
            start = match.start("city")
            end = _trim_place(text, start, match.end("city"))
            if text[start:end].lower() not in lexicon.NOT_PLACE_WORDS:
                found.append(Candidate(start, end, "address", 0.75))
    for match in _POSTCODE_CITY_ALONE.finditer(text):
        city = match.group().split(maxsplit=1)[1]
        if city.split()[0].upper() in {w.upper() for w in lexicon.UNIT_WORDS}:
            continue
        if text[match.end() : match.end() + 1] == "/":  # "10000 UFC/mL"
            continue
        start, end = _extend_address(text, match.start(), match.end())
        found.append(Candidate(start, end, "address", 0.7))
    for pattern in (
        _FOREIGN_STREET,
        _ENGLISH_STREET,
        _PREFIXED_POSTCODE,
        _POSTE_RESTANTE,
        _POSTCODE_TOWN_COUNTRY_LINE,
    ):
        for m in pattern.finditer(text):
            start, end = _extend_address(text, m.start(), _trim_place(text, m.start(), m.end()))
            found.append(Candidate(start, end, "address", 0.75))
    for m in _EAST_STREET.finditer(text):
        start, end = _extend_address(text, m.start(), _trim_place(text, m.start(), m.end()))
        found.append(Candidate(start, end, "address", 0.75))
    for m in _PLACE_LABEL.finditer(text):
        value = m.group("place").rstrip(" ,\u00a0")
        if any(ch.isupper() or ch.isdigit() for ch in value) and _is_label_place(value):
            found.append(
                Candidate(m.start("place"), m.start("place") + len(value), "address", 0.75)
            )
    for m in _BUILDING_AFTER_FLOOR.finditer(text):
        found.append(Candidate(m.start("building"), m.end("building"), "address", 0.75))
    for pattern, group in ((_BORN_AT, "city"), (_DWELLING_AT, "place")):
        for m in pattern.finditer(text):
            start = m.start(group)
            end = _trim_place(text, start, m.end(group))
            value = text[start:end]
            # "une maison au Portugal": a country is no address (ninth round).
            bare = re.sub(rf"^(?i:la|le|les|l[{_APOSTROPHES}])[ \u00a0]?", "", value)
            if bare in COUNTRIES or bare in COUNTRY_ENDONYMS:
                continue
            if _is_place_name(value) and value.lower() not in lexicon.NOT_PLACE_WORDS:
                found.append(Candidate(start, end, "address", 0.7))
    for m in _ISLAND.finditer(text):
        start = m.start("place")
        found.append(Candidate(start, _trim_place(text, start, m.end("place")), "address", 0.7))
    for m in _HIGH_STREET.finditer(text):
        start, end = _extend_address(text, m.start(), m.end())
        found.append(Candidate(start, end, "address", 0.8))
    for m in _BOX_ALONE.finditer(text):
        start, end = _extend_address(text, m.start(), m.end())
        found.append(Candidate(start, end, "address", 0.75))
    for start, end in (*_lower_streets(text), *_any_type_streets(text)):
        start, end = _extend_address(text, start, end)
        found.append(Candidate(start, end, "address", 0.75))
    for match in _ANY_PLACE_BEFORE_POSTCODE.finditer(text):
        if _is_place_name(match.group("place")):
            found.append(Candidate(match.start("place"), match.end("place"), "address", 0.7))
    for match in _PLACE_BEFORE_POSTCODE.finditer(text):
        if _is_place_name(match.group("place")):
            found.append(Candidate(match.start("place"), match.end("place"), "address", 0.7))
    for match in _VILLAGE.finditer(text):
        found.append(
            Candidate(match.start(), _trim_place(text, match.start(), match.end()), "address", 0.75)
        )
    for match in _HAMLET_AFTER_RESIDENCE.finditer(text):
        if _is_place_name(match.group("place")):
            found.append(Candidate(match.start("place"), match.end("place"), "address", 0.7))
    for match in _PRACTICE_LINE.finditer(text):
        if _is_place_name(match.group("practice")):
            found.append(Candidate(match.start("practice"), match.end("practice"), "address", 0.7))
    for match in _TOWN_WHERE_LIVES.finditer(text):
        found.append(Candidate(match.start("city"), match.end("city"), "address", 0.7))
    for match in _RESIDENCE.finditer(text):
        start = match.start("city")
        end = _trim_place(text, start, match.end("city"))
        if end > start:
            found.append(Candidate(start, end, "address", 0.75))
    found.extend(_round14_places(text))
    found.extend(list(_corners(text, found)))
    return found


def _trim_place(text: str, start: int, end: int) -> int:
    """Drop a trailing particle the greedy pattern may have taken ("… Nancy et")."""
    words = text[start:end].split(" ")
    while len(words) > 1 and words[-1].lower() in lexicon.PLACE_PARTICLES:
        words.pop()
    return start + len(" ".join(words).rstrip(" ,"))


# ---------------------------------------------------------------------------
# Dates
# ---------------------------------------------------------------------------

_MONTH_NAMES: Final = "|".join(
    sorted((re.escape(m) for m in lexicon.MONTHS), key=len, reverse=True)
)
_NUMERIC_DATE: Final = re.compile(
    r"(?<![0-9/.\-,])(?P<d>[0-9]{1,2})(?P<sep>[/.\-])(?P<m>[0-9]{1,2})(?P=sep)"
    r"(?P<y>[0-9]{4}|[0-9]{2})(?![0-9]|[/.\-][0-9])"
)
_ISO_DATE: Final = re.compile(
    r"(?<![0-9/.\-])(?P<y>(?:19|20)[0-9]{2})-(?P<m>[0-9]{2})-(?P<d>[0-9]{2})(?![0-9])"
)
_WEEKDAY: Final = r"(?:lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche)[ \u00a0]+"
_WRITTEN_DATE: Final = re.compile(
    rf"(?<![0-9,.])(?:{_WEEKDAY})?(?P<d>1er|[0-9]{{1,2}})[ \u00a0]+(?P<month>{_MONTH_NAMES})"
    rf"(?:\.?[ \u00a0]+(?P<y>(?:1[89]|20)[0-9]{{2}}))?(?![{_LOWER}])",
    re.IGNORECASE,
)
# "le 12/03": day and month without a year, only after a word that makes it a date
# (otherwise "TA 12/8" or "EVA 7/10" would be taken).
_SHORT_DATE: Final = re.compile(
    r"\b(?:le|du|au|depuis le|jusqu'au|en date du|n[ée]e? le|"
    # "dimanche 29/11", "DDR 02/10": a weekday or the last menstrual period opens a date.
    r"lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|"
    r"DDR(?:[ \u00a0]*:)?|derni[èe]res r[èe]gles(?:[ \u00a0]*:)?)[ \u00a0]+"
    r"(?P<date>(?P<d>[0-9]{1,2})/(?P<m>[0-9]{1,2}))(?![0-9/])",
    re.IGNORECASE,
)
# "du 10 au 14 juin 2024": the first day belongs to the date as much as the second.
_RANGE_START: Final = re.compile(
    rf"\b(?:du|entre le|entre)[ \u00a0]+(?P<date>(?P<d>1er|[0-9]{{1,2}}))"
    rf"[ \u00a0]+(?:au|et le|et)[ \u00a0]+(?=(?:1er|[0-9]{{1,2}})[ \u00a0]+(?:{_MONTH_NAMES})\b)",
    re.IGNORECASE,
)
# "né le 11 11 1955": a date typed with spaces, only with a four-digit year.
_SPACED_DATE: Final = re.compile(
    r"(?<![0-9,.])(?P<d>[0-9]{1,2})[ \u00a0](?P<m>[0-9]{1,2})[ \u00a0](?P<y>(?:19|20)[0-9]{2})(?![0-9]|[,.][0-9])"
)
# "né en 1957": a year of birth, with an age and a place, narrows down a person.
_BIRTH_YEAR: Final = re.compile(
    r"\bn[ée]e?s?(?:\(e\))?[ \u00a0]+en[ \u00a0]+(?P<date>(?:19|20)[0-9]{2})(?![0-9])",
    re.IGNORECASE,
)
# "né le 3 mars 61": a two-digit year after a written month, only as a date of birth.
_BIRTH_SHORT_YEAR: Final = re.compile(
    rf"\b(?:n[ée]e?s?(?:\(e\))?[ \u00a0]+le|ddn|date de naissance)[ \u00a0:]+"
    rf"(?P<date>(?:1er|[0-9]{{1,2}})[ \u00a0]+(?:{_MONTH_NAMES})\.?[ \u00a0]+[0-9]{{2}})(?![0-9])",
    re.IGNORECASE,
)
# "né en 11/1978", "date de naissance : 03/1962": a birth month and year in digits.
_BIRTH_MONTH_DIGITS: Final = re.compile(
    r"\b(?:n[ée]e?s?(?:\(e\))?(?:[ \u00a0]+(?:en|le))?|ddn|date de naissance)[ \u00a0:]+"
    r"(?P<date>(?:0?[1-9]|1[0-2])/(?:19|20)[0-9]{2})(?![0-9/])",
    re.IGNORECASE,
)
# "née en mars 1950": a birth month is identifying even without the day.
_BIRTH_MONTH: Final = re.compile(
    rf"\bn[ée]e?[ \u00a0]+en[ \u00a0]+(?P<date>(?:{_MONTH_NAMES})\.?[ \u00a0]+(?:1[89]|20)[0-9]{{2}})",
    re.IGNORECASE,
)


# "né le vingt-trois mai mil neuf cent quarante-six", "le premier mars 1950": a date written
# out in words, as old-style letters and certificates do. The day is a number word of 1 to
# 31; the year, digits or words opened by "mil", "mille" or "deux mille".
_DAY_WORD: Final = (
    r"(?:premier|(?:vingt|trente)(?:[ \u00a0\-]et[ \u00a0\-]un|-(?:deux|trois|quatre|cinq|"
    r"six|sept|huit|neuf))?|dix-(?:sept|huit|neuf)|un|deux|trois|quatre|cinq|six|sept|huit|neuf|"
    r"dix|onze|douze|treize|quatorze|quinze|seize)"
)
_NUMBER_WORD: Final = (
    r"(?:et|un|une|deux|trois|quatre|cinq|six|sept|huit|neuf|dix|onze|douze|treize|quatorze|"
    r"quinze|seize|vingts?|trente|quarante|cinquante|soixante|cents?)"
)
_DATE_IN_WORDS: Final = re.compile(
    rf"(?<![\w\-])(?:{_WEEKDAY})?(?P<d>{_DAY_WORD})[ \u00a0]+(?P<month>{_MONTH_NAMES})"
    rf"(?P<y>[ \u00a0]+(?:(?:1[89]|20)[0-9]{{2}}(?![0-9])"
    rf"|(?:mil|mille|deux[ \u00a0\-]mille)(?:[ \u00a0\-]+{_NUMBER_WORD}(?![\w]))*))?"
    rf"(?![{_LOWER}])",
    re.IGNORECASE,
)
# A day in words without a year is a date only after "le" ("le deux mars"): "un mars" alone
# is rare, "dix mai" may be a count.
_DATE_IN_WORDS_CUE: Final = re.compile(r"\ble[ \u00a0]+$", re.IGNORECASE)


# "Apgar 10/10/10", "Apgar 8/9/10", "score 7/8/9": a score's successive readings, no date.
_SCORE_BEFORE: Final = re.compile(
    r"\b(?:apgar|score|scores|eva|glasgow|mmse?|moca|cotation)[ \u00a0]*(?:[:=à][ \u00a0]*)?$",
    re.IGNORECASE,
)


def _valid_day_month(day: str, month: str) -> bool:
    d = 1 if day.lower() == "1er" else int(day)
    return 1 <= d <= 31 and 1 <= int(month) <= 12


def find_dates(text: str) -> list[Candidate]:
    """Exact dates: 12/03/1975, 12-03-75, 1975-03-12, 12 mars 1975, le 3 janvier, le 12/03.

    Durations and relative times ("depuis 3 jours", "J3") have no month and stay.
    """
    found: list[Candidate] = []
    for pattern in (_NUMERIC_DATE, _ISO_DATE, _SPACED_DATE):
        for match in pattern.finditer(text):
            if _SCORE_BEFORE.search(text, max(0, match.start() - 20), match.start()):
                continue
            if _valid_day_month(match["d"], match["m"]):
                found.append(Candidate(match.start(), match.end(), "date", 0.9))
    for match in _WRITTEN_DATE.finditer(text):
        if _valid_day_month(match["d"], str(lexicon.MONTHS[match["month"].lower()])):
            found.append(Candidate(match.start(), match.end(), "date", 0.9))
    for match in _DATE_IN_WORDS.finditer(text):
        if match["y"] or _DATE_IN_WORDS_CUE.search(text, max(0, match.start() - 8), match.start()):
            end = match.end()
            while text[match.start() : end].lower().endswith((" et", "-et")):
                end -= 3
            found.append(Candidate(match.start(), end, "date", 0.85))
    for match in _SHORT_DATE.finditer(text):
        if _valid_day_month(match["d"], match["m"]):
            found.append(Candidate(match.start("date"), match.end("date"), "date", 0.7))
    for pattern in (
        _RANGE_START,
        _BIRTH_MONTH,
        _BIRTH_MONTH_DIGITS,
        _BIRTH_YEAR,
        _BIRTH_SHORT_YEAR,
    ):
        found.extend(
            Candidate(m.start("date"), m.end("date"), "date", 0.8) for m in pattern.finditer(text)
        )
    return found


# ---------------------------------------------------------------------------
# Ages over 89
# ---------------------------------------------------------------------------

_AGE: Final = re.compile(r"(?<![0-9,.])(?P<n>[0-9]{2,3})[ \u00a0]?(?:ans|an)\b")
_DURATION_BEFORE: Final = re.compile(
    r"(?:depuis|il y a|pendant|durant|dans|voil[àa]|tous les|toutes les|sur)\s*$"
)
MAX_KEPT_AGE: Final = 89


def find_ages(text: str) -> list[Candidate]:
    """Ages of 90 and over ("92 ans"): rare enough to identify someone (HIPAA 90+ rule)."""
    found: list[Candidate] = []
    for match in _AGE.finditer(text):
        if not MAX_KEPT_AGE < int(match["n"]) <= 130:
            continue
        if _DURATION_BEFORE.search(_before(text, match.start(), 20)):
            continue
        found.append(Candidate(match.start(), match.end(), "age", 0.85))
    return found


PATTERN_FINDERS: Final[tuple[tuple[str, Finder], ...]] = (
    ("FR_NIR", find_nirs),
    ("FR_HEALTH_PROFESSIONAL_ID", find_health_professional_ids),
    ("PHONE_NUMBER", find_phones),
    ("EMAIL_ADDRESS", find_emails),
    ("FR_ADDRESS", find_addresses),
    ("DATE_TIME", find_dates),
    ("FR_AGE", find_ages),
)


def iter_pattern_candidates(text: str) -> Iterator[Candidate]:
    for _entity, finder in PATTERN_FINDERS:
        yield from finder(text)
