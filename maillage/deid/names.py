"""Person names: context rules, the NER model's filter, and propagation.

Three kinds of evidence, from strongest to weakest:

* context rules: a title (M., Mme, Dr, Pr…), a field label ("Patient : DUBOIS Marc"), a
  relation ("sa fille Françoise"), a birth name ("née Marchal"), a greeting or sign-off;
* a known first name, with the capitalised words that follow it;
* the NER model's PER entities.

Medical eponyms ("maladie de Crohn", "Glasgow 14") and drugs ("Modopar") are not people:
the weak kinds of evidence are dropped inside eponym phrases and on listed words. Once
a name is found, its other occurrences in the same text are found too.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from typing import Final

from maillage.deid import lexicon, public_names
from maillage.deid.patterns import Candidate
from maillage.deid.stop_words import FRENCH_STOP_WORDS

__all__ = [
    "adjacent_names",
    "drop_weak_in_eponyms",
    "eponym_regions",
    "filter_ner_names",
    "find_rule_names",
    "propagate_names",
]

# Latin letters beyond Latin-1 too (Turkish dotless i, Wiśniewski, Nguyễn): Latin-1's letters,
# Latin Extended-A and -B and Latin Extended Additional (Vietnamese), split by case.
_EXTENDED_LATIN: Final = [
    chr(code) for start, end in ((0xC0, 0x250), (0x1E00, 0x1F00)) for code in range(start, end)
]
_UPPER: Final = "A-Z" + "".join(c for c in _EXTENDED_LATIN if c.isupper())
_LOWER: Final = "a-z" + "".join(c for c in _EXTENDED_LATIN if c.islower())
_AP: Final = "'\u2019"
_SP: Final = r"[ \u00a0]+"

# A word of a name: "Dupont", "DUBOIS", "Marie-Claire", "N'Diaye", "J.-P.", "F.".
_NAME_WORD: Final = (
    rf"(?:(?<![/\w])[{_UPPER}]\.(?:-[{_UPPER}]\.)?"
    rf"|(?:[{_UPPER}][{_AP}])?[{_UPPER}][{_LOWER}{_UPPER}]*(?:[\-{_AP}][{_UPPER}{_LOWER}]+)*)"
)
_NAME_PARTICLE: Final = (
    r"(?:de|du|des|van|von|der|den|di|da|del|della|dos|ben|bin|el|al|de la"
    # A married woman's usual name: "GARNIER épouse ROUSSEL Monique".
    r"|[ée]pouse|[ée]p\.|veuve|vve)"
)
_NAME_BODY: Final = (
    # "Jean-Baptiste d'Harcourt": an elided particle glued to the surname.
    rf"{_NAME_WORD}(?:(?:{_SP}{_NAME_PARTICLE})?{_SP}(?:d[{_AP}])?{_NAME_WORD}){{0,3}}"
    r"(?![\w])"
)
_TITLE: Final = (
    r"(?:M\.|MM\.|Mr\.?|Mrs\.?|Mmes?|Mlles?|Me|Ma[îi]tre|Dre?s?\.?|Pre?\.?|[Dd]octeure?|[Pp]rofesseure?"
    r"|[Mm]onsieur|[Mm]adame|[Mm]ademoiselle|[Mm]essieurs|[Mm]esdames)"
)
_TITLES: Final = rf"{_TITLE}(?:{_SP}(?:et|&){_SP}{_TITLE})?(?:{_SP}(?:le|la){_SP}{_TITLE})?"

# Letter headers in capitals: "DR JEAN-MARC FAURE", "MME Odile KERBRAT". Taken only when the
# name's first word is in capitals too or a first name: "DR" is also a retinal detachment
# ("DR Macula-off"), and "PR" (rheumatoid arthritis) is left out.
_BY_CAPS_TITLE: Final = re.compile(
    rf"(?<![\w.])(?:DRE?S?\.?|MMES?|MLLES?|MR\.?|DOCTEURE?|MONSIEUR|MADAME|MADEMOISELLE|"
    rf"PROFESSEURE?){_SP}(?P<name>{_NAME_BODY})"
)
# After a title, a lowercase particle may start the name: "Dr de Villiers", "M. d'Alembert".
_BY_TITLE: Final = re.compile(
    rf"(?<![\w.]){_TITLES}{_SP}"
    rf"(?P<name>(?:(?:de|du|des|van|von|le|la){_SP}|d[{_AP}])?{_NAME_BODY})"
)
# A capitalised name after a title typed in lower case, as in SMS ("bjr dr Morvan"), or
# after "je m'appelle". "me" and "m" are left out (lower-case "me" is a pronoun), and so is
# "je suis", which precedes adjectives as often as names ("je suis Diabétique").
_BY_LOWER_TITLE: Final = re.compile(
    rf"(?<![\w.])(?:dr|drs|pr|mme|mlle|mr|docteur|je m[{_AP}]appelle)"
    rf"\.?{_SP}(?P<name>{_NAME_BODY})"
)
# "Mme L.", "M. D.": an initial after a courtesy title still points at one person.
_INITIAL_BY_TITLE: Final = re.compile(
    rf"(?<![\w.])(?:M\.|Mr\.?|Mmes?|Mlles?|[Mm]onsieur|[Mm]adame|[Mm]ademoiselle|mme|mlle|mr)"
    rf"{_SP}(?P<name>[{_UPPER}]\.(?:-?[{_UPPER}]\.)?)(?![\w])"
)
# "T. K., 17 ans", "A. B. (82 ans)": initials standing for a person, with the age after.
_INITIALS_WITH_AGE: Final = re.compile(
    rf"(?<![\w.\-])(?P<name>[{_UPPER}]\.(?:[ \u00a0]?-?[{_UPPER}]\.){{1,3}})"
    rf"(?=[ \u00a0]*[,(]?[ \u00a0]*[0-9]{{1,3}}[ \u00a0]*(?:ans|mois)(?![\w]))"
)
# "Chr. Paoli", "Ph. Martin", "Th. Girard": an abbreviated first name before a surname.
_ABBREVIATED_FIRST_NAME: Final = re.compile(
    rf"(?<![\w.\-])(?P<name>(?:Chr|Ch|Ph|Th|Cl|Fr|Gh|Jh|Jn|Gab|Jacq|Guill|Fréd|Nath|Véro|Dom|Seb|Séb)"
    rf"\.[ \u00a0]?(?:-[ \u00a0]?[{_UPPER}][{_LOWER}]{{0,2}}\.[ \u00a0]?)?[ \u00a0]?"
    rf"[{_UPPER}][{_LOWER}]+(?:-[{_UPPER}][{_LOWER}]+)?)(?![\w])"
)
# A name typed in lower case after a title ("mme durand", "dr lefevre"): taken only when
# the words are known first names or surnames, since "Mme est venue" is not a name.
_LOWER_BY_TITLE: Final = re.compile(
    rf"(?<![\w.])(?i:m\.|mr\.?|mme|mlle|dr\.?|pr\.?|docteur|madame|monsieur){_SP}"
    # "mr et mme durand": the name follows the second title.
    # "dr l. bertrand": an initial and a surname typed in lower case.
    rf"(?!(?i:et|&){_SP})(?P<name>(?:[{_LOWER}]\.[ \u00a0]?|[{_LOWER}][{_LOWER}\-]+{_SP})?"
    rf"[{_LOWER}][{_LOWER}\-]+)(?![\w])"
)
# "le patient de françois", "c'est nadège": a first name typed in lower case, alone, where
# only a person can stand. Taken only when it is a known, unambiguous first name.
_LOWER_AFTER_PERSON: Final = re.compile(
    rf"(?<![\w])(?i:(?:patiente?|fille|fils|mari|femme|[ée]pouse|m[èe]re|p[èe]re|maman|papa|"
    rf"fr[èe]re|s[œo]e?ur|dossier|cas|parents|amie?|voisine?|compagne|compagnon|petite?-fils|"
    rf"petite-fille|tante|oncle|cousine?|neveu|ni[èe]ce){_SP}(?:de{_SP}|d[{_AP}]|[aà]{_SP})"
    # "c'est nadège", and SMS spellings: "cest", "c nadège" (after a greeting or a title).
    rf"|c[{_AP}]est{_SP}|cest{_SP}|(?<=[\w,.!][ \u00a0])c{_SP}(?=[{_LOWER}])"
    rf"|je suis{_SP}|je m[{_AP}]appelle{_SP}"
    # "elle s'appelle manon", "ici corinne" (on the phone), "c moi kevin", "prénommée
    # lola", and a first name signing an SMS: "bisous. sandrine", "cordialement, jean-pierre".
    rf"|[smt][{_AP}]appel(?:le|les|lent|ait|aient){_SP}|ici{_SP}|moi{_SP}|pr[ée]nomm[ée]e?s?{_SP}"
    rf"|(?:merci|bisous|bises|cordialement|amicalement|[àa] bient[ôo]t|bonne journ[ée]e|"
    rf"bonne soir[ée]e)(?:{_SP}docteur)?[ \u00a0]*[,.!]+[ \u00a0\n]*"
    # "mon mari patrick", "ma fille yasmine", "notre voisin rené": a relative's first name
    # typed in lower case right after the family word.
    rf"|(?:mon|ma|notre|son|sa|leur|ton|ta|votre|la|le){_SP}(?:mari|femme|[ée]pouse|fille|fils|"
    rf"m[èe]re|p[èe]re|maman|papa|fr[èe]re|s[œo]e?ur|compagne|compagnon|copine|copain|amie?|"
    rf"voisine?|petite?-fils|petite-fille|belle-fille|beau-fils|gendre|neveu|ni[èe]ce|cousine?|"
    rf"grand-m[èe]re|grand-p[èe]re|beau-p[èe]re|belle-m[èe]re|"
    # The rest of the family and the household: "ma tante monique", "mon papi jean".
    rf"tante|oncle|tonton|tata|papi|papy|mamie|mamy|p[ée]p[ée]|m[ée]m[ée]|parrain|marraine|"
    rf"beau-fr[èe]re|belle-s[œo]e?ur|conjointe?|concubine?|fianc[ée]e?|petite?[ -]amie?|"
    rf"colocataire|coloc|filleule?|aidante?|auxiliaire|nounou|petite?|fiston)(?:{_SP}|[ \u00a0]*\(|{_SP}\())"
    # "le fils (cédric alquier)": the name may stand in brackets, and its surname follow.
    rf"(?P<name>[{_LOWER}][{_LOWER}\-]{{2,}})(?![\w])"
    rf"(?:{_SP}(?P<surname>[{_LOWER}][{_LOWER}\-]{{2,}})(?P<closed>\))?(?![\w]))?"
)
_LOWER_PAIR: Final = re.compile(
    rf"(?<![\w\-{_AP}])(?P<first>[{_LOWER}][{_LOWER}\-]{{2,}}){_SP}(?P<last>[{_LOWER}][{_LOWER}\-]{{2,}})(?![\w])"
)

# "ROBERT FAURE" at the foot of a message typed in capitals: a known first name and a known
# surname, both in capitals.
_CAPS_PAIR: Final = re.compile(
    rf"(?<![\w\-{_AP}])(?P<first>[{_UPPER}][{_UPPER}\-]{{2,}}){_SP}(?P<last>[{_UPPER}][{_UPPER}\-]{{2,}})(?![\w])"
)


def _alternation(words: Iterable[str]) -> str:
    escaped = (re.escape(w).replace("'", f"[{_AP}]") for w in words)
    return "|".join(sorted(escaped, key=len, reverse=True))


_LOWER_TITLED_AFTER_CUE: Final = re.compile(
    rf"(?<![\w])(?i:c[{_AP}]est|cest|c|ici"
    rf"|(?:fils|fille|mari|femme|[ée]pouse|m[èe]re|p[èe]re|fr[èe]re|s[œo]e?ur|voisine?|amie?|"
    rf"neveu|ni[èe]ce|petite?-fils|petite-fille|aidante?){_SP}(?:de|a|à)"
    rf"|(?:son|sa|mon|ma|notre|votre|leur|la|le|une?){_SP}(?:{_alternation(lexicon.RELATIONS)}))"
    rf"{_SP}(?i:mme|mr|m\.|mlle|madame|monsieur){_SP}"
    rf"(?P<name>[{_LOWER}][{_LOWER}\-]+)(?![\w\-{_AP}])"
)
#: The labels, and the same typed without accents ("PRENOM :", "Prenom :").
_LABELS_TYPED: Final = lexicon.NAME_LABELS | {
    "".join(ch for ch in unicodedata.normalize("NFKD", label) if not unicodedata.combining(ch))
    for label in lexicon.NAME_LABELS
}
_BY_LABEL: Final = re.compile(
    # "PATIENT(E) :", "Né(e) :": a form's label may carry its feminine in brackets.
    rf"(?<![\w])(?i:{_alternation(_LABELS_TYPED)})(?i:\(e\))?[ \u00a0]*:[ \u00a0]*"
    rf"(?:{_TITLES}{_SP})?(?P<name>{_NAME_BODY})"
)
# "nom : lefebvre prénom : simone": a form's identity field typed in lower case.
_LOWER_BY_IDENTITY_LABEL: Final = re.compile(
    r"(?<![\w])(?i:nom|pr[ée]noms?|nom de naissance|nom d'usage|nom de jeune fille|nom marital|"
    rf"identit[ée])[ \u00a0]*:[ \u00a0]*(?P<name>[{_LOWER}][{_LOWER}{_AP}\-]+"
    rf"(?:{_SP}[{_LOWER}][{_LOWER}{_AP}\-]+){{0,2}})(?![\w])"
)
#: What a form's identity field holds when it holds no name.
_UNFILLED: Final = frozenset(
    {"inconnu", "inconnue", "anonyme", "idem", "néant", "neant", "nc", "nr", "non", "xxx"}
)
# "son infirmière libérale", "le médecin traitant", "sa fille aînée".
_RELATION_QUALIFIERS: Final = (
    rf"(?:{_SP}(?:libérale?|à domicile|référente?|traitante?|de garde|de confiance"
    r"|scolaire|du travail|coordonnat(?:eur|rice)|aînée?|cadette?))?"
)
# "sa fille Françoise", "le patient Rousseau", "son frère, M. Nicolas Giraud".
_BY_RELATION: Final = re.compile(
    rf"(?<![\w])(?i:(?:son|sa|ses|leur|notre|mon|ma|le|la|l[{_AP}]|un|une)[ \u00a0]*"
    rf"(?:{_alternation(lexicon.RELATIONS)}){_RELATION_QUALIFIERS})"
    # "sa fille Françoise", "le frère, Paul", "la fille (Aurore)".
    rf"(?:[ \u00a0]*[,:]?{_SP}|[ \u00a0]*\([ \u00a0]*)(?:{_TITLES}{_SP})?(?P<name>{_NAME_BODY})",
)
# "la maman d'Inaya", "fille de Jeanne Dupont".
_BY_KIN_OF: Final = re.compile(
    rf"(?<![\w])(?i:maman|papa|m[èe]re|p[èe]re|parents|fr[èe]re|s[œo]e?ur|fils|fille|"
    rf"grand-m[èe]re|grand-p[èe]re|[ée]pouse|mari|compagne|compagnon|veuve|veuf)"
    rf"{_SP}(?:de{_SP}|d[{_AP}][ \u00a0]*)(?:{_TITLES}{_SP})?(?P<name>{_NAME_BODY})"
)
# "Famille Traoré", "Enfant Noah Gashi", "Résidente Marie Petit", "Élève Léa Morel": a
# person word opening a line or a sentence, without a determiner, before a capitalised
# name (with one, "la famille", it is _BY_RELATION's).
_BY_BARE_PERSON_WORD: Final = re.compile(
    rf"(?:^|(?<=[\n.:;!?]))[ \u00a0]*(?i:famille|enfant|b[ée]b[ée]|nourrisson|r[ée]sidente?|"
    rf"patiente?|[ée]l[èe]ve|victime|b[ée]n[ée]ficiaire|usager|usag[èe]re){_SP}"
    rf"(?P<name>{_NAME_BODY})",
    re.MULTILINE,
)
_BY_BIRTH_NAME: Final = re.compile(rf"(?<![\w])[Nn]é(?:e|\(e\))?{_SP}(?P<name>{_NAME_BODY})")
# "(épouse Vidal)", "Augustine Pourcher veuve Delort": a married or widow's name.
_BY_MARRIED_NAME: Final = re.compile(
    rf"(?<![\w])(?:[ée]pouse|[ÉE]pouse|[ée]p\.|veuve|vve\.?){_SP}(?P<name>{_NAME_BODY})"
)
_BY_GREETING: Final = re.compile(
    rf"(?<![\w])(?i:{_alternation(lexicon.GREETINGS)}){_SP}(?:{_TITLES}{_SP})?(?P<name>{_NAME_BODY})"
)
# Only a comma or a line break before the name: after a full stop comes a new sentence.
# An e-mail signature may open with its "-- " separator line.
_BY_SIGN_OFF: Final = re.compile(
    rf"(?<![\w])(?i:{_alternation(lexicon.SIGN_OFFS)})[ \u00a0]*,?\s*(?:(?:--|—|__+)[ \u00a0]*\n\s*)?"
    rf"(?:{_TITLES}{_SP})?(?P<name>{_NAME_BODY})"
)
# The local part of an e-mail address names its owner more often than not:
# "s.vandamme@…" signs "Sophie Vandamme", "operrot@…" "Olivier Perrot", "jb.auclair@…".
_EMAIL_LOCAL: Final = re.compile(r"(?<![\w.+-])(?P<local>[\w.%+-]+)@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
_EMAIL_GENERIC: Final = frozenset(
    {"contact", "accueil", "secretariat", "secretariats", "info", "infos", "medco", "cabinet",
     "pharmacie", "service", "direction", "admin", "mail", "courrier", "noreply", "ehpad",
     "clinique", "hopital", "labo", "laboratoire", "urgences", "marche", "centre", "sante",
     "medecin", "docteur", "dr", "mssante", "rdv", "consultation", "planning", "equipe",
     "ide", "idel", "kine", "ortho", "infirmier", "infirmiere", "cab", "doc", "pro", "sec"}
)  # fmt: skip

_WORD: Final = re.compile(rf"[{_UPPER}{_LOWER}{_AP}\-.]+")
_CAPITALISED_WORD: Final = re.compile(
    rf"(?<![\w\-{_AP}])(?:[{_UPPER}][{_AP}])?[{_UPPER}][{_LOWER}{_UPPER}]*"
    rf"(?:[\-{_AP}][{_UPPER}{_LOWER}]+)*(?![\w\-])"
)
# An eponym phrase: head noun (up to two adjectives), "de/d'/von…", capitalised words.
_EPONYM_WORD: Final = (
    rf"[{_UPPER}][{_LOWER}{_UPPER}]+(?:[\-{_AP}][{_UPPER}{_LOWER}]+)*|Mac{_SP}[{_UPPER}][{_LOWER}]+"
)
_EPONYM_PHRASE: Final = re.compile(
    rf"(?<![\w])(?i:{_alternation(lexicon.EPONYM_HEADS)})"
    rf"(?:{_SP}(?:[{_LOWER}\-]+|[{_UPPER}0-9]{{1,3}}))?(?:{_SP}[{_LOWER}\-]+)?"
    rf"{_SP}(?:de|du|des|von|van|d[{_AP}])[ \u00a0]*"
    rf"(?P<eponym>(?:{_EPONYM_WORD})(?:(?:{_SP}(?:et|de la|de|von|van))?(?:{_SP}|[ \u00a0]?-[ \u00a0]?)"
    rf"(?:{_EPONYM_WORD})){{0,3}})"
)

_STRONG: Final = 0.9
_FIRST_NAME: Final = 0.8
_PROPAGATED: Final = 0.75

#: Words never part of a name whatever the evidence ("M. Dupont Patient").
_NEVER_NAME: Final = lexicon.MEDICAL_WORDS | lexicon.TITLES | lexicon.NOT_PERSON_WORDS
#: Of those, the ones that cannot be a surname even right after a first name.
_NEVER_SURNAME: Final = (
    lexicon.TITLES
    | lexicon.NAME_LABELS
    | lexicon.RELATIONS
    | lexicon.EPONYM_HEADS
    | lexicon.words_of(
        """
        né, née, tél, téléphone, adresse, mail, email, e-mail, nom, prénom, ans, an, rpps,
        adeli, finess, nir, ins, le, la, les, un, une, des, je, il, elle, nous, vous, ils, elles,
        on, ce, cette, ces, et, ou, de, du, pour, par, avec, sans, dans, chez, depuis, après,
        avant, lors, selon, sous, sur, merci, bonjour, bonsoir, cordialement, amitiés,
        lundi, mardi, mercredi, jeudi, vendredi, samedi, dimanche, janvier, février, mars,
        avril, mai, juin, juillet, août, septembre, octobre, novembre, décembre
        """
    )
)
#: Capitalised particles that start a surname: "Le Gall", "De Smet", "Van Damme", "Ben Salah".
_SURNAME_PARTICLES: Final = frozenset(
    {"le", "la", "de", "du", "des", "van", "von", "di", "da", "del", "ben", "el", "al", "mac", "mc"}
)


def _key(word: str) -> str:
    return word.lower().replace("\u2019", "'")


def _is_weak_word(word: str, *, eponyms: bool = True) -> bool:
    """A capitalised word that, on weak evidence, is medical vocabulary and not a name."""
    key = _key(word)
    if key in _NEVER_NAME or key in lexicon.RELATIONS or key in lexicon.EPONYM_HEADS:
        return True
    # "EPOUSE", "MEDECIN": the same typed in capitals without accents; "ANTI-XA", "anti-TPO".
    if key.startswith("anti-") or (word.isupper() and _fold(word) in _FOLDED_NEVER):
        return True
    if eponyms and key in lexicon.EPONYMS:
        return True
    if lexicon.is_drug(word):
        return True
    if not _is_first_name(key) and len(key) > 5 and key.endswith(lexicon.MEDICAL_SUFFIXES):
        return True
    parts = key.split("-")
    if eponyms and len(parts) > 1 and any(p in lexicon.EPONYMS for p in parts):
        return True  # "Wolff-Parkinson-White", "Charcot-Marie-Tooth"
    if _is_acronym_like(word):
        return True
    letters = word.replace(".", "").replace("-", "")
    return letters.isupper() and len(letters) <= 4 and "." not in word  # ECG, CRP, HTA


_ACRONYM_PART: Final = re.compile(rf"[{_UPPER}0-9]*[{_UPPER}][{_UPPER}0-9]*")


def _is_acronym_like(word: str) -> bool:
    """Lab and disease codes ("Anti-SSA", "NT-proBNP", "HbA1c", "C3"), never a person.

    A part in capitals of two letters or more beside another part, or capitals mixed with
    digits. A surname typed in capitals ("DUBOIS") has neither.
    """
    parts = word.split("-")
    if (
        len(parts) > 1
        and any(len(p) >= 2 and _ACRONYM_PART.fullmatch(p) for p in parts)
        and any(not p.isupper() for p in parts)  # "COLIN-MAILLARD" is a surname
    ):
        return True
    return any(ch.isdigit() for ch in word) and any(ch.isupper() for ch in word)


def _trim(text: str, start: int, end: int, *, weak: bool) -> tuple[int, int] | None:
    """Shrink a span to its name words; None if nothing name-like is left."""
    words = [(m.start() + start, m.end() + start) for m in _WORD.finditer(text[start:end])]

    # A form's next label ends the name: "PETIT          PRENOM : ROSE", "LACROIX   Nom de".
    for index, (word_start, word_end) in enumerate(words[1:], 1):
        if _fold(text[word_start:word_end]) in _FORM_LABEL_WORDS:
            words = words[:index]
            break

    def bad(span: tuple[int, int]) -> bool:
        word = text[span[0] : span[1]].rstrip(".")
        if word[:1] == "d" and word[1:2] in _AP and span is not words[0]:
            word = word[2:]  # "d'Harcourt": the surname after its elided particle
        if not word or not word[0].isupper():
            return not (span is words[0] and len(words) > 1 and _key(word) in _SURNAME_PARTICLES)
        if _key(text[span[0] : span[1]]) in lexicon.TITLES:
            return True
        # An eponym is a name next to another name ("Lou-Anne Becker"), medical alone.
        if weak:
            return _is_weak_word(word, eponyms=False)
        if _key(word) not in _NEVER_NAME or _is_surname_word(text, span[0], span[1]):
            return False
        # After a title and a first name, an everyday word is the surname ("M. Benoît
        # Garçon"); labels and titles still end the name ("M. Paul Né le…").
        previous = words.index(span) - 1
        return not (
            span is words[-1]
            and previous >= 0
            and _is_first_name(_key(text[words[previous][0] : words[previous][1]]))
            and _key(word) not in _NEVER_SURNAME
        )

    while words and bad(words[0]):
        if len(words) > 1 and _key(text[words[0][0] : words[0][1]]) in _SURNAME_PARTICLES:
            break
        words.pop(0)
    while words and bad(words[-1]):
        words.pop()
    if not words:
        return None
    new_start, new_end = words[0][0], words[-1][1]
    if text[new_end - 1] == "." and not re.fullmatch(
        rf"(?:[{_UPPER}]\.-?)+", text[words[-1][0] : new_end]
    ):
        new_end -= 1  # sentence full stop, not an initial
    if all(len(text[s:e].rstrip(".")) <= 1 for s, e in words) and (weak or len(words) < 2):
        return None  # initials alone ("Patient : B. R." after a label or title is a name)
    if weak and all(_is_weak_word(text[s:e].rstrip(".")) for s, e in words):
        return None
    return new_start, new_end


def _matches(text: str, pattern: re.Pattern[str]) -> Iterable[re.Match[str]]:
    """Every match of ``pattern``.

    A label's is searched again from each name's start: a form's next label may stand
    right after a name ("NOM : HAMIDOU  Prénom : Zaïnaba").
    """
    if pattern is not _BY_LABEL:
        yield from pattern.finditer(text)
        return
    position = 0
    while (match := pattern.search(text, position)) is not None:
        yield match
        position = match.start("name")


#: Words of a form's labels that end a name typed before them.
_FORM_LABEL_WORDS: Final = frozenset(
    {"nom", "prenom", "prenoms", "ddn", "sexe", "date", "adresse", "tel", "telephone", "ne",
     "nee", "age", "ipp", "nir", "rpps", "adeli"}
)  # fmt: skip


def _is_surname_word(text: str, start: int, end: int) -> bool:
    """A listed word that is a surname where strong evidence points at a person.

    A month with no day or year around it ("Mme Avril Lebrun", "le papa (Frantz
    Janvier)", "Mme Nguyễn Thị Mai"), and the few clinical words that are frequent
    surnames ("Mme Vidal": also the drug dictionary).
    """
    key = _key(text[start:end])
    if key in lexicon.SURNAMES_AMONG_WORDS:
        return True
    return (
        key in lexicon.MONTHS
        and _DIGIT_BEFORE.search(text, max(0, start - 6), start) is None
        and _DIGIT_AFTER.match(text, end) is None
    )


# "le 3 avril", "1er Mai", "Avril 2026", "juin-25": a month in a date.
_DIGIT_BEFORE: Final = re.compile(r"[0-9](?:er|e)?[ \u00a0./-]*$")
_DIGIT_AFTER: Final = re.compile(r"[ \u00a0./-]*[0-9']")


def _from_pattern(text: str, pattern: re.Pattern[str]) -> list[Candidate]:
    found = []
    for match in _matches(text, pattern):
        span = _trim(text, match.start("name"), match.end("name"), weak=False)
        if span is None:
            continue
        word = text[span[0] : span[1]]
        # "un patient BPCO", "la patiente Xarelto": a relation word is weaker evidence than
        # a title, so a lone code or drug after it is what the patient has, not who.
        if (
            pattern in (_BY_RELATION, _BY_BARE_PERSON_WORD)
            and " " not in word
            and _is_weak_word(word, eponyms=False)
        ):
            continue
        # "BONJOUR JE SUIS TOUJOURS MALADE": a message in capitals after a greeting; a name
        # in capitals opens with no grammatical word but a particle ("DE LA FONTAINE").
        first = word.split()[0]
        if (
            word.isupper()
            and first.lower() in FRENCH_STOP_WORDS
            and _key(first) not in _SURNAME_PARTICLES
            and not _is_known_name(first)
        ):
            continue
        found.append(Candidate(span[0], span[1], "name", _STRONG))
    return found


def _first_name_candidates(text: str) -> list[Candidate]:
    found: list[Candidate] = []
    words = list(_CAPITALISED_WORD.finditer(text))
    index = 0
    while index < len(words):
        word = words[index]
        key = _key(word.group())
        if not _is_first_name(key) or word.group().isupper():  # "EVA 7/10" is a pain scale
            index += 1
            continue
        start, end = word.start(), word.end()
        # A surname in capitals before the first name: "DUBOIS Marc".
        if index > 0:
            previous = words[index - 1]
            between = text[previous.end() : start]
            # "LE GOFF Yvon", "DA SILVA Maria": a particle in capitals before it makes even
            # a short word in capitals a surname ("GOFF" alone could be a code).
            particle = words[index - 2] if index > 1 else None
            if particle is not None and not (
                particle.group().isupper()
                and particle.group().lower() in _SURNAME_PARTICLES
                and re.fullmatch(_SP, text[particle.end() : previous.start()])
            ):
                particle = None
            if (
                between.strip() == ""
                and previous.group().isupper()
                and len(previous.group()) >= 3
                and (
                    not _is_weak_word(previous.group())
                    or (particle is not None and _key(previous.group()) not in _NEVER_NAME)
                )
            ):
                start = previous.start() if particle is None else particle.start()
        # Following capitalised words: "Jeanne Moreau", "Yannick Le Gall".
        following = index + 1
        while following < len(words):
            candidate = words[following]
            between = text[end : candidate.start()]
            if not re.fullmatch(rf"{_SP}(?:{_NAME_PARTICLE}{_SP})?", between):
                break
            candidate_key = _key(candidate.group())
            if candidate_key in _SURNAME_PARTICLES and following + 1 < len(words):
                after = words[following + 1]
                if re.fullmatch(_SP, text[candidate.end() : after.start()]) and not _is_weak_word(
                    after.group()
                ):
                    end = after.end()
                    following += 2
                    continue
            # "Margaux Février", "Louis Mai": a month after an unambiguous first name, with
            # no day or year after it, is a surname.
            month_surname = (
                candidate_key in lexicon.MONTHS
                and key not in _AMBIGUOUS_FIRST_NAMES
                and re.match(r"[ \u00a0]*[0-9]", text[candidate.end() :]) is None
            )
            if _ends_name(candidate.group()) and not month_surname:
                break
            end = candidate.end()
            following += 1
        alone = (start, end) == (word.start(), word.end())
        if alone and (key in _AMBIGUOUS_FIRST_NAMES or _is_place_word(text, start, end)):
            index += 1
            continue
        found.append(Candidate(start, end, "name", _FIRST_NAME))
        index = following
    return found


def _fold(word: str) -> str:
    """Lower case without accents: "Éva" and "Eva", "Hélène" and "Helene" are one name."""
    decomposed = unicodedata.normalize("NFKD", _key(word))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


_FOLDED_FIRST_NAMES: Final = frozenset(
    _fold(name) for name in lexicon.FIRST_NAMES | public_names.FIRST_NAMES
)
#: The curated list decides for its own names; a public name that is also a French common
#: word is ambiguous.
_FOLDED_NEVER: Final = frozenset(_fold(w) for w in _NEVER_NAME | lexicon.RELATIONS)
_AMBIGUOUS_FIRST_NAMES: Final = lexicon.AMBIGUOUS_FIRST_NAMES | (
    public_names.AMBIGUOUS_FIRST_NAMES - lexicon.FIRST_NAMES
)
_FOLDED_SURNAMES: Final = frozenset(_fold(name) for name in public_names.SURNAMES)


def _ends_name(word: str) -> bool:
    """A capitalised word after a first name that is not its surname: "Pierre Cardiologue"."""
    key = _key(word)
    return (
        (key in _NEVER_NAME and key not in lexicon.SURNAMES_AMONG_WORDS)
        or key in lexicon.RELATIONS
        or key in lexicon.EPONYM_HEADS
        or lexicon.is_drug(word)
    )


def _is_known_name(word: str) -> bool:
    """A first name (not ambiguous) or a surname of the public lists."""
    key = _key(word)
    return (_is_first_name(key) and key not in _AMBIGUOUS_FIRST_NAMES) or all(
        part in _FOLDED_SURNAMES or part in _FOLDED_FIRST_NAMES for part in _fold(key).split("-")
    )


def _lowercase_names(text: str) -> list[Candidate]:
    """Names typed in lower case: after a title, or a first name and a surname."""
    found: list[Candidate] = []
    for match in _LOWER_BY_TITLE.finditer(text):
        words = match.group("name").split()
        if len(words) == 2 and words[0].endswith(".") and _could_be_surname(words[1]):
            # "dr l. bertrand": an initial after a title, then a word that could be a name.
            start = match.start("name")
            found.append(Candidate(start, match.end("name"), "name", _STRONG))
            continue
        # "mme josiane bour": after a title and a known first name, the next lower-case
        # word is the surname unless it is a grammatical or medical word ("mme josiane
        # est venue", "mr paul diabétique"): surname lists never hold every surname.
        first_and_surname = (
            len(words) == 2
            and _is_first_name(words[0])
            and words[0] not in _AMBIGUOUS_FIRST_NAMES
            and _could_be_surname(words[1])
        )
        if not first_and_surname:
            while words and not _is_known_name(words[-1]):
                words.pop()
        if words and (first_and_surname or all(_is_known_name(w) for w in words)):
            start = match.start("name")
            found.append(Candidate(start, start + len(" ".join(words)), "name", _STRONG))
    position = 0
    # Searched again from each name's start: the next label may follow the name directly.
    while (labelled := _LOWER_BY_IDENTITY_LABEL.search(text, position)) is not None:
        position = labelled.start("name")
        # The field holds the name whatever it is, up to the next label or a word no name
        # is ("nom : inconnu", "prénom : non renseigné").
        words = []
        for word in labelled.group("name").split():
            if (
                _key(word) in lexicon.NAME_LABELS
                or _key(word) in _UNFILLED
                or not _could_be_surname(word)
            ):
                break
            words.append(word)
        if words:
            found.append(Candidate(position, position + len(" ".join(words)), "name", _STRONG))
    position = 0
    # Searched again from each name's start: the word taken as a name may itself be a cue
    # ("merci docteur, bisous. sandrine", "c moi kevin").
    while (cued := _LOWER_AFTER_PERSON.search(text, position)) is not None:
        position = cued.start("name")
        word = cued.group("name")
        if (
            _is_first_name(word) and word not in _AMBIGUOUS_FIRST_NAMES and not _is_weak_word(word)
        ) or _is_nickname(word):
            end = cued.end("name")
            surname = cued.group("surname")
            # The next word is the surname when the lists know it or a bracket closes right
            # after it ("(cédric alquier)"), and it is no grammar or medicine.
            if (
                surname is not None
                and _could_be_surname(surname)
                and (cued.group("closed") or _fold(surname) in _FOLDED_SURNAMES)
            ):
                end = cued.end("surname")
            found.append(Candidate(cued.start("name"), end, "name", _FIRST_NAME))
    for match in _CAPS_PAIR.finditer(text):
        first, last = match.group("first").lower(), match.group("last").lower()
        if (
            _is_first_name(first)
            and first not in _AMBIGUOUS_FIRST_NAMES
            and not _is_weak_word(match.group("first"))
            and _fold(last) in _FOLDED_SURNAMES
            and not _is_weak_word(match.group("last"))
            and last not in FRENCH_STOP_WORDS
        ):
            found.append(Candidate(match.start(), match.end(), "name", _FIRST_NAME))
    for match in _LOWER_PAIR.finditer(text):
        first, last = match.group("first"), match.group("last")
        if (
            _is_first_name(first)
            and first not in _AMBIGUOUS_FIRST_NAMES
            and _fold(last) in _FOLDED_SURNAMES
            and not _is_weak_word(last)
        ):
            found.append(Candidate(match.start(), match.end(), "name", _FIRST_NAME))
    return found


def _is_nickname(word: str) -> bool:
    """A doubled syllable ("dédé", "jojo", "nono", "loulou"), no word of the family."""
    folded = _fold(word)
    half = len(folded) // 2
    return (
        len(folded) in (4, 6)
        and folded[:half] == folded[half:]
        and folded not in _NURSERY_WORDS
        and any(ch in "aeiouy" for ch in folded[:half])
    )


_NURSERY_WORDS: Final = frozenset(
    {"papa", "mama", "tata", "tonton", "pepe", "meme", "bebe", "dodo", "bobo", "nounou",
     "caca", "pipi", "lolo", "zizi", "doudou", "toto", "titi", "coucou", "bonbon", "tutu",
     "nana", "gaga", "baba", "dada", "cucu", "fifi", "kiki", "coco", "mimi", "yoyo", "tchatcha"}
)  # fmt: skip


def _lower_titled_after_cue(text: str) -> list[Candidate]:
    """A surname typed in lower case after a lower-case title, where only a person stands.

    "c mme benhamou", "sa voisine mme teyssedre", "le fils a mme andrieu", "mon patient m.
    paget" (an eponym is a surname after a title). The word must be no grammar, no
    medicine and no participle.
    """
    found = []
    for match in _LOWER_TITLED_AFTER_CUE.finditer(text):
        word = match.group("name")
        key = _key(word)
        if (
            len(word) >= 3
            and word not in FRENCH_STOP_WORDS
            and (key not in _NEVER_NAME or key in lexicon.SURNAMES_AMONG_WORDS)
            and key not in lexicon.RELATIONS
            and not lexicon.is_drug(word)
            and not (len(key) > 5 and key.endswith(lexicon.MEDICAL_SUFFIXES))
            and not word.endswith(("é", "ée", "és", "ées", "ait", "aient"))
        ):
            found.append(Candidate(match.start("name"), match.end("name"), "name", _STRONG))
    return found


def _could_be_surname(word: str) -> bool:
    """A lower-case word after a title and a first name that is no grammar nor medicine."""
    return (
        len(word) >= 3
        and word not in FRENCH_STOP_WORDS
        and not _is_weak_word(word)
        and _key(word) not in lexicon.NOT_PLACE_WORDS
        # past participles and imperfects: "mme josiane tombée", "mr paul allait"
        and not word.endswith(("é", "ée", "és", "ées", "ait", "aient"))
    )


def _email_owner_names(text: str) -> list[Candidate]:
    """Capitalised words of the text that spell a part of an e-mail's local part."""
    if "@" not in text:
        return []
    parts: set[str] = set()
    for match in _EMAIL_LOCAL.finditer(text):
        local = re.split(r"[._%+\-0-9]+", _fold(match.group("local")))
        # "laurence.bru@…": beside a first name a three-letter part is a surname too.
        shortest = 3 if any(_is_first_name(p) for p in local) else 4
        for part in local:
            if len(part) >= shortest and part not in _EMAIL_GENERIC:
                parts.add(part)
                if len(part) >= 6:
                    parts.add(part[1:])  # "operrot": an initial glued to the surname
                    parts.add(part[2:])  # "jbauclair"
    if not parts:
        return []
    found: list[Candidate] = []
    # "www.orthophonie-gillet-lyon.fr" beside "marion.gillet.ortho@…": the owner's site.
    for url in _URL.finditer(text):
        for piece in _URL_WORD.finditer(text, url.start(), url.end()):
            if len(piece.group()) >= 4 and _fold(piece.group()) in parts:
                found.append(Candidate(piece.start(), piece.end(), "name", _FIRST_NAME))
    for match in _CAPITALISED_WORD.finditer(text):
        word = match.group()
        # A relation's word spelled in an address is a surname there ("Laurence Bru").
        if _fold(word) in parts and (
            not _is_weak_word(word) or (_key(word) in lexicon.RELATIONS and word[1:].islower())
        ):
            found.append(Candidate(match.start(), match.end(), "name", _FIRST_NAME))
    return found


