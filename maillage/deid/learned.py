"""A learned recogniser for names and addresses: a small spaCy NER trained on our texts.

The rules (:mod:`~maillage.deid.patterns`, :mod:`~maillage.deid.gazetteer`,
:mod:`~maillage.deid.names`) know the shapes their authors have seen; each fresh half of
the held-out corpus brought shapes none of them named (an unknown street type after a
house number, a building before a postal block, a name in capitals in a header). A model
trained on the ~760 annotated texts generalises from context instead: its spans join the
rule candidates and only add recall. They go through the vetoes the general NER's persons
and places go through, so that medical terms stay.

The model (``data/deid_ner``, about 4 MB) is rebuilt by ``manage.py train_deid_model``
(see ``tests/heldout/README.md``, "Learned recogniser"). It is loaded on first use, like
the spaCy model of :mod:`~maillage.deid.analyzer`, and only by that module.
"""

from __future__ import annotations

import re
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Final

from maillage.deid import gazetteer, lexicon, names, public_names
from maillage.deid.foreign_towns import COUNTRIES_AND_REGIONS
from maillage.deid.patterns import Candidate

if TYPE_CHECKING:
    from spacy.language import Language

__all__ = ["LABELS", "MODEL_PATH", "find", "get_model", "is_available", "set_model"]

MODEL_PATH: Final = Path(__file__).resolve().parent / "data" / "deid_ner"
LABELS: Final = ("PER", "ADDR")
#: Below the rules' strong scores: on an overlap of equal length a rule's span wins.
_SCORE: Final = 0.6

_model: Language | None = None
_lock: Final = threading.Lock()


def is_available() -> bool:
    """Whether a model is shipped (or set): the engine runs without one, on rules alone."""
    return _model is not None or (MODEL_PATH / "meta.json").is_file()


def get_model() -> Language:
    """The trained pipeline, loaded once per process (about 0.3 s)."""
    global _model  # a process-wide cache, loaded once under a lock
    if _model is None:
        with _lock:
            if _model is None:
                import spacy

                _model = spacy.load(MODEL_PATH)
    return _model


def set_model(model: Language | None) -> None:
    """Use ``model`` instead of the shipped one (``None``: the shipped one, reloaded lazily).

    For the leave-one-half-out measurements, which score models trained without a half.
    """
    global _model  # see get_model
    with _lock:
        _model = model


def find(text: str) -> list[Candidate]:
    """Names and addresses the model finds in ``text``, once vetoed."""
    doc = get_model()(text)
    regions = names.eponym_regions(text)
    persons = [
        (start, end, _SCORE)
        for e in doc.ents
        if e.label_ == "PER"
        for start, end in _lines(text, e.start_char, e.end_char)
        if _is_person(text, start, end)
    ]
    found = names.filter_ner_names(text, persons, regions)
    for entity in doc.ents:
        if entity.label_ == "ADDR":
            span = _address(text, entity.start_char, entity.end_char, regions)
            if span is not None:
                found.append(Candidate(span[0], span[1], "address", _SCORE))
    return found


