"""French communes as a gazetteer: a town named alone is an address.

For a rural patient a small commune plus an age can identify; HIPAA Safe Harbor removes
every geographic subdivision smaller than a state. So a capitalised run of words that is
a commune's name ("Lacaune", "Saint-Georges-sur-Loire", "St Flour", "LIGNY-EN-BARROIS") is
an address wherever it stands: where the patient lives or works, a relative's or the
GP's town, where they come from or spend the holidays. Two exceptions:

- a care site keeps its town ("CHU de Nancy", "hôpital local de Lannemezan", "transféré
  à Limoges"): it names where care happens, not the patient's home, and the peers
  reading a case need it; the earlier rules keep hospital towns for the same reason;
- a name that is also a common word, a first name or a medical word ("Charmes", "Nancy",
  "Vire", "Eu") is taken only after a location cue ("à", "depuis", "habite", …): alone,
  or opening a sentence, the word is more likely the word.

The names come from ``maillage/core/data/communes.csv.gz`` (Etalab, MIT licence; see its
README), read on first use: about 35,000 rows, a few tens of milliseconds and a few
megabytes, once per process.
"""

from __future__ import annotations

import csv
import gzip
import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from importlib import resources
from typing import Final

from maillage.core.fulltext import fold as fold_text
from maillage.deid import lexicon, names, public_names
from maillage.deid.commune_words import COMMUNE_WORDS
from maillage.deid.foreign_towns import COUNTRIES, COUNTRIES_AND_REGIONS, FOREIGN_TOWNS
from maillage.deid.patterns import Candidate

__all__ = [
    "commune_keys",
    "cues",
    "find_cued_places",
    "find_town_addresses",
    "find_towns",
    "fold",
    "is_care_site",
    "town_key",
]

_COMMUNES_RESOURCE: Final = ("maillage.core", "data/communes.csv.gz")
# Delegated and associated communes, merged into a new commune but still named in letters
# ("Lanslebourg-Mont-Cenis", "Condé-sur-Noireau"); built by ``tests/make_former_communes``.
_FORMER_COMMUNES_RESOURCE: Final = ("maillage.deid", "data/former_communes.csv.gz")


def fold(value: str) -> str:
    """Lower case without accents or ligatures ("Hœrdt" is typed "Hoerdt"), plain apostrophes."""
    return fold_text(value.replace("\u2019", "'"))


# "St" and "Ste" are how "Saint" and "Sainte" are typed in letters ("St-Flour").
_ABBREVIATIONS: Final = {"st": "saint", "ste": "sainte", "sts": "saints", "stes": "saintes"}


def town_key(value: str) -> str:
    """The comparison form of a town's name: folded, hyphens and apostrophes as spaces."""
    words = re.split(r"[\s\-'.]+", fold(value))
    return " ".join(_ABBREVIATIONS.get(w, w) for w in words if w)


_ARTICLES: Final = ("le ", "la ", "les ", "l ")
# "Vire Normandie", "Florac Trois Rivières" (merged communes keep the old name first),
# "Cherbourg-en-Cotentin", "Vitry-le-François", "Châlons-en-Champagne".
_SHORT_FORM: Final = re.compile(
    r"(?!(?:saint|sainte|le|la|les|l)\b)(?P<head>[a-z]{4,})"
    r"(?:[ ][a-z]|-(?:en|sur|sous|le|la|les|lès|lez|aux)-)"
)


@dataclass(frozen=True, slots=True)
class _Gazetteer:
    keys: frozenset[str]
    #: "tréport" -> "le": "Le Tréport" is written "au Tréport", "du Tréport".
    without_article: dict[str, str]
    #: Heads of longer names, as towns are called in speech: "Florac" (Florac Trois
    #: Rivières, a merged commune), "Cherbourg" (Cherbourg-en-Cotentin), "Vitry"
    #: (Vitry-le-François). Several communes may share one; a cue is needed.
    short_forms: frozenset[str]
    #: Towns abroad (:data:`FOREIGN_TOWNS`) that are no French commune's name.
    foreign: frozenset[str]
    longest: int
    #: "33300 bordeaux": each commune's postcodes, joined to its key by a space.
    postcode_keys: frozenset[str]


def _rows(resource: tuple[str, str]) -> Iterator[dict[str, str]]:
    package, name = resource
    with (
        resources.files(package).joinpath(name).open("rb") as raw,
        gzip.open(raw, "rt", encoding="utf-8") as lines,
    ):
        yield from csv.DictReader(lines)


def _load() -> _Gazetteer:
    keys: set[str] = set()
    without_article: dict[str, str] = {}
    short_forms: set[str] = set()
    postcode_keys: set[str] = set()
    for resource in (_COMMUNES_RESOURCE, _FORMER_COMMUNES_RESOURCE):
        for row in _rows(resource):
            town = row["name"]
            key = town_key(town)
            keys.add(key)
            # The former communes' list has no postcode.
            postcode_keys.update(f"{code} {key}" for code in row.get("postcodes", "").split())
            for article in _ARTICLES:
                if key.startswith(article):
                    without_article.setdefault(key[len(article) :], article.strip())
            if (short := _SHORT_FORM.match(fold(town))) is not None:
                short_forms.add(short.group("head"))
    foreign = frozenset(town_key(t) for t in FOREIGN_TOWNS) - keys
    return _Gazetteer(
        keys=frozenset(keys),
        without_article=without_article,
        short_forms=frozenset(short_forms - keys),
        foreign=foreign,
        longest=max(len(k.split()) for k in keys | foreign),
        postcode_keys=frozenset(postcode_keys),
    )


_gazetteer: _Gazetteer | None = None
_load_lock: Final = threading.Lock()


def _get() -> _Gazetteer:
    global _gazetteer  # a process-wide cache, loaded once under a lock
    if _gazetteer is None:
        with _load_lock:
            if _gazetteer is None:
                _gazetteer = _load()
    return _gazetteer


def commune_keys() -> frozenset[str]:
    """Every commune's name in :func:`town_key` form."""
    return _get().keys


_WORD: Final = re.compile(r"[^\W\d_]+")
# What may join the words of one name: "Saint-Flour", "Clermont-l'Hérault", "St. Flour".
_JOINER: Final = re.compile(r"(?:[ \u00a0]|-|['\u2019]|\.[ \u00a0]?)")
_NAME_PARTICLES: Final = frozenset(
    {"de", "du", "des", "la", "le", "les", "l", "d", "sur", "sous", "en", "et", "lès", "lez"}
    | {"aux", "au", "à", "y", "lo", "di", "an", "am", "im", "bei", "dessus", "dessous"}
)


@dataclass(frozen=True, slots=True)
class _Match:
    start: int
    end: int
    key: str


_GERMAN_QUALIFIER: Final = re.compile(
    r"[ \u00a0]+(?:im|am|an[ \u00a0]+der|ob[ \u00a0]+der|in[ \u00a0]+der|bei)"
    r"[ \u00a0]+[A-ZÄÖÜ][^\W\d_]+(?:-[^\W\d_]+)*"
)