# A forum handle, a username or a profile's slug: letters and digits glued by "_", ".",
# "-" or case ("@Dr_Chanudet", "docteurLulu63", "PhilouMG15", "agnes.c56",
# "gaetan-brunet-8a21b4"). Not inside an e-mail address (the e-mail rule has it).
_HANDLE: Final = re.compile(
    rf"(?<![\w@.\-])(?P<at>@)?(?P<handle>[\w{_AP}]+(?:[._\-][\w]+)*)(?![\w@]|\.[\w])"
)
# The same, only where a token is glued or follows "@": every other word is skipped fast.
_HANDLE_GLUED: Final = re.compile(
    rf"(?<![\w@.\-])(?:(?P<at>@)|(?=[\w{_AP}.\-]*?(?:\w[_.]\w|[{_LOWER}][{_UPPER}]"
    rf"|[{_UPPER}{_LOWER}][0-9]|[0-9][{_UPPER}{_LOWER}])))"
    rf"(?P<handle>[\w{_AP}]+(?:[._\-][\w]+)*)(?![\w@]|\.[\w])"
)
_HANDLE_PART: Final = re.compile(
    rf"[{_UPPER}]?[{_LOWER}]+|[{_UPPER}]+(?![{_LOWER}])|[0-9]+|[{_UPPER}]"
)
#: Titles and trades glued to a name in a handle: "Dr_X", "DocX", "docteurX", "XMG15".
_HANDLE_MARKERS: Final = frozenset(
    {"dr", "doc", "docteur", "doct", "dre", "toubib", "mg", "ide", "idel", "sf", "kine", "med",
     "medecin", "pharma", "infirmier", "infirmiere"}
)  # fmt: skip
_URL: Final = re.compile(r"(?:https?://|www\.)\S+|\b[a-z0-9.-]+\.(?:fr|com|net|org|eu)/\S*")
# Parts glued without a separator: a lower-case letter then a capital, letters and digits.
_GLUED: Final = re.compile(rf"[{_LOWER}][{_UPPER}]|[{_UPPER}{_LOWER}][0-9]|[0-9][{_UPPER}{_LOWER}]")
_URL_WORD: Final = re.compile(r"(?<![^\W\d_])[^\W\d_]+(?![^\W\d_])")
#: "@Lefort": how a doctor cites a colleague in a case discussion (``cases.services.MENTION``
#: finds them after scrubbing to notify them); a handle of one capitalised word is that.
_PLATFORM_MENTION: Final = re.compile(rf"[{_UPPER}][{_LOWER}{_AP}\-]+")
_SLUG_PARTICLES: Final = frozenset({"le", "la", "de", "du", "des", "van", "von", "ben", "el", "al"})