def _lines(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """A person's span cut at its line breaks.

    On a form a name ends with its line ("Nom, prénom : SCHNEIDER Laurent⏎Identifiant :
    …"): the model's span running over it would outgrow the rules' name and take the next
    label.
    """
    pieces = []
    for match in _LINE.finditer(text, start, end):
        piece_start, piece_end = match.start(), match.end()
        while piece_end > piece_start and text[piece_end - 1] in " \u00a0\t\r":
            piece_end -= 1
        if piece_end > piece_start:
            pieces.append((piece_start, piece_end))
    return pieces


_LINE: Final = re.compile(r"[^\n]+")


# A title in capitals opening a letter header: "DR JEAN-MARC FAURE", "MME Odile KERBRAT".
_KNOWN_NAMES: Final = lexicon.FIRST_NAMES | public_names.FIRST_NAMES | public_names.SURNAMES
_CAPITAL_TITLE_BEFORE: Final = re.compile(r"(?<![\w])(?:DR|PR|MME|MR|MLLE)\.?[ \u00a0]+$")


def _is_person(text: str, start: int, end: int) -> bool:
    """The model's person is no word cut in two, and after "DR" it is a name, not a finding.

    spaCy splits "Macula-off" after the hyphen: a span ending there is part of a word. As
    for the rules, a title in capitals makes a name only before capitals or a known first
    name: "DR" is also a retinal detachment ("DR Macula-off"), "PR" rheumatoid arthritis.
    """
    if text[end - 1] == "-" or (end < len(text) and (text[end].isalnum() or text[end] == "-")):
        return False
    # "**Suspendre** l'azathioprine": a lone word opening a sentence is a verb or a heading
    # far more often than a name; there it must at least be a name we know.
    word = text[start:end]
    if (
        _WORD.fullmatch(word) is not None
        and _SENTENCE_OPENING.search(text, 0, start) is not None
        and word.lower()
        not in lexicon.FIRST_NAMES | public_names.FIRST_NAMES | public_names.SURNAMES
    ):
        return False
    if _CAPITAL_TITLE_BEFORE.search(text, max(0, start - 8), start) is None:
        return True
    first = _WORD.match(text, start)
    return first is not None and (
        first.group().isupper() or first.group().lower() in lexicon.FIRST_NAMES
    )


_DOSE: Final = re.compile(
    r"\d+(?:[.,]\d+)?[ \u00a0]*(?:[mµnk]?g|mcg|[mdcµ]?[lL]|UI|U|mmol|µmol|mmHg|cm|mm|"
    r"%|h|j|min|sem|mois|ans?|fois|cp|gel|amp|bouff[ée]es?|gouttes?)(?![\w])"
)
_DOSE_INSIDE: Final = re.compile(
    r"(?<![\w])\d+(?:[.,]\d+)?[ \u00a0]?(?:[mµnk]?g|mcg|[mµ]?[lL]|UI|mmol|µmol|mmHg)(?:/\w+)?(?![\w])"
)
_WORD: Final = re.compile(r"[^\W\d_]+(?:['\u2019][^\W\d_]+)?")
_GRADED_EPONYM: Final = re.compile(r"(?P<eponym>[^\W\d_]+)[ \u00a0]+\d")
_CLOCK_ONLY: Final = re.compile(r"[0-9]{1,2}[ \u00a0]?[hH:][ \u00a0]?[0-9]{0,2}")
_ARROW: Final = re.compile(r"(?:[\u2190-\u21ff\u27f5-\u27ff]|->|=>|-->)[ \u00a0]*")
_COUNTRIES: Final = frozenset(gazetteer.town_key(n) for n in COUNTRIES_AND_REGIONS)


_SENTENCE_END: Final = re.compile(r"\.[ \u00a0\n]+(?=[A-ZÀ-Ý])")


def _is_medical_text(value: str) -> bool:
    """Whether a stretch of text holds a medical word, an eponym's head or a drug."""
    for word in _WORD.findall(value):
        key = word.lower()
        if (
            key in lexicon.MEDICAL_WORDS
            or key in lexicon.EPONYM_HEADS
            or lexicon.is_drug(word)
            or (len(key) > 5 and key.endswith(lexicon.MEDICAL_SUFFIXES))
        ):
            return True
    return False


def _address(
    text: str, start: int, end: int, regions: list[tuple[int, int]]
) -> tuple[int, int] | None:
    """The model's address once through the checks the general NER's places go through.

    An eponym ("maladie de Crohn") or a drug is never an address. A span with a digit has
    a postal shape (a house number, a postcode) and is kept. A place name alone is checked
    from its first capitalised word, as the NER's places are ("vers Chamonix" as
    "Chamonix" after "vers"), and refused when it holds a medical word, is a code
    ("BPCO"), a country or region, or is a care site ("CHU de Nancy", "hélitreuillé vers
    Chamonix": the hospital's town stays, as for the rules). Once accepted it is kept
    whole: cut to its capitalised part it could outgrow a rule's "hameau du Puy" and leave
    "hameau du" behind.
    """
    if any(s < end and start < e for s, e in regions):
        return None
    # "→ Rappelée, orientée vers …": an arrow opens what was done, never an address; a
    # place right after one would have no location cue, so only a postal shape is kept.
    arrow = _ARROW.match(text, start, end)
    if arrow is not None:
        start = arrow.end()
        if not any(ch.isdigit() for ch in text[start:end]):
            return None
    # "aire de Beaune-Tailly de l'A6. Dissection aortique de type A": a span running on
    # into a sentence that speaks of medicine ends with its own sentence.
    for stop in _SENTENCE_END.finditer(text, start, end):
        if _is_medical_text(text[stop.end() : end]):
            end = stop.start()
            break
    value = text[start:end]
    words = _WORD.findall(value)
    if not words or any(lexicon.is_drug(w) for w in words):
        return None
    # "prise de sang NFS, INR le 4/12/2026 chez M.": a date gives no postal shape.
    if any(ch.isdigit() for ch in _DATE_INSIDE.sub("", value)):
        # "O2 2L, gaz du sang, …", "B12 1000 µg": a dose anywhere is a prescription.
        if _DOSE_INSIDE.search(value):
            return None
        # "oxygène 3 L. Sa …", "2 g/j": a number and its unit are a dose, not a house;
        # "Fisher 3 au scanner", "Glasgow 14": an eponym and its grade are a measure.
        # "examiné à 4h10": a clock time alone is no house number.
        if _CLOCK_ONLY.fullmatch(value.strip()):
            return None
        if _DOSE.match(value) or (
            (graded := _GRADED_EPONYM.match(value)) is not None
            and graded.group("eponym").lower() in lexicon.EPONYMS
        ):
            return None
        return start, end
    first = next((m for m in _WORD.finditer(text, start, end) if m.group()[0].isupper()), None)
    if first is None:
        return None
    place = first.start()
    value = text[place:end]
    words = _WORD.findall(value)
    if gazetteer.town_key(value) in _COUNTRIES:
        return None
    # "Fisher 3 au scanner", "Glasgow 14": an eponym or a scale alone is a measure.
    if len(words) == 1 and words[0].lower() in lexicon.EPONYMS:
        return None
    # "la pilule Optilova", "infiltration de Diprostène": a product's name.
    if len(words) == 1 and names.after_product_noun(text, place):
        return None
    if any(
        w.lower() in lexicon.MEDICAL_WORDS and w.lower() not in lexicon.PLACE_PARTICLES
        for w in words
    ):
        return None
    if len(words) == 1 and ((words[0].isupper() and len(words[0]) <= 5) or _mixed_case(words[0])):
        return None
    # "**Suspendre** l'azathioprine": a lone word opening a sentence is a verb or a heading
    # far more often than a place no list knows; there it must at least be a commune.
    if (
        len(words) == 1
        and _SENTENCE_OPENING.search(text, 0, place) is not None
        and gazetteer.town_key(value) not in gazetteer.commune_keys()
    ):
        return None
    # The gazetteer's own care-site test, so that the model and the rules agree on it.
    before, doctor, _ = gazetteer.cues(text, place, [])
    if gazetteer.is_care_site(text, place, end, before, doctor=doctor):
        return None
    return start, end


_DATE_INSIDE: Final = re.compile(r"(?<![\w/.])\d{1,2}[/.]\d{1,2}[/.]\d{2,4}(?![\w/])")

# Nothing but markup, quotes or a list mark since the start of the text, a line or a sentence.
_SENTENCE_OPENING: Final = re.compile(r"(?:^|[.!?:\n])[\s*_#>«\"'(\-\u2013\u2014\u2022]*$")


def _mixed_case(word: str) -> bool:
    return not word.isupper() and any(ch.isupper() for ch in word[1:])