def _matches(text: str) -> Iterator[_Match]:
    """Longest commune names made of consecutive words, left to right."""
    gazetteer = _get()
    words = list(_WORD.finditer(text))
    i = 0
    while i < len(words):
        first = words[i]
        if not first.group()[0].isupper() or _inside_compound(text, first.start()):
            i += 1
            continue
        best: tuple[int, str] | None = None
        parts: list[str] = []
        for j in range(i, min(len(words), i + gazetteer.longest + 1)):
            word = words[j]
            if j > i and not _JOINER.fullmatch(text[words[j - 1].end() : word.start()]):
                break
            token = word.group()
            if j > i and not token[0].isupper() and token.lower() not in _NAME_PARTICLES:
                break
            parts.append(_ABBREVIATIONS.get(fold(token), fold(token)))
            key = " ".join(parts)
            if token[0].isupper() and (
                key in gazetteer.keys
                or key in gazetteer.without_article
                or key in gazetteer.short_forms
                or key in gazetteer.foreign
            ):
                best = (j, key)
        if best is None:
            i += 1
            continue
        j, key = best
        end = words[j].end()
        # A longer compound the gazetteer does not know ("Saint-Martin-des-Champs-Élysées")
        # is some other place: a street, a hospital, a region.
        if text[end : end + 1] == "-" and text[end + 1 : end + 2].isalpha():
            i = j + 1
            continue
        # "Freiburg im Breisgau", "Frankfurt am Main", "Rothenburg ob der Tauber": a German
        # town's qualifier is part of its name.
        if key in gazetteer.foreign and (qualifier := _GERMAN_QUALIFIER.match(text, end)):
            end = qualifier.end()
            while j + 1 < len(words) and words[j + 1].start() < end:
                j += 1
        yield _Match(first.start(), end, key)
        i = j + 1


def _inside_compound(text: str, start: int) -> bool:
    """A word glued to the previous one by a hyphen or an apostrophe, except an elision."""
    if start == 0 or text[start - 1] not in "-'\u2019":
        return False
    if text[start - 1] == "-":
        return True
    before = re.search(r"(?<![^\W\d_])[^\W\d_]+$", text[max(0, start - 5) : start - 1])
    return before is None or before.group().lower() not in {"d", "l", "qu", "jusqu", "lorsqu"}


# Care sites keep their town: "CHU de Nancy", "hôpital local de Lannemezan", "urgences de
# Dieppe", "clinique du Parc de Valence", "centre SLA de Tours", "le cardiopédiatre de
# Montpellier". Primary care (cabinet, maison or centre de santé, dispensary, pharmacy)
# stays an address: it is next to the patient's home, as the practice-town rule says.
_CARE_NOUN: Final = (
    r"(?:\b(?:chu|chr|chru|ch|chi|chic|chg|chs|ghu|aphm|aphp|hcl|sau|samu|smur|had|clcc|cegidd|"
    r"cmp|csapa|cmpp|ssr|usld|smr|crf)"
    r"|\b(?:h[ôo]pital|h[ôo]pitaux|clinique|polyclinique|centre hospitalier|hospitalier|"
    r"m[ée]dip[ôo]le|chpf|chm|chmf|"
    r"maternit[ée]|urgences|facult[ée]|universit[ée]|institut|service|unit[ée]|"
    r"salle de (?:cath[ée]t[ée]risme|coronarographie)|r[ée]animation|"
    r"centre(?! de sant[ée])(?! m[ée]dical)(?! m[ée]dico)|\w+logue|\w+iatre|chirurgien(?:ne)?))"
)
# Home care and emergency services name where care comes from: "SSIAD de Langeac", "CIS
# de Saugues" (the fire station), "PASS de Bordeaux", "MDS de Guingamp"; a hospital
# specialty's short name stands for its ward: "la rythmo de Bordeaux", "l'hépato-gastro de
# Rodez", "la mat de Vichy" (a specialist in town, "l'ophtalmo de X", may be a practice).
_SERVICE_NOUN: Final = (
    r"\b(?:ssiad|spasad|cis|sdis|pass|mds|dac|rythmo|cardio|pneumo|gastro|hepato-gastro|neuro|"
    r"nephro|onco|chir|rea|mat|gendarmerie|commissariat|"
    # Courts, child welfare and public offices name their seat, not a person's home:
    # "tribunal judiciaire de Bordeaux", "l'ASE de Saint-Pierre", "CPAM de Lille".
    r"tribunal|ase|aemo|spip|pjj|prefecture|sous-prefecture|cpam|caf|mdph|cour d'appel)(?![\w\-])"
)
_CARE_SITE_BEFORE: Final = re.compile(
    rf"(?:{_CARE_NOUN}|{_SERVICE_NOUN})(?:[ \u00a0]+[^.,;:\n()]{{0,40}}?)?[ \u00a0]+(?:de|d'|du|à|a)[ \u00a0]*$"
    rf"|\b(?:h[ôo]pital|clinique|polyclinique|institut|chu|chr|chru|chi|hia|cis|ssiad|sdis)[ \u00a0]+$"
    # "HÔPITAL D'INSTRUCTION DES ARMÉES SAINTE-ANNE": a military hospital and its name.
    r"|\bhopital d'instruction des armees[ \u00a0]+$"
    # "la PMI de Clermont" names the PMI centre ("PMI à X" is where a family lives).
    r"|\bpmi[ \u00a0]+(?:de|d'|du)[ \u00a0]*$"
)
# "transféré à Limoges", "évacuation vers Moûtiers", "opérée à Lyon", "suivi à Nancy": the
# town reached for care is a care site too. A town one comes from ("transféré depuis Eu")
# is not.
_CARE_DESTINATION_BEFORE: Final = re.compile(
    r"\b(?:transf[ée]r\w*|[ée]vacu\w*|orient\w*|"
    # "adresse inconnue (vu à Roubaix)": the noun, not the verb of a referral.
    r"adress[ée]e?s?(?![ \u00a0]+(?:inconnue|postale|actuelle|personnelle|exacte))|hospitalis\w*|op[ée]r[ée]e?s?|"
    r"admise?|transport\w*|rapatri\w*|radioth[ée]rapie|chimioth[ée]rapie|dialys\w*|"
    r"r[ée]adaptation|r[ée][ée]ducation|suivie?s?|suivait|suit|envoi\w*|envoy\w*|"
    r"propos[ée]e?s?|disponible|d[ée]clench[ée]e?|h[ée]liport[ée]e?|"
    r"sos mains?|prise? en charge|h[ée]litreuill\w*|h[ée]lipor\w*|"
    # "scanner cérébral à Carcassonne", "écho doppler dispo dans 48 h à Ambert", "évasan vers".
    r"scanner|irm|tdm|tep|scintigraphie|[ée]chographie|[ée]cho|doppler|dispo|[ée]vasan\w*)\b"
    r"[^.;:\n!?]{0,50}?[ \u00a0](?:à|a|vers|sur)[ \u00a0]*$"
)
# A town reached by a verb of going or doing ("PICC line posé à Cherbourg", "on l'emmène à
# Épernay ?", "on doit aller à Angers ?"), offered as a choice ("plutôt qu'à Rennes", "à
# Metz ou à Nancy", "Pau ou Tarbes ?") or asked about ("faut-il l'envoyer à X ?") is a
# care site only when its sentence speaks of care: a care noun, an act or a symptom. Without
# one ("on va aller à Angers ce week-end ?") it stays an address. A residence, work or
# holiday cue in the same clause ("il vit à", "en vacances à") wins over all this.
_CARE_MOVE_BEFORE: Final = re.compile(
    r"(?:\b(?:pose[es]?|pos[eé]e?s?|emm[eè]n\w*|amen\w*|all(?:er|ons|ez|ait|ions|ait)|"
    r"ira|irons|iront|irait|partir|envo\w*|condui\w*|faire|fait|faite|faites|realise\w*|"
    r"programme\w*|prevue?s?|accouch\w*|consult\w*|operer|soign\w*|traite[es]?|"
    r"prefere\w*|choisi\w*|passer|monter|descendre|redescendre)"
    r"[^.;:\n!?]{0,30}?[ \u00a0](?:à|a|vers)"
    r"|\bplutot qu[' ]?[ \u00a0]*(?:à|a)|\bou[ \u00a0]+(?:à|a)|\bou)[ \u00a0]*$"
)
# A town named just before "ou <town>" in a question or a care sentence ("Pau ou Tarbes ?").
_CARE_CHOICE_AFTER: Final = re.compile(
    r"^[ \u00a0]+ou[ \u00a0]+(?:à[ \u00a0]+|a[ \u00a0]+)?[A-ZÀ-Ý]"
)
_QUESTION_TARGET_BEFORE: Final = re.compile(r"\b(?:à|a|vers)[ \u00a0]*$")
_CARE_WORD: Final = re.compile(
    rf"{_CARE_NOUN}"
    r"|\b(?:operation|intervention|chirurg\w*|opere\w*|bloc|irm|scanner|tdm|tep|pet|"
    r"scintigraphie|coronarographie|angioplastie|\w*dialyse|accouchement|consultation|"
    r"rendez[- ]vous|rdv|avis|bilan|hospitalis\w*|transfert|greffe|radiotherapie|"
    r"chimio\w*|picc|chambre implantable|prothese|reeducation|readaptation|examen|biopsie|"
    r"\w*scopie|\w*graphie|\w*ectomie|\w*stomie|sondes?|pansements?|\w*plastie|polysomnographie|prise en charge|"
    r"specialiste|cataracte|stimulation|ablation|pace-?maker|stent|ponction|perfusion|"
    r"traitement|suivie?s?|soins?|malaise|fievre|douleurs?|chute|fracture|avc|infarctus|saignement|"
    r"plaie|vomissements?|detresse|urgence|garde|sos)\b"
)
_HOME_CLAUSE_BEFORE: Final = re.compile(
    r"\b(?:habite\w*|vit|vivent|vivait|reside\w*|domicili\w*|demeur\w*|travaill\w*|travail|"
    r"salarie\w*|employe\w*|ouvrier\w*|interimaire\w*|"
    r"boulot|chantier|usine|"
    r"frontali\w*|saisonni\w*|vacances|sejour\w*|originaire|nee?|famille|fils|fille|mere|"
    r"pere|soeur|frere|parents|enfants?|chez|rentre\w*|retour\w*|installe\w*|demenag\w*|"
    r"vacancier\w*|touriste|camping|location|loue\w*|heberge\w*"
    # A gerund tells what the patient was doing there: "en taillant la vigne à X",
    # "en skiant à X" (not "en urgence").
    r"|en[ \u00a0]+(?:se[ \u00a0]+|s'|y[ \u00a0]+)?[a-z]{2,}ant)\b[^,.;:\n!?()]*$"
)