def _handle_names(text: str) -> list[Candidate]:
    """Names typed as handles, usernames and slugs of profile addresses.

    A "@" mention is a person's handle. Otherwise the token must glue parts ("_", ".",
    "-", case, digits) and hold a known first name, or a title or trade glued to a name.
    A hyphenated slug ("nicolas-fournier", "yann-le-floch") counts only inside a web
    address (elsewhere hyphens join French words); it is taken from the first name to the
    surname, with a trailing identifier ("gaetan-brunet-8a21b4").
    """
    urls = [(m.start(), m.end()) for m in _URL.finditer(text)]
    found: list[Candidate] = []
    matches = list(_HANDLE_GLUED.finditer(text))
    seen = {m.start("handle") for m in matches}
    # In a web address a slug's hyphens glue it too ("…/nicolas-fournier").
    for url_start, url_end in urls:
        matches.extend(
            m for m in _HANDLE.finditer(text, url_start, url_end) if m.start("handle") not in seen
        )
    for match in matches:
        handle = match.group("handle")
        start, end = match.start("handle"), match.end("handle")
        parts = [(m.group(), m.start() + start) for m in _HANDLE_PART.finditer(handle)]
        letters = [(p, at) for p, at in parts if p.isalpha()]
        if not letters or len(handle) < 4:
            continue
        keys = [_fold(p) for p, _ in letters]
        if match.group("at") is not None:
            if _PLATFORM_MENTION.fullmatch(handle):
                continue  # a colleague cited in a case discussion, not a patient
            if len(handle) >= 3 and not all(k in _EMAIL_GENERIC for k in keys):
                found.append(Candidate(start, end, "name", _STRONG))
            continue
        glued = any(ch in "_." for ch in handle) or _GLUED.search(handle) is not None
        in_url = any(s <= start and end <= e for s, e in urls)
        if "-" in handle and not glued and not in_url:
            continue
        if not glued and "-" not in handle:
            continue
        named = [
            i for i, k in enumerate(keys)
            if len(k) >= 3 and _is_first_name(k) and k not in _AMBIGUOUS_FIRST_NAMES
            and not _is_weak_word(k)
        ]  # fmt: skip
        marked = any(k in _HANDLE_MARKERS for k in keys) and any(
            len(k) >= 3 and k not in _HANDLE_MARKERS and not _is_weak_word(k) for k in keys
        )
        if not named and not marked:
            continue
        if "-" in handle and not any(ch in "_." for ch in handle) and named:
            # A slug: from the first name to the surname (particles between), then a
            # trailing identifier with digits.
            first = named[0]
            last = first
            while last + 1 < len(letters) and keys[last + 1] in _SLUG_PARTICLES:
                last += 1
            if last + 1 < len(letters):
                last += 1
            span_start = letters[first][1]
            span_end = letters[last][1] + len(letters[last][0])
            rest = text[span_end:end]
            if re.fullmatch(r"-[0-9a-z]*[0-9][0-9a-z]*", rest):
                span_end = end
            found.append(Candidate(span_start, span_end, "name", _FIRST_NAME))
            continue
        found.append(Candidate(start, end, "name", _STRONG if marked else _FIRST_NAME))
    return found


