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
    rf"(?<![\w.])(?:M\.|Mr\.?|Mmes?|Mlles?|[Mm]onsieur|[Mm]adame|[Mm]ademoiselle){_SP}"
    rf"(?P<name>[{_UPPER}]\.(?:-?[{_UPPER}]\.)?)(?![\w])"
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
    rf"petite-fille|tante|oncle|cousine?|neveu|ni[èe]ce){_SP}(?:de{_SP}|d[{_AP}])"
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
    rf"colocataire|coloc|filleule?|aidante?|auxiliaire|nounou)(?:{_SP}|[ \u00a0]*\(|{_SP}\())"
    # "le fils (cédric alquier)": the name may stand in brackets, and its surname follow.
    rf"(?P<name>[{_LOWER}][{_LOWER}\-]{{2,}})(?![\w])"
    rf"(?:{_SP}(?P<surname>[{_LOWER}][{_LOWER}\-]{{2,}})(?P<closed>\))?(?![\w]))?"
)
_LOWER_PAIR: Final = re.compile(
    rf"(?<![\w\-{_AP}])(?P<first>[{_LOWER}][{_LOWER}\-]{{2,}}){_SP}(?P<last>[{_LOWER}][{_LOWER}\-]{{2,}})(?![\w])"
)


def _alternation(words: Iterable[str]) -> str:
    escaped = (re.escape(w).replace("'", f"[{_AP}]") for w in words)
    return "|".join(sorted(escaped, key=len, reverse=True))


_BY_LABEL: Final = re.compile(
    rf"(?<![\w])(?i:{_alternation(lexicon.NAME_LABELS)})[ \u00a0]*:[ \u00a0]*"
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
     "medecin", "docteur", "dr", "mssante", "rdv", "consultation", "planning", "equipe"}
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
_NEVER_NAME: Final = lexicon.MEDICAL_WORDS | lexicon.TITLES
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
        if _key(word) not in _NEVER_NAME:
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


def _from_pattern(text: str, pattern: re.Pattern[str]) -> list[Candidate]:
    found = []
    for match in pattern.finditer(text):
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
            if (
                between.strip() == ""
                and previous.group().isupper()
                and len(previous.group()) >= 3
                and not _is_weak_word(previous.group())
            ):
                start = previous.start()
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
_AMBIGUOUS_FIRST_NAMES: Final = lexicon.AMBIGUOUS_FIRST_NAMES | (
    public_names.AMBIGUOUS_FIRST_NAMES - lexicon.FIRST_NAMES
)
_FOLDED_SURNAMES: Final = frozenset(_fold(name) for name in public_names.SURNAMES)


def _ends_name(word: str) -> bool:
    """A capitalised word after a first name that is not its surname: "Pierre Cardiologue"."""
    key = _key(word)
    return (
        key in _NEVER_NAME
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
        if _is_first_name(word) and word not in _AMBIGUOUS_FIRST_NAMES and not _is_weak_word(word):
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
        for part in re.split(r"[._%+\-0-9]+", _fold(match.group("local"))):
            if len(part) >= 4 and part not in _EMAIL_GENERIC:
                parts.add(part)
                if len(part) >= 6:
                    parts.add(part[1:])  # "operrot": an initial glued to the surname
                    parts.add(part[2:])  # "jbauclair"
    if not parts:
        return []
    found: list[Candidate] = []
    for match in _CAPITALISED_WORD.finditer(text):
        word = match.group()
        if _fold(word) in parts and not _is_weak_word(word):
            found.append(Candidate(match.start(), match.end(), "name", _FIRST_NAME))
    return found


def _initials_by_title(text: str) -> list[Candidate]:
    return [
        Candidate(m.start("name"), m.end("name"), "name", _STRONG)
        for m in _INITIAL_BY_TITLE.finditer(text)
    ]


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
    found.extend(_initials_by_title(text))
    found.extend(_email_owner_names(text))
    return found


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
        if _is_first_name(_key(eponym)) and _key(eponym) not in lexicon.EPONYMS:
            continue
        regions.append((match.start("eponym"), match.end("eponym")))
    return regions


def _inside(span: tuple[int, int], regions: Sequence[tuple[int, int]]) -> bool:
    return any(start < span[1] and span[0] < end for start, end in regions)


def filter_ner_names(
    text: str, spans: Iterable[tuple[int, int, float]], regions: Sequence[tuple[int, int]]
) -> list[Candidate]:
    """Keep the NER model's PER spans that still look like names once trimmed."""
    kept = []
    for start, end, score in spans:
        if any(ch.isdigit() or ch == "@" for ch in text[start:end]):
            continue
        span = _trim(text, start, end, weak=True)
        if span is None or _inside(span, regions) or _is_label(text, span):
            continue
        if _is_noun_opening_clause(text, span) or _is_not_a_person_alone(text, span):
            continue
        kept.append(Candidate(span[0], span[1], "name", score))
    return kept


# "Hurley II", "Hinchey III", "Fontaine IIb": a classification and its stage.
_STAGE_AFTER: Final = re.compile(r"[ \u00a0]+(?:I{1,3}|IV|VI{0,3}|IX|X)[abcABC]?(?![\w])")
# "CHU de Nancy", "clinique Saint-Martin", "suivi à Lourdes": a place, not a person.
_PLACE_BEFORE: Final = re.compile(
    r"(?:\b(?:CHU|CHRU|CHR|CHI|CHG|CHS|CH|GHT|GHU|h[ôo]pital|clinique|polyclinique|"
    r"centre hospitalier|maternit[ée]|ville|r[ée]gion|secteur|urgences|SAMU|SMUR)"
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


def _is_label(text: str, span: tuple[int, int]) -> bool:
    """A lone capitalised word opening a clause before a colon is a heading ("Cause :")."""
    word = text[span[0] : span[1]]
    return (
        _LABEL_COLON.match(text, span[1]) is not None
        and " " not in word
        and not _is_first_name(_key(word))
        and _opens_clause(text, span[0])
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
    for name in names:
        for match in _CAPITALISED_WORD.finditer(text, name.start, name.end):
            word = match.group()
            key = _key(word)
            if len(word) < 3 or key in _NEVER_NAME or key in _AMBIGUOUS_FIRST_NAMES:
                continue
            words.add(word)
    found: list[Candidate] = []
    if not words:
        return found
    alternation = "|".join(
        sorted({re.escape(w) for w in words} | {re.escape(w.upper()) for w in words}, key=len)[::-1]
    )
    pattern = re.compile(rf"(?<![\w\-{_AP}])(?:{alternation})(?![\w\-])")
    for match in pattern.finditer(text):
        if not _inside((match.start(), match.end()), regions):
            found.append(Candidate(match.start(), match.end(), "name", _PROPAGATED))
    return found