def _is_care_move(text: str, start: int, end: int) -> bool:
    """Whether a town is where the patient is sent or cared for (see above)."""
    sentence_start = max(text.rfind(ch, 0, start) for ch in ".!?\n") + 1
    ends = [i for i in (text.find(ch, end) for ch in ".!?\n") if i != -1]
    sentence_end = min(ends) if ends else len(text)
    before = fold(text[sentence_start:start])
    question = text[sentence_end : sentence_end + 1] == "?"
    moved = (
        bool(_CARE_MOVE_BEFORE.search(before))
        or bool(_CARE_CHOICE_AFTER.match(text[end : end + 8]))
        or (question and bool(_QUESTION_TARGET_BEFORE.search(before)))
    )
    if not moved or _HOME_CLAUSE_BEFORE.search(before):
        return False
    return bool(_CARE_WORD.search(fold(text[sentence_start:sentence_end])))


_TITLE_BEFORE: Final = re.compile(
    r"\b(?:m|mme|mmes|mlle|mr|dr|drs|pr|me|monsieur|madame|mademoiselle|docteur|professeur)"
    r"\.?[ \u00a0]+$"
)
# What makes an ambiguous name a place: "à Vire", "depuis Charmes", "habite Eu", "né à Sète",
# "commune de Bouillante". A first name needs more than "de" ("la fille de Nancy").
_STRONG_CUE: Final = re.compile(
    r"(?:\b(?:à|a|au|aux|depuis|vers|entre|pr[èe]s d[e']|proche d[e']|habite|habitent|vit|vivent|"
    r"r[ée]side|demeurant|domicili[ée]e?|originaire d[e']|venant d[e']|en provenance d[e']|"
    r"commune d[e']|ville d[e']|village d[e']|r[ée]gion d[e']|secteur d[e']|mairie d[e']|"
    r"ccas d[e']|ehpad d[e']|coll[èe]ge d[e']|lyc[ée]e d[e']|[ée]cole d[e']|"
    r"dispensaire d[e']|centre de sant[ée] d[e']|cabinet d[e']|"
    r"sortie d[e']|environs d[e']|c[ôo]t[ée] d[e']|route d[e']"
    # "squat de la rue Bourbon, Bordeaux": a street and a comma before the town.
    r"|(?:rue|avenue|boulevard|chemin|impasse|allee|allees|route|quai|derb)\b[^,.;:\n()]{1,40},"
    # "(en métropole, Sarcelles)": a relative's town named after where it is.
    r"|en metropole[ \u00a0]*,?)"
    r"|[(])[ \u00a0]*$"
)
_WEAK_CUE: Final = re.compile(r"\b(?:de|d'|du|des|sur)[ \u00a0]*$")
# "au Tréport", "du Marin", "des Abymes": the contracted article of "Le Tréport".
_ARTICLE_BEFORE: Final = {
    "le": re.compile(r"\b(?:au|du|le)[ \u00a0]+$", re.IGNORECASE),
    "la": re.compile(r"\b(?:la)[ \u00a0]+$", re.IGNORECASE),
    "les": re.compile(r"\b(?:aux|des|les)[ \u00a0]+$", re.IGNORECASE),
    "l": re.compile(r"\bl['\u2019]$", re.IGNORECASE),
}

_FIRST_NAMES: Final = frozenset(town_key(n) for n in lexicon.FIRST_NAMES | public_names.FIRST_NAMES)


def _is_first_name(key: str) -> bool:
    return key in _FIRST_NAMES


def _mixed_case(word: str) -> bool:
    return not word.isupper() and any(ch.isupper() for ch in word[1:])


# Regions, islands and provinces that are also the name of some small commune: "de la
# Réunion", "Clinique de l'Anjou", "Ambulances de la Vallée" name no town.
_NOT_TOWNS: Final = frozenset(
    town_key(n)
    for n in (
        "Réunion",
        "La Réunion",
        "Anjou",
        "Vallée",
        "La Vallée",
        "Corse",
        "Bretagne",
        "Normandie",
        "Provence",
        "Alsace",
        "Lorraine",
        "Bourgogne",
        "Auvergne",
        "Limousin",
        "Berry",
        "Beauce",
        "Vexin",
        "Perche",
        "Morvan",
        "Quercy",
        "Velay",
        "Cantal",
        "Jura",
        "Vosges",
        "Landes",
        "Ardennes",
        "Savoie",
        "Gascogne",
        "Artois",
        "Picardie",
        "Maroni",
        "France",
        "Europe",
        "Afrique",
        "Amérique",
    )
)