def _initials_by_title(text: str) -> list[Candidate]:
    found = [
        Candidate(m.start("name"), m.end("name"), "name", _STRONG)
        for m in (*_INITIAL_BY_TITLE.finditer(text), *_INITIALS_WITH_AGE.finditer(text))
    ]
    for match in _ABBREVIATED_FIRST_NAME.finditer(text):
        surname = match.group("name").split()[-1].split(".")[-1]
        if not _is_weak_word(surname) and _key(surname) not in lexicon.TITLES:
            found.append(Candidate(match.start("name"), match.end("name"), "name", _FIRST_NAME))
    return found


# "Noé (4 ans)", "Maëlys (11 ans)": a capitalised word and an age in brackets is a child's
# or a relative's first name.
_NAME_WITH_AGE: Final = re.compile(
    rf"(?<![\w\-{_AP}])(?P<name>[{_UPPER}][{_LOWER}]+(?:-[{_UPPER}][{_LOWER}]+)?)"
    rf"[ \u00a0]*\([ \u00a0]*[0-9]{{1,2}}[ \u00a0]*(?:ans|an|mois)[ \u00a0]*\)"
)
# "M. Loïc Berthier (LB)": the initials of the name just written, in brackets.
_NAME_THEN_INITIALS: Final = re.compile(
    rf"(?P<words>(?:[{_UPPER}][{_LOWER}]+(?:-[{_UPPER}][{_LOWER}]+)?{_SP}){{1,2}}"
    rf"[{_UPPER}][{_LOWER}{_UPPER}]+(?:-[{_UPPER}][{_LOWER}]+)?)[ \u00a0]*"
    rf"\((?P<initials>[{_UPPER}]{{2,3}})\)"
)
# "bonjour dr ferrandi,", "bonsoir docteur peyrot !": a surname typed in lower case between
# a greeting with a title and the comma that closes it.
_GREETED_DOCTOR: Final = re.compile(
    rf"(?<![\w])(?i:bonjour|bonsoir|salut|cher|ch[èe]re){_SP}(?i:dr\.?|docteur){_SP}"
    rf"(?P<name>[{_LOWER}][{_LOWER}\-]{{2,}})[ \u00a0]*[,!]"
)


def _cued_names_round13(text: str) -> list[Candidate]:
    found = []
    for match in _NAME_WITH_AGE.finditer(text):
        word = match.group("name")
        # "Tabac (20 ans) sevré": a word opening a sentence is a heading unless a first name.
        if (
            not _is_weak_word(word)
            and word.lower() not in FRENCH_STOP_WORDS
            and (_is_first_name(_key(word)) or not _opens_clause(text, match.start()))
        ):
            found.append(Candidate(match.start("name"), match.end("name"), "name", _FIRST_NAME))
    for match in _NAME_THEN_INITIALS.finditer(text):
        words = match.group("words").split()
        initials = match.group("initials")
        for size in (len(initials),):
            tail = words[-size:] if len(words) >= size else []
            if (
                tail
                and "".join(w[0] for w in tail) == initials
                and not any(_is_weak_word(w) for w in tail)
            ):
                start = match.start("initials")
                found.append(Candidate(start, start + len(initials), "name", _STRONG))
    for match in _GREETED_DOCTOR.finditer(text):
        word = match.group("name")
        if _could_be_surname(word) and _key(word) not in lexicon.GREETINGS:
            found.append(Candidate(match.start("name"), match.end("name"), "name", _STRONG))
    return found


# "Drs Le Goff, Hamon (chirurgie), Caradec (radiologie)": every name of a list after a
# plural title, each with its role in brackets or not.
_PLURAL_TITLE_LIST: Final = re.compile(
    rf"(?<![\w])(?:Drs|DRS|Docteurs|Prs|Professeurs|Drs\.)[ \u00a0]+"
    rf"(?P<list>[{_UPPER}][{_LOWER}{_AP}\-]+(?:[ \u00a0][{_UPPER}][{_LOWER}{_AP}\-]+)?"
    rf"(?:[ \u00a0]*\([^()\n]{{1,40}}\))?"
    rf"(?:(?:,[ \u00a0]*|[ \u00a0]+et[ \u00a0]+)[{_UPPER}][{_LOWER}{_AP}\-]+"
    rf"(?:[ \u00a0][{_UPPER}][{_LOWER}{_AP}\-]+)?(?:[ \u00a0]*\([^()\n]{{1,40}}\))?)*)"
)
_LISTED_NAME: Final = re.compile(
    rf"[{_UPPER}][{_LOWER}{_AP}\-]+(?:[ \u00a0][{_UPPER}][{_LOWER}{_AP}\-]+)?(?=[ \u00a0]*(?:\(|,|$|[ \u00a0]et[ \u00a0]))"
)