def _is_word_like(key: str, value: str) -> bool:
    """A name that is also a word in clinical text: it needs a location cue."""
    lowered = value.lower().replace("\u2019", "'")
    for article in ("le ", "la ", "les ", "l'"):
        if lowered.startswith(article):
            lowered = lowered[len(article) :]
    return (
        key in COMMUNE_WORDS
        or lowered in lexicon.MEDICAL_WORDS
        or lowered in lexicon.NOT_PLACE_WORDS
        or lowered in lexicon.EPONYMS
        or lowered in lexicon.TITLES
        or lexicon.is_drug(value)
    )


# "Dr Etcheverry à Saint-Jean-de-Luz", "Médecin adresseur : Dr Leclerc, Vire", "adressée
# par le Dr Castex de Saint-Gaudens": the town of a doctor named just before is the
# practice's, near the patient's home (a hospital doctor is named with the hospital).
_DOCTOR_TOWN_BEFORE: Final = re.compile(
    r"\b(?:dr|drs|docteur|docteure)\.?[ \u00a0]+(?:[a-z'\-]+[ \u00a0]+){0,2}?[a-z'\-]+"
    r"(?:[ \u00a0]*,|[ \u00a0]+(?:à|a|de|d'))[ \u00a0]*$"
    # "le Dr Marchand, médecin à X", "son infirmière libérale de X": primary care is next to
    # the patient's home, so its town is one (a specialist's is a care site, _CARE_NOUN).
    r"|\b(?:medecin|generaliste|infirmiere?|kine\w*|pharmacien\w*|dentiste|sage-femme|"
    r"orthophoniste|podologue|osteopathe)(?:[ \u00a0]+(?:generaliste|traitant|traitante|liberale?|"
    r"de famille|de garde))?[ \u00a0]+(?:à|a|de|d'|sur)[ \u00a0]*$"
)
# "entre Hendaye et Irun", "à Metz ou à Thionville": a place joined to a place just found.
_COORDINATED: Final = re.compile(r"[ \u00a0]*(?:,|et|ou)[ \u00a0]+(?:(?:à|a|au)[ \u00a0]+)?")


def cues(text: str, start: int, found: list[tuple[int, int]]) -> tuple[str, bool, bool]:
    """The folded line before ``start``, a doctor's name before it, a place just before it.

    The last one is true when ``start`` follows a place already found with "et" or "ou".
    """
    line_start = text.rfind("\n", 0, start) + 1
    before = fold(text[max(line_start, start - 80) : start])
    doctor = _DOCTOR_TOWN_BEFORE.search(before) is not None
    coordinated = bool(found) and _COORDINATED.fullmatch(text, found[-1][1], start) is not None
    return before, doctor, coordinated


# "réhabilitation respiratoire à Loudun près de son domicile": care chosen for being near
# home names the home's town, whatever the care word before it.
_HOME_AFTER: Final = re.compile(
    r"[ \u00a0,]*(?:tout[ \u00a0]+)?(?:pr[èe]s|proche|non loin|à c[ôo]t[ée])[ \u00a0]+"
    r"(?:de[ \u00a0]+(?:son|sa|leur|mon|notre|votre)[ \u00a0]+(?:domicile|maison|logement)"
    r"|de[ \u00a0]+chez[ \u00a0]+(?:lui|elle|eux|elles|moi|nous|vous))\b",
    re.IGNORECASE,
)
# "ancien salarié à Forbach", "ouvrier chez … à X", "travaillait à Metz": a workplace is
# an address even after a care verb earlier in the clause ("suivi en France (… à X)").
_WORK_BEFORE: Final = re.compile(
    r"\b(?:salarie\w*|employe\w*|ouvrier\w*|interimaire\w*|travaill\w*)\b"
    r"[^.;:\n!?()]{0,40}?[ \u00a0](?:à|a)[ \u00a0]*$"
)


def is_care_site(text: str, start: int, end: int, before: str, *, doctor: bool) -> bool:
    """Whether the place at ``start:end`` is a care site, not the patient's (``before``: `cues`)."""
    if _HOME_AFTER.match(text, end):
        return False
    if _CARE_SITE_BEFORE.search(before):
        return True
    if doctor or _WORK_BEFORE.search(before):
        return False  # the doctor's town wins over "suivi par le Dr X à …"; so does work
    return bool(_CARE_DESTINATION_BEFORE.search(before)) or _is_care_move(text, start, end)


# A country that is also a commune's name ("Suisse", Moselle) is the country: letters
# name it after a foreign address ("1218 Le Grand-Saconnex (Suisse)"). City-states are
# their capital too: "à Luxembourg", "à Monaco" stay towns, and "Grenade" is Granada and
# a town of Haute-Garonne more often than the island.
_CITY_STATES: Final = frozenset(
    {"luxembourg", "monaco", "singapour", "djibouti", "koweit", "grenade"}
)
_COUNTRY_NOT_TOWN: Final = frozenset(town_key(n) for n in COUNTRIES) - _CITY_STATES


def find_towns(text: str, excluded: list[tuple[int, int]] | None = None) -> list[tuple[int, int]]:
    """Spans of commune names that are addresses (see the module's docstring).

    ``excluded`` are regions where a capitalised word is no place (eponyms).
    """
    found: list[tuple[int, int]] = []
    gazetteer = _get()
    for match in _matches(text):
        if excluded and any(s < match.end and match.start < e for s, e in excluded):
            continue
        value = text[match.start : match.end]
        # "NANCY" in a header is a town; "ECG", "EFR", "SA" are not, nor "IgE" (Igé).
        if value.isupper() and len(value) <= 4:
            continue
        if any(_mixed_case(word) for word in _WORD.findall(value)):
            continue
        if match.key in _NOT_TOWNS or match.key in _COUNTRY_NOT_TOWN:
            continue
        before, doctor, coordinated = cues(text, match.start, found)
        if is_care_site(text, match.start, match.end, before, doctor=doctor):
            continue
        if _TITLE_BEFORE.search(before):
            continue  # "Mme Laval", "Dr Fontaine": a person
        if not text[
            line_start(text, match.start) : match.start
        ].strip() and _LETTER_DATE_AFTER.match(text, match.end):
            continue  # "Brest, le 07/12/2026": where a letter is signed, the writer's town
        strong = bool(_STRONG_CUE.search(before)) or doctor or coordinated
        key = match.key
        if key in gazetteer.foreign:
            # A town abroad after "de" is a place unless it is also a first name: "au port
            # de Anvers", "au club de Offenbourg", but "la fille de Florence".
            if strong or (_WEAK_CUE.search(before) and not _is_first_name(key)):
                found.append((match.start, match.end))
            continue
        if key in gazetteer.short_forms:
            if strong or (_WEAK_CUE.search(before) and not _is_first_name(key)):
                found.append((match.start, match.end))
            continue
        if key not in gazetteer.keys:
            article = gazetteer.without_article[key]
            if not _ARTICLE_BEFORE[article].search(text[max(0, match.start - 5) : match.start]):
                continue
            # "Résidence du Parc" is no "Le Parc": a common word after "du" needs "au".
            if _is_word_like(key, value) and not re.search(r"\bau[x]?[ \u00a0]+$", before):
                continue
            found.append((match.start, match.end))
            continue
        if _is_first_name(key):
            if strong:
                found.append((match.start, match.end))
            continue
        if _is_word_like(key, value):
            # "bouffée d'ANGOISSE", "crise de Panique": a word after a medical noun is the word.
            if strong or (_WEAK_CUE.search(before) and not _MEDICAL_NOUN_OF.search(before)):
                found.append((match.start, match.end))
            continue
        found.append((match.start, match.end))
    return found