def _cued_names_round14(text: str) -> list[Candidate]:
    found = []
    for match in _PLURAL_TITLE_LIST.finditer(text):
        body = re.sub(r"\([^()]*\)", lambda m: " " * len(m.group()), match.group("list"))
        for item in _LISTED_NAME.finditer(body):
            word = item.group()
            if not _is_weak_word(word.split()[-1]):
                start = match.start("list") + item.start()
                found.append(Candidate(start, start + len(word), "name", _STRONG))
    return found


def _is_first_name(key: str) -> bool:
    if _fold(key) in _FOLDED_FIRST_NAMES:
        return True
    parts = _fold(key).split("-")
    return len(parts) > 1 and all(p in _FOLDED_FIRST_NAMES for p in parts)


def find_rule_names(text: str) -> list[Candidate]:
    """Names found by context rules (strong) and by first names (medium)."""
    found: list[Candidate] = []
    for pattern in (
        _BY_TITLE,
        _BY_LOWER_TITLE,
        _BY_LABEL,
        _BY_RELATION,
        _BY_KIN_OF,
        _BY_BIRTH_NAME,
        _BY_MARRIED_NAME,
        _BY_GREETING,
        _BY_SIGN_OFF,
        _BY_BARE_PERSON_WORD,
    ):
        found.extend(_from_pattern(text, pattern))
    for candidate in _from_pattern(text, _BY_CAPS_TITLE):
        first = text[candidate.start : candidate.end].split()[0]
        if (first.isupper() and len(first) > 1) or _is_first_name(_key(first)):
            found.append(candidate)
    found.extend(_first_name_candidates(text))
    found.extend(_lowercase_names(text))
    found.extend(_lower_titled_after_cue(text))
    found.extend(_initials_by_title(text))
    found.extend(_cued_names_round13(text))
    found.extend(_cued_names_round14(text))
    found.extend(_email_owner_names(text))
    found.extend(_handle_names(text))
    return found


_PET: Final = re.compile(
    rf"(?<![\w])(?:[Cc]hien|[Cc]hienne|[Cc]hiot|[Cc]hat|[Cc]hatte|[Cc]haton|[Cc]heval|[Jj]ument|"
    rf"[Pp]oney|[Pp]erroquet|[Ll]apin)(?:{_SP}de{_SP}la{_SP}maison)?[ \u00a0]*[:,]?{_SP}"
    rf"(?P<pet>{_NAME_WORD})"
)
#: Heads after which even a lone first name is an eponym: no patient owns a syndrome.
_EPONYM_ONLY_HEADS: Final = frozenset(
    {"syndrome", "syndromes", "signe", "signes", "manœuvre", "manoeuvre", "manœuvres",
     "triade", "tétrade", "réflexe", "classification", "score", "scores", "critère",
     "critères", "échelle", "echelle", "méthode", "technique", "loi", "ganglion", "névrome",
     "opération", "procédure", "index", "indice", "phénomène", "anneau", "ligament"}
)  # fmt: skip


def eponym_regions(text: str) -> list[tuple[int, int]]:
    """Spans of eponyms introduced by a medical noun: "syndrome de [Guillain-Barré]".

    A lone first name after the noun is a person ("la maladie de Léa"); a first name
    followed by another word is an eponym ("syndrome de Pierre Robin").
    """
    regions = []
    for match in _EPONYM_PHRASE.finditer(text):
        eponym = match.group("eponym")
        if _key(eponym) in lexicon.TITLES or _key(eponym.split()[0]) in lexicon.TITLES:
            continue
        # "la maladie de Léa", "la fracture de Lucas" are theirs; "syndrome de Gilbert",
        # "signe de Romain" are eponyms: a syndrome or a sign belongs to no patient.
        if (
            _is_first_name(_key(eponym))
            and _key(eponym) not in lexicon.EPONYMS
            and _key(match.group().split()[0]) not in _EPONYM_ONLY_HEADS
        ):
            continue
        regions.append((match.start("eponym"), match.end("eponym")))
    # "sa chienne Frisette", "le chien : Mirza", "Le chien de la maison, Fañch": a pet's
    # name is no person's, and only weak evidence is dropped there.
    regions.extend((m.start("pet"), m.end("pet")) for m in _PET.finditer(text))
    return regions


def _inside(span: tuple[int, int], regions: Sequence[tuple[int, int]]) -> bool:
    return any(start < span[1] and span[0] < end for start, end in regions)


def filter_ner_names(
    text: str, spans: Iterable[tuple[int, int, float]], regions: Sequence[tuple[int, int]]
) -> list[Candidate]:
    """Keep the NER model's PER spans that still look like names once trimmed."""
    kept = []
    for start, end, score in _line_pieces(text, spans):
        if any(ch.isdigit() or ch == "@" for ch in text[start:end]):
            continue
        if _is_product(text, start, end):
            continue
        span = _trim(text, start, end, weak=True)
        if span is None or _inside(span, regions) or _is_label(text, span):
            continue
        if _is_noun_opening_clause(text, span) or _is_not_a_person_alone(text, span):
            continue
        if _is_word_opening_line(text, span):
            continue
        kept.append(Candidate(span[0], span[1], "name", score))
    return kept


def _line_pieces(
    text: str, spans: Iterable[tuple[int, int, float]]
) -> list[tuple[int, int, float]]:
    """The model's spans cut at line breaks.

    On a form a name ends with its line ("SCHNEIDER Laurent⏎Identifiant"): a span running
    over it would outgrow the rules' name and take the next label with it.
    """
    pieces = []
    for start, end, score in spans:
        if "\n" not in text[start:end]:
            pieces.append((start, end, score))
            continue
        # The first line's part; a later line's only when it opens with a name we know
        # ("Lyon" or "Cabinet médical de …" after a signature's name is no person).
        first = True
        for line in _LINE.finditer(text, start, end):
            words = line.group().split()
            if not words:
                continue
            if first or _is_known_name(words[0].strip(",.;:")):
                pieces.append((line.start(), line.end(), score))
            first = False
    return pieces


_LINE: Final = re.compile(r"[^\n]+")
# "pansement Mepilex Border", "préparation Moviprep", "chimiothérapie FOLFOX", "évaluation
# AGGIR": a capitalised word in apposition to a product or a scale's noun names the product.
_PRODUCT_NOUN_BEFORE: Final = re.compile(
    r"(?<![\w])(?i:pansements?|pansement|pr[ée]paration|pr[ée]pa|vaccins?|chimioth[ée]rapie|chimio|"
    r"protocole|[ée]valuation|grille|[ée]chelle|scores?|tests?|kit|dispositif|cr[èe]me|collyre|"
    r"spray|sirop|patch|seringue|sonde|pompe|capteur|lecteur|appareil|r[ée]gime|milieu|"
    r"g[ée]lose|automate|technique|pilule|"
    rf"(?:infiltrations?|injections?|perfusions?)[ \u00a0]+(?:de|d[{_AP}]))[ \u00a0]*$"
)
# "Kardegic 75 mg", "Curosurf 200 mg/kg": a word followed by a dose is a drug's name.
_DOSE_AFTER: Final = re.compile(
    r"[ \u00a0]+\d+(?:[.,]\d+)?[ \u00a0]*(?:mg|µg|mcg|g|mL|ml|UI|U)(?:/kg|/j|/m²)?(?![\w])"
)


def after_product_noun(text: str, start: int) -> bool:
    """A word right after a product's noun ("pilule Optilova", "injection de Xolair")."""
    return _PRODUCT_NOUN_BEFORE.search(text, max(0, start - 30), start) is not None


def _is_product(text: str, start: int, end: int) -> bool:
    """A span opening with a drug or a product, or in apposition to a product's noun.

    "Aquacel Ag", "Prevenar 20", "Mepilex Border": the rest is the product's range.
    """
    first = _WORD.match(text, start, end)
    if first is not None and lexicon.is_drug(first.group().rstrip(".")):
        return True
    if (
        first is not None
        and first.end() == end
        and _DOSE_AFTER.match(text, end)
        and not _is_known_name(first.group())
    ):
        return True
    if _PRODUCT_NOUN_BEFORE.search(text, max(0, start - 30), start) is None:
        return False
    return not _is_known_name(text[start:end].split()[0])


# "Hurley II", "Hinchey III", "Fontaine IIb": a classification and its stage.
_STAGE_AFTER: Final = re.compile(r"[ \u00a0]+(?:I{1,3}|IV|VI{0,3}|IX|X)[abcABC]?(?![\w])")
# "CHU de Nancy", "clinique Saint-Martin", "suivi à Lourdes": a place, not a person.
_PLACE_BEFORE: Final = re.compile(
    r"(?:\b(?:CHU|CHRU|CHR|CHI|CHG|CHS|CH|GHT|GHU|h[ôo]pital|clinique|polyclinique|"
    r"centre hospitalier|maternit[ée]|ville|r[ée]gion|secteur|urgences|SAMU|SMUR|PMI|"
    r"institut|fondation|gendarmerie|mairie|caserne)"
    rf"(?:[ \u00a0]+(?:de|du|d[{_AP}]))?|(?<![\w{_AP}])d[{_AP}])[ \u00a0]*$",
    re.IGNORECASE,
)
# The Latin epithet of a species' binomial name, in lower case after its genus.
_SPECIES_AFTER: Final = re.compile(
    rf"[ \u00a0]+[{_LOWER}]{{2,}}(?:us|um|is|ae|ii|i|es|ensis|oides)(?![\w\-])"
)
# "Salmonella Typhi", "Salmonella Enteritidis": a genus, then its serovar in capitals.
_GENUS_BEFORE: Final = re.compile(
    r"(?<![\w\-])(?:[A-Z][a-z]+(?:ella|coccus|bacter|monas|bacterium|myces|plasma|bacillus)"
    r"|Vibrio|Yersinia|Candida|Plasmodium|Leishmania|Trypanosoma|Schistosoma|Taenia|Borrelia"
    r"|Chlamydia|Rickettsia|Bordetella|Escherichia|Klebsiella)[ \u00a0]+$"
)
_PREPOSITION_BEFORE: Final = re.compile(r"\b(?:à|au|en|vers|de)[ \u00a0]+$", re.IGNORECASE)
# "Quantiféron négatif", "Coombs positif": a test and its result, not a person.
_RESULT_AFTER: Final = re.compile(
    r"[ \u00a0]+(?:n[ée]gati|positi|normal|anormal|douteu|ind[ée]termin|limite)", re.IGNORECASE
)


def _is_place_word(text: str, start: int, end: int) -> bool:
    """A single capitalised word used as a place: after a hospital word, or a town's name."""
    word = text[start:end]
    key = _key(word)
    if key.startswith(("saint-", "sainte-", "st-", "ste-")):
        return True  # "Saint-Martin", "Sainte-Anne": towns, hospitals, saints
    before = text[max(0, start - 40) : start]
    if _PLACE_BEFORE.search(before):
        return True
    return key in lexicon.PLACES_LIKE_FIRST_NAMES and _PREPOSITION_BEFORE.search(before) is not None


def _is_not_a_person_alone(text: str, span: tuple[int, int]) -> bool:
    """A single word the model took for a person that is a code, a stage or a place.

    Only single words: two capitalised words together keep the benefit of the doubt.
    """
    word = text[span[0] : span[1]]
    if " " in word or "\u00a0" in word:
        return False
    if _is_acronym_like(word) or lexicon.is_drug(word):
        return True
    if len(word) <= 2 and not _is_known_name(word):
        return True  # "Tc" in "Troponine Tc", "Ag", "Hb"
    if (
        _STAGE_AFTER.match(text, span[1]) or _RESULT_AFTER.match(text, span[1])
    ) and not _is_first_name(_key(word)):
        return True
    if _SPECIES_AFTER.match(text, span[1]) and not _is_known_name(word):
        return True  # "Vibrio vulnificus", "Candida albicans": a genus, then its species
    if _GENUS_BEFORE.search(text, max(0, span[0] - 30), span[0]) and not _is_first_name(_key(word)):
        return True
    return _is_place_word(text, span[0], span[1])


_LABEL_COLON: Final = re.compile(r"[ \u00a0]*:")


def _opens_clause(text: str, start: int) -> bool:
    before = text[:start].rstrip(" \u00a0")
    return not before or before[-1] in ".;!?\n("


# A form's fields are set apart by a tab, a dash, a bar or a run of spaces.
_FIELD_BEFORE: Final = re.compile(r"(?:\t|[ \u00a0]{2,}|[\u2014\u2013|][ \u00a0]*)$")


def _is_label(text: str, span: tuple[int, int]) -> bool:
    """A lone capitalised word opening a clause or a form's field before a colon.

    A heading: "Cause :", "…   Fax : 03 …", "— Senior : Dr …".
    """
    word = text[span[0] : span[1]]
    return (
        _LABEL_COLON.match(text, span[1]) is not None
        and " " not in word
        and not _is_first_name(_key(word))
        and (
            _opens_clause(text, span[0])
            or _FIELD_BEFORE.search(text, max(0, span[0] - 4), span[0]) is not None
        )
    )