def line_start(text: str, position: int) -> int:
    """Where the line holding ``position`` starts."""
    return text.rfind("\n", 0, position) + 1


# The date may be a placeholder already ("Lannion, le [DATE]": a text scrubbed twice).
_LETTER_DATE_AFTER: Final = re.compile(
    r",?[ \u00a0]+le[ \u00a0]+(?:[0-9]|1er\b|premier\b|\[DATE\])"
)
_MEDICAL_NOUN_OF: Final = re.compile(
    r"\b(?:"
    + "|".join(
        sorted(
            {re.escape(fold(w)) for w in lexicon.EPONYM_HEADS}
            | {"bouffees?", "crises?", "attaques?", "etats?", "troubles?", "sentiments?",
               "sensations?", "episodes?", "acces"},
            key=len,
            reverse=True,
        )
    )
    + r")[ \u00a0]+(?:de|d'|du|des)[ \u00a0]*$"
)  # fmt: skip


_COUNTRIES: Final = frozenset(town_key(n) for n in COUNTRIES_AND_REGIONS)
_PLACE_PART: Final = re.compile(r"[^\W\d_]+(?:['\u2019][^\W\d_]+)?")
# "au port de Anvers", "au club de Offenbourg", "un quartier de Macouria": "de" after a
# common noun that is no care noun.
_CARE_NOUN_BEFORE: Final = re.compile(rf"{_CARE_NOUN}[^,.;:\n]*$")
_NOUN_OF_BEFORE: Final = re.compile(r"\b[a-z]{3,}[ \u00a0]+(?:de|d'|du|des)[ \u00a0]*$")


def find_cued_places(
    text: str,
    places: list[tuple[int, int]],
    excluded: list[tuple[int, int]] | None = None,
    towns: list[tuple[int, int]] | None = None,
) -> list[tuple[int, int]]:
    """Places that are no commune in the lists, after a location cue.

    Hamlets, resorts, islands, villages abroad: "saisonnière à Val Thorens", "en vacances
    à Porquerolles", "marin-pêcheur à Saint-Guénolé", "vit à l'année à Belle-Île".

    ``places`` are the spans the NER model labels as locations. Such a span is an address
    when a location cue precedes it (as for word-like communes) and the care-site, title,
    country and medical-word checks of the gazetteer let it through. Communes and towns
    abroad are :func:`find_towns`'s to decide.
    """
    gazetteer = _get()
    found: list[tuple[int, int]] = sorted(towns or [])
    result: list[tuple[int, int]] = []
    for start, end in sorted(places):
        value = text[start:end]
        words = _PLACE_PART.findall(value)
        if not words or not value[0].isupper() or any(ch.isdigit() for ch in value):
            continue
        # Every word capitalised or a particle: "hôpital de Bastia" is a care site.
        if any(not w[0].isupper() and w.lower() not in _NAME_PARTICLES for w in words):
            continue
        # "CeGIDD", "HAM-D", "SUVmax": codes and acronyms, not places.
        if any(_mixed_case(w) or (w.isupper() and len(w) <= 5) for w in words):
            continue
        if excluded and any(s < end and start < e for s, e in excluded):
            continue
        key = town_key(value)
        if (
            key in gazetteer.keys
            or key in gazetteer.foreign
            or key in gazetteer.without_article
            or key in _COUNTRIES
            or key in _NOT_TOWNS
            or _is_word_like(key, value)
            or lexicon.is_drug(value)
            or any(
                w.lower() in lexicon.MEDICAL_WORDS and w.lower() not in _NAME_PARTICLES
                for w in words
            )
        ):
            continue
        earlier = [span for span in found if span[1] <= start]
        before, doctor, coordinated = cues(text, start, earlier)
        if is_care_site(text, start, end, before, doctor=doctor) or _TITLE_BEFORE.search(before):
            continue
        # A parenthesis is no cue here: "(Riamet)", "(Scheltens 3)" name drugs and scores.
        strong = (
            (bool(_STRONG_CUE.search(before)) and not before.rstrip(" \u00a0").endswith("("))
            or doctor
            or coordinated
        )
        if strong or (_NOUN_OF_BEFORE.search(before) and not _CARE_NOUN_BEFORE.search(before)):
            result.append((start, end))
            found.append((start, end))
            found.sort()
    return result


def find_town_addresses(text: str, places: list[tuple[int, int]] | None = None) -> list[Candidate]:
    """Towns named alone, and the model's places after a location cue, as addresses.

    The engine's recognizer passes the NER model's locations as ``places``.
    """
    regions = names.eponym_regions(text)
    towns = find_towns(text, regions)
    cued = find_cued_places(text, places, regions, towns) if places else []
    return [
        Candidate(start, end, "address", 0.65)
        for start, end in [
            *towns,
            *cued,
            *_lower_case_postcode_towns(text),
            *_lower_case_cued_towns(text),
            *_workplaces(text),
            *_places_before_towns(text, towns),
            *_postcodes_after_towns(text),
        ]
    ]


# "92 ans, Les Chirons, Saint-Pierre-de-Frugie": a place named with its article right
# before a commune found, after a comma or a line start, is the hamlet of that commune.
_ARTICLE_PLACE_BEFORE: Final = re.compile(
    r"(?:^|(?<=[,:\n(]))[ \u00a0]*(?P<place>(?:Les|Le|La|L['\u2019])[ \u00a0]?"
    r"[A-ZÀ-Ý][\w'\u2019\-]+(?:[ \u00a0][A-ZÀ-Ý][\w'\u2019\-]+)?),[ \u00a0]*$"
)


def _places_before_towns(text: str, towns: list[tuple[int, int]]) -> Iterator[tuple[int, int]]:
    for start, _end in towns:
        window = max(0, start - 40)
        match = _ARTICLE_PLACE_BEFORE.search(text, window, start)
        if match is None or (match.start() == window and window > 0):
            continue
        place = match.group("place")
        words = re.findall(r"[^\W\d_]+", place)
        if any(w.lower() in lexicon.MEDICAL_WORDS or lexicon.is_drug(w) for w in words[1:]):
            continue
        yield match.start("place"), match.end("place")


# "habite à Vienne (38200)", "l'île de Sein (29990)", "Tourlaville (commune déléguée de
# Cherbourg-en-Cotentin), 50110": a postcode alone is an address when a commune it
# belongs to was named just before it on the line.
_LONE_POSTCODE: Final = re.compile(
    r"(?<![\w.,/\-])(?P<code>(?:0[1-9]|[1-8][0-9]|9[0-5]|97|98)[0-9]{3})(?![\w/\-]|[.,][0-9])"
)
_POSTCODE_TOWNS: dict[str, frozenset[str]] = {}
_NOT_NAME_CHARS: Final = re.compile(r"[^\w'\u2019\-]+")


def _towns_of_postcode(code: str) -> frozenset[str]:
    if not _POSTCODE_TOWNS:
        by_code: dict[str, set[str]] = {}
        for entry in _get().postcode_keys:
            postcode, key = entry.split(" ", 1)
            by_code.setdefault(postcode, set()).add(key)
        _POSTCODE_TOWNS.update({c: frozenset(k) for c, k in by_code.items()})
        _POSTCODE_TOWNS.setdefault("", frozenset())
    return _POSTCODE_TOWNS.get(code, frozenset())