# "Faire pratiquer", "Verres correcteurs", "Signature du médecin": a word opening a line or
# a sentence before a lower-case word.
_LOWER_WORD_AFTER: Final = re.compile(rf"[ \u00a0]+[{_LOWER}]")


def _is_word_opening_line(text: str, span: tuple[int, int]) -> bool:
    """A lone word opening a line or a sentence and running into lower-case words.

    A heading or a verb ("Faire pratiquer", "Verres correcteurs"), unless it is a name we
    know.
    """
    word = text[span[0] : span[1]]
    return (
        " " not in word
        and "\u00a0" not in word
        and not word.isupper()
        and _opens_clause(text, span[0])
        and _LOWER_WORD_AFTER.match(text, span[1]) is not None
        and not _is_known_name(word)
    )


_PREPOSITION_AFTER: Final = re.compile(
    # "Vidéocapsule ou sérologie ?": an alternative opens with a thing more than a person.
    r"[ \u00a0]+(?:ou|en|de|du|des|d'|d\u2019|à|au|aux|avec|sans|pour|par|sur|sous|chez|dans)[ \u00a0]"
)


def _is_noun_opening_clause(text: str, span: tuple[int, int]) -> bool:
    """A capitalised common noun opening a clause ("Botte en résine"), not a person.

    Only for a single word that is no known first name or surname: a person opening a
    sentence is nearly always introduced by a title or a first name in clinical text.
    """
    word = text[span[0] : span[1]]
    return (
        " " not in word
        and _opens_clause(text, span[0])
        and not _is_known_name(word)
        and _PREPOSITION_AFTER.match(text, span[1]) is not None
    )


def drop_weak_in_eponyms(
    candidates: Iterable[Candidate], regions: Sequence[tuple[int, int]]
) -> list[Candidate]:
    """Drop candidates found on weak evidence inside an eponym ("syndrome de Pierre Robin")."""
    return [c for c in candidates if c.score >= _STRONG or not _inside((c.start, c.end), regions)]


_PARENTHESISED: Final = re.compile(
    rf"[ \u00a0]*\((?P<name>{_NAME_WORD}(?:[ \u00a0]+{_NAME_WORD})?)\)"
)


_PARENTHESISED_OTHER: Final = re.compile(
    r"[ \u00a0]*\([ \u00a0]*(?P<name>[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]{1,8}"
    rf"|[{_UPPER}]\.(?:[ \u00a0]?-?[{_UPPER}]\.){{1,3}})[ \u00a0]*\)"
)
_HYPHEN_BREAK: Final = re.compile(
    rf"-[ \t\u00a0]*\n[ \t\u00a0]*(?P<rest>[{_LOWER}]{{2,}}|[{_UPPER}]{{2,}})(?![\w\-])"
)
_PARENTHESISED_BROKEN: Final = re.compile(
    rf"[ \u00a0]*\((?P<name>[{_UPPER}][{_LOWER}]+-[ \t\u00a0]*\n[ \t\u00a0]*[{_LOWER}]+)\)"
)
_OPEN_BRACKET_BEFORE: Final = re.compile(r"\([ \u00a0]*$")
_LIST_ITEM: Final = re.compile(
    rf"(?:[ \u00a0]*,[ \u00a0]*|{_SP}(?:et|&){_SP})(?P<name>{_NAME_WORD})(?=[ \u00a0]*[,)&]|{_SP}et{_SP})"
)


def _bracketed_list(text: str, position: int) -> list[Candidate]:
    """The capitalised words listed after a name inside the same brackets."""
    items: list[Candidate] = []
    while (item := _LIST_ITEM.match(text, position)) is not None:
        word = item.group("name")
        if _is_weak_word(word) or _key(word) in lexicon.TITLES:
            return []
        items.append(Candidate(item.start("name"), item.end("name"), "name", _PROPAGATED))
        position = item.end()
    # The list must close its brackets: "(Anli, Nasma et Soifiat)".
    return items if re.match(r"[ \u00a0]*\)", text[position:]) else []


_LOWERCASE_WORD_BEFORE: Final = re.compile(rf"(?<![\w\-{_AP}])([{_LOWER}\-]+)[ \u00a0]$")
# "C. Rondeau" signing a note, "Dr M. Acquaviva": an initial right before a name found. "M."
# alone is "Monsieur", so it is an initial only after a title.
_INITIAL_BEFORE: Final = re.compile(
    rf"(?<![\w.\-/])(?P<title>(?:{_TITLE}){_SP})?(?P<initial>[{_UPPER}]\.(?:-?[{_UPPER}]\.)?)[ \u00a0]?$"
)


def adjacent_names(text: str, names: Iterable[Candidate]) -> list[Candidate]:
    """Name parts next to a name found already.

    A capitalised word in brackets right after it ("Mme Le Bihan (Annaïg)"), and a first
    name typed in lower case right before it ("vu jean Grandidier").
    """
    found = []
    for name in names:
        match = _PARENTHESISED.match(text, name.end)
        if match is not None:
            span = _trim(text, match.start("name"), match.end("name"), weak=True)
            if span is not None:
                found.append(Candidate(span[0], span[1], "name", _PROPAGATED))
        # "M. Wei ZHANG (张伟)", "M. Amadou ould Sidi (A. O. S.)": the name in its own
        # script, or its initials, in brackets right after it.
        match = _PARENTHESISED_OTHER.match(text, name.end)
        if match is not None:
            found.append(Candidate(match.start("name"), match.end("name"), "name", _PROPAGATED))
        # "DUCHEMIN Rai-⏎mond", "M. MOREAU (Fré-⏎déric)": a name cut at a line's end.
        broken = _HYPHEN_BREAK.match(text, name.end)
        if broken is not None:
            found.append(Candidate(broken.start("rest"), broken.end("rest"), "name", _PROPAGATED))
        broken = _PARENTHESISED_BROKEN.match(text, name.end)
        if broken is not None:
            found.append(Candidate(broken.start("name"), broken.end("name"), "name", _PROPAGATED))
        # "les enfants (Anli, Nasma et Soifiat)": the others of a list in brackets.
        if _OPEN_BRACKET_BEFORE.search(text, max(0, name.start - 3), name.start):
            found.extend(_bracketed_list(text, name.end))
        before = _LOWERCASE_WORD_BEFORE.search(text, max(0, name.start - 30), name.start)
        if (
            before is not None
            and _is_first_name(before.group(1))
            and _key(before.group(1)) not in _AMBIGUOUS_FIRST_NAMES
        ):
            found.append(Candidate(before.start(1), before.end(1), "name", _PROPAGATED))
        initial = _INITIAL_BEFORE.search(text, max(0, name.start - 20), name.start)
        if initial is not None and (
            initial.group("title") is not None
            or _key(initial.group("initial")) not in lexicon.TITLES
        ):
            found.append(
                Candidate(initial.start("initial"), initial.end("initial"), "name", _PROPAGATED)
            )
    return found


def propagate_names(
    text: str, names: Iterable[Candidate], regions: Sequence[tuple[int, int]]
) -> list[Candidate]:
    """Find the other occurrences of the words of names already found."""
    words: set[str] = set()
    initials: set[str] = set()
    for name in names:
        # "De : Laurence Vidal … Ok pour moi. LV": a full name's initials sign for it.
        parts = [m.group() for m in _CAPITALISED_WORD.finditer(text, name.start, name.end)]
        if 2 <= len(parts) <= 3 and all(not p.isupper() and len(p) > 1 for p in parts):
            initials.add("".join(p[0] for p in parts))
        for match in _CAPITALISED_WORD.finditer(text, name.start, name.end):
            word = match.group()
            key = _key(word)
            if len(word) < 3 or key in _AMBIGUOUS_FIRST_NAMES:
                continue
            if key in _NEVER_NAME and not _is_surname_word(text, match.start(), match.end()):
                continue
            words.add(word)
    found: list[Candidate] = []
    for initial in initials:
        if _key(initial) in _NEVER_NAME:
            continue
        # Only signing: alone at a line's end ("CR opératoire" is a report, "IV" a route).
        for match in re.finditer(rf"(?<![\w.\-]){initial}(?=[ .]*(?:\n|$))", text):
            found.append(Candidate(match.start(), match.end(), "name", _PROPAGATED))
    if not words:
        return found
    alternation = "|".join(
        sorted({re.escape(w) for w in words} | {re.escape(w.upper()) for w in words}, key=len)[::-1]
    )
    pattern = re.compile(rf"(?<![\w\-{_AP}])(?:{alternation})(?![\w\-])")
    for match in pattern.finditer(text):
        if _inside((match.start(), match.end()), regions):
            continue
        # "Frantz Janvier … le 3 janvier": a month found as a surname is no date elsewhere.
        if _key(match.group()) in _NEVER_NAME and not _is_surname_word(
            text, match.start(), match.end()
        ):
            continue
        found.append(Candidate(match.start(), match.end(), "name", _PROPAGATED))
    return found