def _postcodes_after_towns(text: str) -> Iterator[tuple[int, int]]:
    for match in _LONE_POSTCODE.finditer(text):
        towns = _towns_of_postcode(match.group("code"))
        if not towns:
            continue
        window = text[max(line_start(text, match.start()), match.start() - 80) : match.start()]
        before = " " + town_key(_NOT_NAME_CHARS.sub(" ", window)) + " "
        if any(f" {key} " in before for key in towns):
            yield match.start(), match.end()


# "usine Valeo de Mondeville", "collège Jean-Moulin de Lens", "lycée professionnel Le
# Corbusier d'Aubervilliers", "Fonderie Vallourec, site de Saint-Saulve", "abattoir de
# Lamballe", "Intermarché de Thiers", "hôtel Formule 1 de Créteil", "CADA de Guéret",
# "mairie d'Ambert", "école élémentaire Jules-Ferry de Vaulx-en-Velin": a named workplace,
# shop, school or lodging and its town is where the patient works, studies or sleeps,
# near home. No care word here: a care site keeps its town (module policy); a pharmacy is
# primary care, next to home, so its town is one (as the practice-town rule says).
# A word in -erie names a trade's workshop or shop ("tuilerie Monier", "poissonnerie
# Le Goff"), except these words and the care and police posts.
_TRADE_ERIE: Final = (
    r"(?!(?i:batterie|boiterie|loterie|plaisanterie|tracasserie|gaucherie|r[êe]verie|moquerie|"
    r"flatterie|causerie|artillerie|infirmerie|gendarmerie|s[ée]rie|galerie)\b)"
    r"(?i:[a-zàâçéèêëîïôûùüÿœ]{3,}erie)"
)
_WORK_NOUN: Final = (
    r"(?i:usine|fonderie|plateforme|entrep[ôo]t|d[ée]p[ôo]t|chantier|coll[èe]ge|lyc[ée]e|site|"
    r"technicentre|abattoir|conserverie|scierie|menuiserie|charpenterie|boulangerie|"
    r"p[âa]tisserie|boucherie|charcuterie|fromagerie|laiterie|fromagerie|[ée]picerie|"
    r"sup[ée]rette|supermarch[ée]|hypermarch[ée]|magasin|garage|atelier|entreprise|"
    r"soci[ée]t[ée]|[ée]tablissements|ets|transports|coop[ée]rative|distillerie|brasserie|"
    r"imprimerie|blanchisserie|cimenterie|papeterie|verrerie|tannerie|raffinerie|sucrerie|"
    r"minoterie|carri[èe]re|mine|mairie|[ée]cole|groupe[ \u00a0]+scolaire|cr[èe]che|"
    r"h[ôo]tel|auberge|camping|foyer|r[ée]sidence[ \u00a0]+sociale|cada|huda|chrs|gare|port|onf|"
    r"pharmacie|bar-tabac|bar|tabac|caf[ée]|restaurant|"
    # Any trade's workshop or shop: "tuilerie", "poissonnerie", "quincaillerie".
    rf"{_TRADE_ERIE}|"
    # Shops named by their brand: "Leclerc de Villepinte", "Intermarché d'Ambert".
    r"intermarch[ée]|leclerc|e\.[ \u00a0]?leclerc|carrefour[ \u00a0]+(?:market|contact)|"
    r"auchan|lidl|aldi|super[ \u00a0]+u|hyper[ \u00a0]+u|monoprix|franprix|netto|cora|"
    r"biocoop|d[ée]cathlon|ikea)"
    r"(?:-(?i:p[âa]tisserie|tabac|restaurant|h[ôo]tel|boulangerie|[ée]picerie))?"
)
_WORK_QUALIFIER: Final = (
    r"(?:[ \u00a0]+(?i:logistique|industrielle?|agricole|professionnel(?:le)?|technique|"
    r"polyvalent|g[ée]n[ée]ral|priv[ée]e?|publique?|naval|[ée]l[ée]mentaire|maternelle|"
    r"primaire|municipale?|communale?|intercommunale?|social|sociale|d'application))?"
)
# A workplace's own name: "Valeo", "Jules-Ferry", "Jules Ferry", "Formule 1", "Au Bon Pain".
_WORK_NAME: Final = (
    r"(?:[ \u00a0]+(?:(?:Le|La|Les|Au|Aux|Du|Des)[ \u00a0]+|L['\u2019])?[A-ZÀ-Ý][\w\-'\u2019]*"
    r"(?:[ \u00a0]+(?:[A-ZÀ-Ý][\w\-'\u2019]*|[0-9]{1,2}(?![\w])))?"
    r"(?:[ \u00a0]+[A-ZÀ-Ý][\w\-'\u2019]*)?)"
)
_WORKPLACE: Final = re.compile(
    rf"(?<![\w\-])(?P<noun>{_WORK_NOUN}){_WORK_QUALIFIER}"
    rf"(?P<name>{_WORK_NAME}?)"
    r"(?:,[ \u00a0]*(?i:site))?"
    r"(?:[ \u00a0]+(?:de[ \u00a0]+|d['\u2019])|(?P<at>[ \u00a0]+à[ \u00a0]+))"
    r"(?P<town>[A-ZÀ-Ý][\w'\u2019]*(?:[ \u00a0\-](?:(?:sur|sous|en|le|la|les|de|du|des|lès|lez|et|d['\u2019])"
    r"[ \u00a0\-]?)*[A-ZÀ-Ý][\w'\u2019]*){0,4})"
)
# "apprenti chez la boulangerie Pradier", "c'est Hélène de la pharmacie Dubreuil", "scierie
# Lacombe", "bar-tabac Le Central", "groupe scolaire Jules Ferry": a shop, a workshop or a
# school and its own name locate a person without any town (its name is its address in a
# village). Only the nouns of small businesses and schools: a brand alone is no place.
_NAMED_BUSINESS_NOUN: Final = (
    r"(?i:technicentre|abattoir|conserverie|scierie|menuiserie|charpenterie|boulangerie|"
    r"p[âa]tisserie|boucherie|charcuterie|fromagerie|laiterie|[ée]picerie|sup[ée]rette|garage|"
    r"distillerie|imprimerie|minoterie|pharmacie|bar-tabac|bar|caf[ée]|restaurant|"
    r"auberge|camping|coll[èe]ge|lyc[ée]e|[ée]cole|groupe[ \u00a0]+scolaire|cr[èe]che|cada|"
    r"usine|fonderie|"
    rf"{_TRADE_ERIE})"
    r"(?:-(?i:p[âa]tisserie|tabac|restaurant|h[ôo]tel|boulangerie|[ée]picerie))?"
)
_NAMED_BUSINESS: Final = re.compile(
    rf"(?:(?<=\b(?i:chez)[ \u00a0])(?i:la|le|l['\u2019])[ \u00a0]?)?(?<![\w\-])(?<![0-9][ \u00a0])"
    rf"{_NAMED_BUSINESS_NOUN}"
    rf"{_WORK_QUALIFIER}(?P<name>{_WORK_NAME})"
    # "école maternelle Les Coquelicots, Saint-Amand-les-Eaux": its town after a comma.
    r"(?:,[ \u00a0]+(?P<town>[A-ZÀ-Ý][\w'\u2019]*(?:[ \u00a0\-](?:(?:sur|sous|en|le|la|les|de|du|"
    r"des|lès|lez|et|d['\u2019])[ \u00a0\-]?)*[A-ZÀ-Ý][\w'\u2019]*){0,4}))?"
)
# Basque and Corsican houses are named and so located: "maison Etxeberria", "casa Pietri".
_NAMED_HOUSE: Final = re.compile(
    r"(?<![\w\-])(?:maison|casa|etxea)[ \u00a0]+(?P<name>[A-ZÀ-Ý][a-zà-ÿ][\w\-'\u2019]+)"
    r"(?![ \u00a0\-]*(?:[A-ZÀ-Ý]|de\b|du\b|d'))"
)
# A workplace of care, or a lab's site: "LABORATOIRE … — SITE DE BÈGLES" keeps its town.
_CARE_LINE_BEFORE: Final = re.compile(
    rf"(?:{_CARE_NOUN}|\b(?:laboratoire|labo|biologie|radiologie|imagerie))(?![\w])"
)
_ARTICLE_END: Final = re.compile(
    r"\b(?i:chez)[ \u00a0]+(?P<article>(?:la|le)[ \u00a0]|l['\u2019])$"
)
_GENERIC_WORK_NOUN: Final = re.compile(
    r"(?i:site|plateforme|entrep[ôo]t|d[ée]p[ôo]t|chantier|magasin|atelier|garage|entreprise|"
    r"soci[ée]t[ée]|gare|foyer|bar|tabac|caf[ée]|mine|carri[èe]re)"
)
_NOT_WORK_NAMES: Final = frozenset(
    {"dieu", "de", "ville", "national", "nationale", "francais", "française", "international",
     "internationale", "europeen", "européen", "européenne", "royal", "royale", "universitaire"}
)  # fmt: skip


_TOWN_NAME_GOES_ON: Final = re.compile(
    r"-(?:(?:les|le|la|sur|sous|en|de|du|des|lès|lez|aux)-)?[A-ZÀ-Ý][\w'\u2019]*"
)


def _workplace_town_end(text: str, start: int, town: str) -> int | None:
    """End of the longest commune opening ``town`` (at ``start``), through its hyphens."""
    keys, short_forms = commune_keys(), _get().short_forms
    # "à Lons le saunier": the rest of a town's name may be typed in lower case.
    run = re.match(r"[^\s,;:.!?()\[\]/]+(?:[ \u00a0\-][^\s,;:.!?()\[\]/]+){0,4}", text[start:])
    parts = list(re.finditer(r"[^ \u00a0\-]+", run.group() if run is not None else town))
    for count in range(len(parts), 0, -1):
        end = start + parts[count - 1].end()
        key = town_key(text[start:end])
        if (key not in keys and key not in short_forms) or len(key) < 3:
            continue
        # "gare de Lyon-Part-Dieu": the station's name goes on after the town's.
        while (more := _TOWN_NAME_GOES_ON.match(text, end)) is not None:
            end = more.end()
        return end
    return None


def _is_work_name(name: str) -> bool:
    words = name.split()
    if not words or re.fullmatch(_WORK_QUALIFIER, f" {words[0]}"):
        return False  # "ÉCOLE MATERNELLE": a qualifier, no name
    first = (
        words[-1] if words[0].lower() in {"le", "la", "les", "au", "aux", "du", "des"} else words[0]
    )
    lowered = first.lower().strip("'\u2019")
    return not (
        lowered in _NOT_WORK_NAMES
        or lowered in lexicon.MEDICAL_WORDS
        or lowered in lexicon.NOT_PLACE_WORDS
        or lowered in lexicon.TITLES
        or lexicon.is_drug(first)
    )


def _workplaces(text: str) -> Iterator[tuple[int, int]]:
    for match in _WORKPLACE.finditer(text):
        name = match.group("name").strip()
        if name and not _is_work_name(name):
            continue
        if match.group("at") is not None and not name:
            continue  # "hôtel à Lyon": a town after "à" needs the workplace's own name
        line_start = max(text.rfind("\n", 0, match.start()) + 1, match.start() - 60)
        if _CARE_LINE_BEFORE.search(fold(text[line_start : match.start()])):
            continue
        if _TITLE_BEFORE.search(fold(text[max(0, match.start() - 12) : match.start()])):
            continue  # "Dr Leclerc de Vire": a person
        end = _workplace_town_end(text, match.start("town"), match.group("town"))
        if end is None:
            continue
        start = match.start()
        # "chez la boulangerie Pradier à Riom": after "chez" the article is said with the
        # shop's name ("à la boulangerie X" keeps its article out).
        if match.group("name") and (article := _ARTICLE_END.search(text, max(0, start - 9), start)):
            start = article.start("article")
        key = town_key(text[match.start("town") : end])
        # "site de Bourg": a town that is also a word needs the workplace's own name after a
        # noun that names no building of its own ("technicentre de Périgueux" needs none).
        generic = _GENERIC_WORK_NOUN.fullmatch(match.group("noun")) is not None
        if (key in _NOT_TOWNS or (key in COMMUNE_WORDS and generic)) and not name:
            continue
        yield start, end
    for match in _NAMED_BUSINESS.finditer(text):
        if not _is_work_name(match.group("name")):
            continue
        if _TITLE_BEFORE.search(fold(text[max(0, match.start() - 12) : match.start()])):
            continue
        end = match.end("name")
        if match.group("town") is not None:
            town_end = _workplace_town_end(text, match.start("town"), match.group("town"))
            if town_end is not None:
                end = town_end
        yield match.start(), end
    for match in _NAMED_HOUSE.finditer(text):
        if _is_work_name(match.group("name")):
            yield match.start(), match.end()


# "il habite à toulouse", "sa femme vient de ciboure", "le monsieur de st-jean-de-luz",
# "14 rue des lilas appt 23 à villeneuve-saint-georges": a commune typed in lower case
# after a cue of residence (a verb of living, of coming from, a person "de", a street
# and "à"). The commune list decides, and a commune that is also a word stays.
_LOWER_TOWN_CUE: Final = re.compile(
    r"(?:\b(?i:habite|habitent|habitons|vit|vivent|vivons|demeure|r[ée]side|domicili[ée]e?|"
    r"install[ée]e?s?|n[ée]e?|originaire|vient|viennent|venant|revient|rentre|rentr[ée]e?)"
    r"(?:[ \u00a0]+(?i:toujours|encore|maintenant|d[ée]sormais|seule?|aussi))?"
    r"|\b(?i:le|la|du|au)[ \u00a0]+(?i:monsieur|dame|patiente?|m[ée]decin|voisine?|famille)"
    # "sa fille est à toulouse": a relative's town, near the patient's.
    r"|\b(?i:fille|fils|m[èe]re|p[èe]re|femme|mari|s(?:œ|oe)ur|fr[èe]re|enfants|parents)"
    r"[ \u00a0]+(?i:est|sont)"
    # "on est a sarcelles jusqu'à dimanche", "je suis à brive": where the writer is.
    r"|(?P<strong>\b(?i:on|je|nous|ils?|elles?)[ \u00a0]+(?i:est|suis|sommes|sont|[ée]tait|[ée]tais|"
    r"[ée]tions|[ée]taient|sera|serai|serons|seront)"
    # "un collègue de brive", "sur le secteur de quimper": a colleague's or an area's town.
    r"|\b(?i:coll[èe]gue|confr[èe]re|cons(?:œ|oe)ur|secteur|r[ée]gion|coin|environs|alentours)"
    # "il bosse chez Michelin à clermont", "chez Menuiserie Gauthier à Lons le saunier".
    r"|(?P<chez>\b(?i:chez)[ \u00a0]+[^.;:!?\n]{1,40}?))"
    # "la ferme du puech a cransac": a farm or hamlet typed in lower case, then its town.
    r"|(?P<place>(?<![\w\-])(?:(?i:la|le)[ \u00a0]+)?(?i:ferme|lieu-dit|lieudit|hameau|mas|moulin)"
    r"(?:[ \u00a0]+[a-zà-ÿœ'\u2019\-]+){1,4}?)"
    # A lower-case street just before: "14 rue des lilas appt 23 à …".
    r"|(?<![\w\-])[0-9]{1,4}[ \u00a0]+(?i:rue|avenue|chemin|impasse|all[ée]e|route|place|bd|"
    r"boulevard|r[ée]sidence|cit[ée]|lotissement)[ \u00a0][^.;:!?\n]{2,40}?)"
    r"[ \u00a0]+(?:(?:à|a|de)[ \u00a0]+|d['\u2019][ \u00a0]*)"
    r"(?P<town>[A-ZÀ-Ýa-zà-ÿœ][a-zà-ÿœ'\u2019\-]*(?:[ \u00a0\-][a-zà-ÿœ'\u2019\-]+){0,4})"
)
# "quimper / douarnenez", "brive ou tulle": a second lower-case town joined to one found.
_LOWER_TOWN_AND: Final = re.compile(
    r"[ \u00a0]*(?:/|,|et|ou)[ \u00a0]*"
    r"(?P<town>[a-zà-ÿœ][a-zà-ÿœ'\u2019\-]*(?:[ \u00a0\-][a-zà-ÿœ'\u2019\-]+){0,4})"
)


def _lower_town_end(text: str, start: int, town: str, *, strong: bool = False) -> int | None:
    """End of the longest commune typed in lower case opening ``town`` (at ``start``).

    After a strong cue (``strong``: "on est à", "un collègue de", "chez X à") a commune
    that is also in the word list is taken when it is long ("sarcelles", "quimper"): the
    short ones are the words ("à cours", "de garde").
    """
    keys, short_forms = commune_keys(), _get().short_forms
    words = list(re.finditer(r"[^ \u00a0]+", town))
    for count in range(len(words), 0, -1):
        end = start + words[count - 1].end()
        while end > start and text[end - 1] in "'\u2019-":
            end -= 1
        key = town_key(text[start:end])
        if len(key) < 4 or (key in COMMUNE_WORDS and (not strong or len(key) < 7)):
            continue
        # "un collègue de brive": the head of Brive-la-Gaillarde, as towns are said.
        if key in keys or (key in short_forms and len(key) >= 5):
            return end
    return None


def _lower_case_cued_towns(text: str) -> Iterator[tuple[int, int]]:
    position = 0
    while (match := _LOWER_TOWN_CUE.search(text, position)) is not None:
        start = match.start("town")
        # A cue whose words are no town may hold the next cue ("la dame de la ferme du
        # mazel a marvejols"): look again from there.
        position = start
        # A capitalised town is find_towns'; after "chez X à" it may be typed half in
        # lower case ("Lons le saunier"), which the gazetteer's matcher does not read.
        if text[start].isupper() and match.group("chez") is None:
            continue
        strong = match.group("strong") is not None
        end = _lower_town_end(text, start, match.group("town"), strong=strong)
        if end is None:
            continue
        position = end
        yield (start if match.group("place") is None else match.start("place")), end
        while (more := _LOWER_TOWN_AND.match(text, end)) is not None:
            next_end = _lower_town_end(text, more.start("town"), more.group("town"), strong=strong)
            if next_end is None:
                break
            yield more.start("town"), next_end
            end = position = next_end


# "40200 mimizan", "33770 salles": a postcode and a commune typed in lower case (SMS,
# hand-typed forms); the pattern rules want a capital, so the commune list decides.
_POSTCODE_LOWER: Final = re.compile(
    r"(?<![0-9])(?P<postcode>(?:0[1-9]|[1-8][0-9]|9[0-5]|97|98)[0-9]{3})[ \u00a0]+"
    r"(?P<town>[a-zà-ÿœ][a-zà-ÿœ'\u2019\-]*(?:[ \u00a0\-][a-zà-ÿœ'\u2019\-]+){0,4})"
)


# "habite la ferme du grand pré, 88430 corcieux": a place typed in lower case, opened by a
# word for a farm, hamlet or way, right before a lower-case "postcode commune" is its part.
_LOWER_PLACE_BEFORE: Final = re.compile(
    # After a house number the street is the pattern rules' ("4 rue du stade, 86100 …").
    r"(?<![\w\-'\u2019])(?<![0-9][ \u00a0])(?:(?:la|le|les)[ \u00a0]+|l['\u2019])?"
    r"(?:ferme|lieu-dit|lieudit|hameau|mas|moulin|domaine|r[ée]sidence|r[ée]s\.|cit[ée]|"
    r"lotissement|quartier|chemin|route|rte|impasse|all[ée]e|rue|ch[âa]teau|maison|bastide|"
    r"grange|village|camping|aire)"
    r"(?:[ \u00a0]+[a-zà-ÿœ'\u2019\-]+){1,6}"
    # "rés. le clos fleuri bât B apt 14 26200 montelimar": the building and flat after it.
    r"(?:[ \u00a0]+(?:b[âa]t\.?|bt|b[âa]timent|appt?\.?|apt\.?|esc\.?|porte|log\.?)[ \u00a0]*"
    r"[0-9A-Za-z]{1,4})*(?:,[ \u00a0]*|[ \u00a0]+)$"
    # "Nouvelle : le Pradal 43500 craponne sur arzon": a lieu-dit and its article after a
    # label.
    r"|(?<=:)[ \u00a0]*(?:la|le|les|La|Le|Les)[ \u00a0]+[A-Za-zà-ÿœ'\u2019\-]{3,}"
    r"(?:[ \u00a0]+[a-zà-ÿœ'\u2019\-]+){0,2},?[ \u00a0]+$"
)


_ADDRESS_END: Final = re.compile(r"[ \u00a0]*(?:[,.;:!?)\n]|$)")


def _lower_case_postcode_towns(text: str) -> Iterator[tuple[int, int]]:
    keys = commune_keys()
    for match in _POSTCODE_LOWER.finditer(text):
        words = list(re.finditer(r"[^ \u00a0]+", match.group("town")))
        for count in range(len(words), 0, -1):
            end = match.start("town") + words[count - 1].end()
            key = town_key(text[match.start("town") : end])
            # "10000 vues": a commune that is also a common word ("bordeaux", "mer") needs
            # the postcode to follow a street's comma or open the line.
            after_part = re.search(
                r"(?:^|\n|,)[ \u00a0]*$", text[max(0, match.start() - 3) : match.start()]
            )
            # "cité des aubiers 33300 bordeaux, j'ai …": a commune's own postcode settles it
            # too, when the address ends with the town ("33000 bordeaux à boire" goes on).
            own_postcode = f"{match.group('postcode')} {key}" in _get().postcode_keys and bool(
                _ADDRESS_END.match(text, end)
            )
            if (
                key in keys
                and len(key) >= 3
                and (key not in COMMUNE_WORDS or after_part or own_postcode)
            ):
                place = _LOWER_PLACE_BEFORE.search(text, max(0, match.start() - 60), match.start())
                yield (match.start() if place is None else place.start()), end
                break
