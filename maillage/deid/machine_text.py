"""Identifiers in text that came through machines: dictation, OCR, exports.

Speech-to-text spells numbers out ("zéro six douze trente-quatre …", "né le premier avril
quarante-sept", "quarante-sept avenue Jean Jaurès", "quatre-vingt-quatorze ans"), OCR reads
"0" as "O" and "1" as "l" inside digit groups ("02 35 O6 76 12", "17/O8/1955") and spaces
digits one by one ("RPPS 1 0 1 0 2 3 3 4 4 5 6"), exports write compact dates
("19730415"), HL7 fields ("PID|…|MERLE^ANTOINE|…") and English dates.

``find(text)`` reports these as ordinary candidates. Spoken phones, NIR, ages, years and
dates of birth, e-mail addresses and HL7 fields are matched here; for the rest a normalised
copy of the text is built (number words before a street type or a town become digits, OCR
letters inside digit groups become digits, digits typed one by one are joined) and the
finders of :mod:`.patterns` run on it, their spans mapped back to the text. Only spans
touching a normalised piece are kept: what the finders see in the text itself they report
themselves. A text with none of these shapes costs a few regular-expression scans.

Number words alone remove nothing: "deux comprimés", "trois fois par jour", "BNP à six
cent trente" stay; only a sequence that forms a phone, a NIR, a date, a house number or a
postcode (or an age over 89) is reported.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Final

from maillage.core.identifiers import is_valid_nir
from maillage.deid import gazetteer, lexicon, names, patterns
from maillage.deid.patterns import Candidate

__all__ = ["find", "spoken_number_atoms"]

# ---------------------------------------------------------------------------
# Number words
# ---------------------------------------------------------------------------

_UNIT_VALUES: Final = {
    "zéro": 0,
    "zero": 0,
    "un": 1,
    "une": 1,
    "deux": 2,
    "trois": 3,
    "quatre": 4,
    "cinq": 5,
    "six": 6,
    "sept": 7,
    "huit": 8,
    "neuf": 9,
    "dix": 10,
    "onze": 11,
    "douze": 12,
    "treize": 13,
    "quatorze": 14,
    "quinze": 15,
    "seize": 16,
    "vingt": 20,
    "vingts": 20,
    "trente": 30,
    "quarante": 40,
    "cinquante": 50,
    "soixante": 60,
}
_MULTIPLIERS: Final = {"cent": 100, "cents": 100, "mille": 1000, "mil": 1000}
_WORD: Final = "|".join(sorted((*_UNIT_VALUES, *_MULTIPLIERS), key=len, reverse=True))
# One written number: "six", "quatre-vingt-dix-neuf", "vingt-et-un".
_TOKEN: Final = re.compile(rf"(?<![\w\-])(?:{_WORD})(?:-(?:{_WORD}|et))*(?![\w\-])", re.IGNORECASE)
_ET_GAP: Final = re.compile(r"[ \u00a0]+et[ \u00a0]+", re.IGNORECASE)
_SPACE_GAP: Final = re.compile(r"[ \u00a0]+")
_TENS: Final = frozenset({"vingt", "trente", "quarante", "cinquante", "soixante"})
# Between the numbers of one spoken sequence: spaces, a comma (a pause).
_RUN_GAP: Final = re.compile(r"[ \u00a0]*,?[ \u00a0]+")


@dataclass(frozen=True, slots=True)
class Atom:
    """One spoken number: ``text[start:end]`` says ``value``."""

    start: int
    end: int
    value: int
    words: tuple[str, ...]

    @property
    def digits(self) -> str:
        return str(self.value)


def _value(words: Sequence[str]) -> int:
    total = 0
    current = 0
    previous = ""
    for word in words:
        if word == "et":
            continue
        if word in _MULTIPLIERS:
            if _MULTIPLIERS[word] == 1000:
                total += (current or 1) * 1000
                current = 0
            else:
                current = (current or 1) * 100
        elif word in ("vingt", "vingts") and previous == "quatre":
            current += 80 - 4
        else:
            current += _UNIT_VALUES[word]
        previous = word
    return total + current


def _words(piece: str) -> list[str]:
    return [w for w in re.split(r"[\s\-]+", piece.lower()) if w]


def spoken_number_atoms(text: str) -> list[Atom]:
    """The numbers spoken in ``text``, in order.

    Hyphenated words make one number ("soixante-dix-huit"), and so do words joined by "et"
    ("cinquante et un") or by "cent" and "mille" ("trois cent cinquante", "mille neuf cent
    cinquante", "cinquante-neuf mille"); other words separated by spaces are numbers of
    their own, as a dictated phone number says them ("zéro six douze").
    """
    atoms: list[list[int]] = []  # [start, end] of the atoms, values computed at the end
    for match in _TOKEN.finditer(text):
        words = _words(match.group())
        if words[0] == "et" or words[-1] == "et":
            continue
        if atoms:
            gap = text[atoms[-1][1] : match.start()]
            previous = _words(text[atoms[-1][0] : atoms[-1][1]])
            joined = False
            if _ET_GAP.fullmatch(gap):
                # "vingt et un", "soixante et onze"
                joined = previous[-1] in _TENS and words[0] in ("un", "une", "onze")
            elif _SPACE_GAP.fullmatch(gap):
                # "trois cent cinquante", "cinquante-neuf mille"
                joined = previous[-1] in _MULTIPLIERS or words[0] in _MULTIPLIERS
            if joined:
                atoms[-1][1] = match.end()
                continue
        atoms.append([match.start(), match.end()])
    result = []
    for start, end in atoms:
        spoken = tuple(_words(text[start:end]))
        result.append(Atom(start, end, _value(spoken), spoken))
    return result


def _runs(text: str, atoms: Sequence[Atom]) -> list[list[Atom]]:
    """Atoms said one after the other (spaces or a comma between them)."""
    runs: list[list[Atom]] = []
    for atom in atoms:
        if runs and _RUN_GAP.fullmatch(text[runs[-1][-1].end : atom.start]):
            runs[-1].append(atom)
        else:
            runs.append([atom])
    return runs


# ---------------------------------------------------------------------------
# Spoken phones and NIR
# ---------------------------------------------------------------------------


def _pairs(run: Sequence[Atom], i: int, count: int) -> int | None:
    """Index after ``count`` two-digit groups from ``run[i]``, consuming the most atoms."""
    if count == 0:
        return i
    best: int | None = None
    options: list[int] = []
    if i < len(run) and 10 <= run[i].value <= 99:
        options.append(i + 1)  # "douze", "quatre-vingt-dix-neuf"
    if i + 1 < len(run) and run[i].value <= 9 and run[i + 1].value <= 9:
        options.append(i + 2)  # "zéro trois"
    if (
        i + 1 < len(run)
        and run[i].value in (20, 30, 40, 50, 60, 80)
        and len(run[i].words) == 1 + (run[i].value == 80)
        and 1 <= run[i + 1].value <= 9
    ):
        options.append(i + 2)  # "soixante, deux": a pause inside the group
    for after in options:
        end = _pairs(run, after, count - 1)
        if end is not None and (best is None or end > best):
            best = end
    return best


_PLUS: Final = re.compile(r"\bplus[ \u00a0]+$", re.IGNORECASE)


def _spoken_phones(text: str, runs: Iterable[list[Atom]]) -> list[Candidate]:
    found: list[Candidate] = []
    for run in runs:
        i = 0
        while i < len(run):
            atom = run[i]
            start = atom.start
            end: int | None = None
            second_digit = i + 1 < len(run) and 1 <= run[i + 1].value <= 9
            if atom.value == 0 and second_digit:
                end = _pairs(run, i + 2, 4)  # "zéro six …"
            elif atom.value == 33 and second_digit:
                plus = _PLUS.search(text, max(0, atom.start - 8), atom.start)
                if plus is not None:
                    start = plus.start()  # "plus trente-trois six …"
                    end = _pairs(run, i + 2, 4)
            if end is None:
                i += 1
                continue
            found.append(Candidate(start, run[end - 1].end, "phone", 0.85))
            i = end
    return found


_KEY_WORD: Final = re.compile(
    r"[ \u00a0,]*(?:cl[ée]f?|cl[ée] de contr[ôo]le)[ \u00a0:,]*", re.IGNORECASE
)


def _spoken_nirs(text: str, atoms: Sequence[Atom]) -> list[Candidate]:
    found: list[Candidate] = []
    runs = _runs(text, atoms)
    for r, run in enumerate(runs):
        for i, first in enumerate(run):
            if first.value not in (1, 2, 3, 4, 7, 8):
                continue
            digits = ""
            j = i
            while j < len(run) and len(digits) < 13 and run[j].value <= 999:
                digits += run[j].digits
                j += 1
            if len(digits) != 13 or patterns._NIR.fullmatch(digits) is None:
                continue
            end = run[j - 1].end
            key = ""
            key_end = end
            after = _KEY_WORD.match(text, end)
            next_run = runs[r + 1] if r + 1 < len(runs) else []
            rest = run[j:] if j < len(run) else next_run
            if after and after.group().strip() and rest and rest[0].start == after.end():
                k = 0
                while k < len(rest) and len(key) < 2:
                    key += rest[k].digits
                    k += 1
                key_end = rest[k - 1].end
            if len(key) == 2 and is_valid_nir(digits + key):
                found.append(Candidate(first.start, key_end, "nir", 0.95))
            elif key or patterns._NIR_CONTEXT.search(patterns._before(text, first.start, 80)):
                found.append(Candidate(first.start, key_end if key else end, "nir", 0.7))
            break
    return found


# ---------------------------------------------------------------------------
# Spoken ages, years and dates of birth
# ---------------------------------------------------------------------------

_YEARS: Final = re.compile(r"[ \u00a0]+ans?\b", re.IGNORECASE)
_BORN_IN: Final = re.compile(r"\bn[ée]e?s?(?:\(e\))?[ \u00a0]+en[ \u00a0]+$", re.IGNORECASE)
_BIRTH_CUE: Final = re.compile(
    r"(?:\bn[ée]e?s?(?:\(e\))?[ \u00a0]+le|\bddn|\bdate de naissance)[ \u00a0:]*$",
    re.IGNORECASE,
)
# "né en vingt-huit semaines": a term, no year.
_TERM_AFTER: Final = re.compile(
    r"[ \u00a0]+(?:semaines?|sa\b|jours?|mois|heures?|minutes?)", re.IGNORECASE
)
_DATE_CUE: Final = re.compile(r"(?:\ble|\bdu|\bau)[ \u00a0]+$", re.IGNORECASE)
_MONTH: Final = "|".join(sorted((re.escape(m) for m in lexicon.MONTHS), key=len, reverse=True))
# A day (in digits or words) and a month, the year following in words.
_DAY_MONTH: Final = re.compile(
    rf"(?<![\w\-])(?P<d>premier|1er|[0-9]{{1,2}}|{patterns._DAY_WORD})[ \u00a0]+"
    rf"(?:{_MONTH})\.?[ \u00a0]+$",
    re.IGNORECASE,
)
# "vingt-cinq/dix/cinquante-trois": a date dictated with its slashes.
_SLASH: Final = re.compile(r"[ \u00a0]*/[ \u00a0]*")


def _spoken_dates_and_ages(text: str, atoms: Sequence[Atom]) -> list[Candidate]:
    found: list[Candidate] = []
    for i, atom in enumerate(atoms):
        years = _YEARS.match(text, atom.end)
        if (
            years is not None
            and 90 <= atom.value <= 130
            and not patterns._DURATION_BEFORE.search(patterns._before(text, atom.start, 20))
        ):
            found.append(Candidate(atom.start, years.end(), "age", 0.85))
        window = text[max(0, atom.start - 40) : atom.start]
        year_like = 10 <= atom.value <= 99 or 1900 <= atom.value <= 2099
        if year_like and _BORN_IN.search(window) and not _TERM_AFTER.match(text, atom.end):
            found.append(Candidate(atom.start, atom.end, "date", 0.8))
        day_month = _DAY_MONTH.search(window)
        if year_like and day_month is not None:
            start = atom.start - len(window) + day_month.start()
            cue = text[max(0, start - 30) : start]
            if 1900 <= atom.value <= 2099 or _BIRTH_CUE.search(cue) or _DATE_CUE.search(cue):
                found.append(Candidate(start, atom.end, "date", 0.85))
        if i + 2 < len(atoms):
            day, month, year = atom, atoms[i + 1], atoms[i + 2]
            gaps = (text[day.end : month.start], text[month.end : year.start])
            # "vingt-cinq/dix/cinquante-trois"; "né le vingt-cinq dix cinquante-trois"
            slashed = all(_SLASH.fullmatch(gap) for gap in gaps)
            spaced = all(_RUN_GAP.fullmatch(gap) for gap in gaps) and _BIRTH_CUE.search(window)
            if (
                (slashed or spaced)
                and 1 <= day.value <= 31
                and 1 <= month.value <= 12
                and (year.value <= 99 or 1900 <= year.value <= 2099)
            ):
                found.append(Candidate(day.start, year.end, "date", 0.85))
    return found


# "RPPS un zéro zéro zéro …": a professional's number read out after its keyword.
_ID_CUE: Final = re.compile(
    r"\b(?P<cue>rpps|adeli|finess)\b[^\w\n]{0,12}(?:num[ée]ro[ \u00a0]+)?$", re.IGNORECASE
)
_ID_LENGTHS: Final = {"rpps": 11, "adeli": 9, "finess": 9}


def _spoken_ids(text: str, runs: Iterable[list[Atom]]) -> list[Candidate]:
    found: list[Candidate] = []
    for run in runs:
        cue = _ID_CUE.search(text, max(0, run[0].start - 30), run[0].start)
        if cue is None:
            continue
        length = _ID_LENGTHS[cue["cue"].lower()]
        digits = ""
        for atom in run:
            digits += atom.digits
            if len(digits) >= length:
                if len(digits) == length:
                    found.append(Candidate(run[0].start, atom.end, cue["cue"].lower(), 0.8))
                break
    return found


# ---------------------------------------------------------------------------
# E-mail addresses spelt out
# ---------------------------------------------------------------------------

_SPELT_SEP: Final = r"(?:[ \u00a0]+(?:point|tiret(?:[ \u00a0]+(?:bas|du[ \u00a0]+bas|huit))?|underscore)[ \u00a0]+|[._\-])"
_SPELT_EMAIL: Final = re.compile(
    rf"(?<![\w.@])[a-z0-9]+(?:{_SPELT_SEP}[a-z0-9]+)*(?:[ \u00a0]+(?:arobase|arobas|arrobase)[ \u00a0]+|[ \u00a0]*@[ \u00a0]*)"
    r"[a-z0-9\-]+(?:(?:[ \u00a0]+point[ \u00a0]+|\.)[a-z0-9\-]+)*"
    r"(?:[ \u00a0]+point[ \u00a0]+|\.)(?:fr|com|net|org|eu|be|ch|info|re|mssante|gouv)(?![\w])",
    re.IGNORECASE,
)


# ---------------------------------------------------------------------------
# Dates as machines write them
# ---------------------------------------------------------------------------

# "19730415", "20261207083512", "20261214T083000Z": HL7, iCalendar, CSV exports.
_COMPACT_DATE: Final = re.compile(
    r"(?<![0-9A-Za-z])(?:19|20)[0-9]{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12][0-9]|3[01])"
    r"(?=(?:T?[0-9]{4}(?:[0-9]{2})?(?:[.,][0-9]+)?Z?)?(?![0-9A-Za-z]))"
)
# "1950.11.02", "2026/12/03": year first, dots or slashes.
_YEAR_FIRST: Final = re.compile(
    r"(?<![0-9.,/])(?:19|20)[0-9]{2}(?P<sep>[./])(?:0?[1-9]|1[0-2])(?P=sep)"
    r"(?:0?[1-9]|[12][0-9]|3[01])(?![0-9]|[.,/][0-9])"
)
_EN_MONTH: Final = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December|"
    r"Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)"
)
_EN_DATE: Final = re.compile(
    rf"\b(?:{_EN_MONTH}\.?[ \u00a0]+[0-9]{{1,2}}(?:st|nd|rd|th)?,?[ \u00a0]+(?:19|20)[0-9]{{2}}"
    rf"|[0-9]{{1,2}}(?:st|nd|rd|th)?[ \u00a0]+{_EN_MONTH}\.?,?[ \u00a0]+(?:19|20)[0-9]{{2}})(?![0-9])"
)
# "lun. 30 nov. 2026 08:14": a messaging app's time stamp, weekday and time with the date.
_STAMP: Final = re.compile(
    r"(?<![\w])(?:lun|mar|mer|jeu|ven|sam|dim)\.?[ \u00a0]+[0-9]{1,2}[ \u00a0]+"
    rf"(?:{_MONTH})\.?[ \u00a0]+(?:(?:19|20)[0-9]{{2}}[ \u00a0,]+)?"
    r"(?:à[ \u00a0]+)?[0-2]?[0-9][:h][0-5][0-9](?![0-9])",
    re.IGNORECASE,
)


# "[08/12] 07h30", "07/12 10:02": a day and month stamped with a time by a planning or a
# messaging app.
_STAMPED_DAY: Final = re.compile(
    r"(?<![\w/.,])(?P<d>[0-3][0-9])/(?P<m>[01][0-9])(?![\w/])(?=\]?[ \u00a0,]+(?:à[ \u00a0]+)?"
    r"[0-2]?[0-9][:h][0-5][0-9](?![0-9]))"
)
_VITALS_BEFORE: Final = re.compile(
    r"\b(?:ta|pa|tension|apgar|score|eva)\b[^0-9]{0,6}$", re.IGNORECASE
)


# "Sent: 11/30/2026 8:14 AM": month first, as English mail headers write it (day over 12).
_US_DATE: Final = re.compile(
    r"(?<![0-9/.\-])(?P<m>0?[1-9]|1[0-2])/(?P<d>1[3-9]|2[0-9]|3[01])/(?:19|20)[0-9]{2}(?![0-9]|/[0-9])"
)
# "DDN : 15041973": a date of birth typed without separators after its label.
_CUED_COMPACT_DATE: Final = re.compile(
    r"\b(?i:ddn|dob|n[ée]e?(?:\(e\))?[ \u00a0]+le|date[ \u00a0]+de[ \u00a0]+naissance)"
    r"[ \u00a0]*:?[ \u00a0]*(?P<date>(?:0[1-9]|[12][0-9]|3[01])(?:0[1-9]|1[0-2])(?:19|20)[0-9]{2})"
    r"(?![0-9])"
)


# "hospitalisé du deux au neuf décembre": the first day of a range said in words.
_RANGE_IN_WORDS: Final = re.compile(
    rf"\b(?i:du|entre le)[ \u00a0]+(?P<start>(?i:{patterns._DAY_WORD}))[ \u00a0]+(?i:au|et le)"
    rf"[ \u00a0]+(?P<end>(?i:{patterns._DAY_WORD})[ \u00a0]+(?i:{_MONTH}))(?![\w])"
)


def _machine_dates(text: str) -> list[Candidate]:
    found: list[Candidate] = [
        Candidate(m.start(), m.end(), "date", 0.8)
        for m in _STAMPED_DAY.finditer(text)
        if 1 <= int(m["d"]) <= 31
        and 1 <= int(m["m"]) <= 12
        and not _VITALS_BEFORE.search(text, max(0, m.start() - 14), m.start())
    ]
    for pattern in (_COMPACT_DATE, _YEAR_FIRST, _EN_DATE, _STAMP, _US_DATE):
        found.extend(Candidate(m.start(), m.end(), "date", 0.85) for m in pattern.finditer(text))
    found.extend(
        Candidate(m.start("date"), m.end("date"), "date", 0.85)
        for m in _CUED_COMPACT_DATE.finditer(text)
    )
    for m in _RANGE_IN_WORDS.finditer(text):
        found.append(Candidate(m.start("start"), m.end("start"), "date", 0.8))
        found.append(Candidate(m.start("end"), m.end("end"), "date", 0.8))
    return found


# ---------------------------------------------------------------------------
# HL7 v2 segments
# ---------------------------------------------------------------------------

_SEGMENT: Final = re.compile(
    r"^(?P<id>PID|NK1|PV1|IN1|GT1|OBR|ORC)\|(?P<body>[^\n]*)", re.MULTILINE
)
# Field numbers (1-based, after the segment id) that hold a person's name (XPN/XCN), an
# address (XAD) or a phone (XTN).
_HL7_NAMES: Final = {
    "PID": (5, 6, 9),
    "NK1": (2,),
    "PV1": (7, 8, 9, 17),
    "IN1": (16,),
    "GT1": (3,),
    "OBR": (16, 28),
    "ORC": (10, 11, 12),
}
# Segments whose name fields are XCN (an identifier first: "12345^DUPONT^JEAN").
_XCN_SEGMENTS: Final = frozenset({"PV1", "OBR", "ORC"})
_HL7_ADDRESSES: Final = {"PID": (11,), "NK1": (4,), "IN1": (19,), "GT1": (5,)}
_HL7_PHONES: Final = {"PID": (13, 14), "NK1": (5, 6), "GT1": (6, 7)}
_PLACEHOLDER: Final = re.compile(r"\[[A-ZÂÉÈÊÔÎÛÇ\- ]+\]")
_NAME_PART: Final = re.compile(r"[^\W\d_][\w'\- .]*")


def _hl7(text: str) -> list[Candidate]:
    found: list[Candidate] = []
    if "|" not in text:
        return found
    for segment in _SEGMENT.finditer(text):
        kind = segment["id"]
        offset = segment.start("body")
        fields: list[tuple[int, str]] = []
        for value in segment["body"].split("|"):
            fields.append((offset, value))
            offset += len(value) + 1
        for number, (start, value) in enumerate(fields, start=1):
            if not value.strip():
                continue
            if number in _HL7_NAMES.get(kind, ()):
                found.extend(_hl7_names(start, value, person_id=kind in _XCN_SEGMENTS))
            elif number in _HL7_ADDRESSES.get(kind, ()):
                for rep_start, rep in _repetitions(start, value):
                    stripped = rep.rstrip("^ ")
                    # A scrubbed text holds "[ADRESSE]" there: a placeholder is no address.
                    if any(c.isalpha() for c in _PLACEHOLDER.sub("", stripped)):
                        found.append(
                            Candidate(rep_start, rep_start + len(stripped), "address", 0.8)
                        )
            elif number in _HL7_PHONES.get(kind, ()):
                for rep_start, rep in _repetitions(start, value):
                    first = rep.split("^")[0].rstrip()
                    if sum(c.isdigit() for c in first) >= 8:
                        found.append(Candidate(rep_start, rep_start + len(first), "phone", 0.8))
    return found


def _repetitions(start: int, value: str) -> list[tuple[int, str]]:
    result = []
    for rep in value.split("~"):
        result.append((start, rep))
        start += len(rep) + 1
    return result


def _hl7_names(start: int, value: str, *, person_id: bool) -> list[Candidate]:
    """XPN "FAMILY^GIVEN^MIDDLE^…" or XCN "ID^FAMILY^GIVEN^…": family to given name."""
    found = []
    for rep_start, rep in _repetitions(start, value):
        parts = rep.split("^")
        first = 1 if person_id else 0
        pieces = []
        position = rep_start
        for index, part in enumerate(parts):
            if first <= index <= first + 2 and _NAME_PART.fullmatch(part.strip() or "-"):
                pieces.append((position, position + len(part)))
            position += len(part) + 1
        if pieces:
            found.append(Candidate(pieces[0][0], pieces[-1][1], "name", 0.8))
    return found


# ---------------------------------------------------------------------------
# The normalised copy
# ---------------------------------------------------------------------------

_OCR_DIGITS: Final = str.maketrans({"O": "0", "o": "0", "l": "1", "I": "1"})
# A digit group with an OCR letter: "O6", "1O", "8l", "3O".
_OCR_GROUP: Final = re.compile(
    r"(?<![\w])(?=[0-9OolI]*[0-9])(?=[0-9]*[OolI])[0-9OolI]{2,15}(?![\w])"
)
# "OO" after a digit group: "45 OO".
_OCR_ZEROS: Final = re.compile(r"(?<=[0-9][ .\-/])[O]{1,2}(?![\w])")
# A name with a digit read for a letter: "M0REL", "0LIVIER", "Ca1vet".
_OCR_NAME: Final = re.compile(
    rf"(?<![\w])(?=[{patterns._UPPER}{patterns._LOWER}01]*[{patterns._UPPER}{patterns._LOWER}]{{2}})"
    rf"(?=[{patterns._UPPER}01])[{patterns._UPPER}{patterns._LOWER}01]{{3,}}(?![\w])"
)
# Digits typed one by one: "1 0 1 0 2 …", "1 9 4 6".
_SINGLE_DIGITS: Final = re.compile(r"(?<![\w])[0-9](?:[ \u00a0][0-9](?![\w]))+")
# A run of digit groups holding a lone digit, as long as an identifier: "10 0 0 4 7 8 9 1 2 3".
_DIGIT_GROUPS: Final = re.compile(
    r"(?<![\w,.+])(?<!\+ )(?<!00 )[0-9]{1,5}(?:[ \u00a0][0-9]{1,5}){2,}(?![\w]|[,.][0-9])"
)
_SPACED_SLASH: Final = re.compile(
    r"(?<=[0-9OolI])(?:[ \u00a0]+/[ \u00a0]*|/[ \u00a0]+)(?=[0-9OolI])"
)
_DATE_GROUPS_BEFORE: Final = re.compile(r"/[ \u00a0]*[0-9OolI](?:[ \u00a0]?[0-9OolI])?$")
_DATE_GROUPS_AFTER: Final = re.compile(r"[0-9OolI](?:[ \u00a0]?[0-9OolI])?[ \u00a0]*/")
_HOUSE_NUMBER_AFTER: Final = re.compile(
    rf"(?:[ \u00a0]+(?i:bis|ter|quater))?,?[ \u00a0]+{patterns._STREET_TYPE}[ \u00a0]",
)
_TOWN_AFTER: Final = re.compile(
    rf"[ \u00a0]+(?P<town>(?:(?i:la|le|les|l')[ \u00a0]?)?[{patterns._UPPER}][\w'\-]*(?:[ \u00a0\-][\w'\-]+){{0,3}})"
)
# "M^me", "M^lle": a title's superscript; elsewhere the separator of HL7 components.
_HL7_HAT: Final = re.compile(r"(?<=\bM)(?P<title>\^)(?=mes?\b|lles?\b)|\^+")


@dataclass(frozen=True, slots=True)
class _Edit:
    start: int
    end: int
    replacement: str


class _Normalised:
    """A copy of the text with edits, and the way back to the text's offsets."""

    def __init__(self, text: str, edits: Iterable[_Edit]) -> None:
        pieces: list[str] = []
        self.starts: list[int] = []  # normalised start of each segment
        self.segments: list[tuple[int, int, int, int, bool]] = []
        position = 0
        normalised = 0
        for edit in sorted(edits, key=lambda e: e.start):
            if edit.start < position:
                continue
            if edit.start > position:
                self._add(normalised, text[position : edit.start], position, edit.start, False)
                pieces.append(text[position : edit.start])
                normalised += edit.start - position
            self._add(normalised, edit.replacement, edit.start, edit.end, True)
            pieces.append(edit.replacement)
            normalised += len(edit.replacement)
            position = edit.end
        self._add(normalised, text[position:], position, len(text), False)
        pieces.append(text[position:])
        self.text = "".join(pieces)

    def _add(self, at: int, piece: str, start: int, end: int, changed: bool) -> None:
        self.starts.append(at)
        self.segments.append((at, at + len(piece), start, end, changed))

    def changed(self, start: int, end: int) -> bool:
        return any(c and s < end and start < e for s, e, _o, _oe, c in self.segments)

    def back(self, start: int, end: int) -> tuple[int, int]:
        i = max(0, bisect.bisect_right(self.starts, start) - 1)
        n_start, _n_end, o_start, _o_end, changed = self.segments[i]
        original_start = o_start if changed else o_start + start - n_start
        j = max(0, bisect.bisect_left(self.starts, end) - 1)
        n_start, _n_end, o_start, o_end, changed = self.segments[j]
        original_end = o_end if changed else o_start + end - n_start
        return original_start, original_end


def _spoken_edits(text: str, atoms: Sequence[Atom]) -> list[_Edit]:
    """House numbers and postcodes said in words, as digits."""
    edits: list[_Edit] = []
    runs = _runs(text, atoms)
    for run in runs:
        last = run[-1]
        # "un hameau de …", "une cité de …": an article, no house number.
        article = last.words in (("un",), ("une",))
        if last.value <= 9999 and not article and _HOUSE_NUMBER_AFTER.match(text, last.end):
            edits.append(_Edit(last.start, last.end, last.digits))
        for size in (1, 2, 3, 4):
            if len(run) < size:
                continue
            code = "".join(a.digits for a in run[-size:])
            town = _TOWN_AFTER.match(text, last.end)
            if (
                re.fullmatch(patterns._POSTCODE, code)
                and town is not None
                and _is_town(town["town"])
            ):
                edits.append(_Edit(run[-size].start, last.end, code))
                break
    return edits


def _is_town(words: str) -> bool:
    """A commune's name opens ``words``: "Lille", "La Mulatière", "Chartres-de-Bretagne"."""
    keys = gazetteer.commune_keys()
    parts = re.split(r"[ \u00a0]+", words)
    return any(gazetteer.town_key(" ".join(parts[:n])) in keys for n in range(len(parts), 0, -1))


def _ocr_edits(text: str) -> list[_Edit]:
    edits: list[_Edit] = []
    for pattern in (_OCR_GROUP, _OCR_ZEROS):
        for m in pattern.finditer(text):
            group = m.group()
            # "75O12", "1OO03458792": a long group with one or two letters read for digits.
            if len(group) > 4 and sum(not c.isdigit() for c in group) > 2:
                continue
            edits.append(_Edit(m.start(), m.end(), group.translate(_OCR_DIGITS)))
    for m in _SPACED_SLASH.finditer(text):
        # Only inside a date: another slash within the digit groups before or after.
        before = _DATE_GROUPS_BEFORE.search(text, max(0, m.start() - 10), m.start())
        after = _DATE_GROUPS_AFTER.match(text, m.end())
        if before is not None or after is not None:
            edits.append(_Edit(m.start(), m.end(), "/"))
    grouped = [
        m
        for m in _DIGIT_GROUPS.finditer(text)
        if re.search(r"(?<![0-9])[0-9](?![0-9])", m.group())
        and sum(c.isdigit() for c in m.group()) in (9, 10, 11, 13, 15)
    ]
    for m in grouped:
        edits.append(_Edit(m.start(), m.end(), re.sub(r"[ \u00a0]", "", m.group())))
    for m in _SINGLE_DIGITS.finditer(text):
        if not any(g.start() <= m.start() < g.end() for g in grouped):
            edits.append(_Edit(m.start(), m.end(), re.sub(r"[ \u00a0]", "", m.group())))
    return edits


def _name_edits(text: str) -> list[_Edit]:
    edits = []
    for m in _OCR_NAME.finditer(text):
        word = m.group()
        if not any(c in "01" for c in word) or word.isdigit():
            continue
        if sum(c.isalpha() for c in word) < len(word) - 2:
            continue
        upper = word.replace("0", "").replace("1", "").isupper()
        fixed = word.replace("0", "O").replace("1", "I" if upper else "l")
        edits.append(_Edit(m.start(), m.end(), fixed))
    return edits


_FIRST_NAME_BEFORE: Final = re.compile(
    rf"(?P<first>[{patterns._UPPER}0][{patterns._UPPER}{patterns._LOWER}01\-]+)[ \u00a0]+$"
)
_NORMALISED_FINDERS: Final = (
    patterns.find_phones,
    patterns.find_nirs,
    patterns.find_health_professional_ids,
    patterns.find_dates,
    patterns.find_addresses,
    patterns.find_ages,
)
# Cheap tests that a text may hold anything this module normalises.
_MAY_NEED_COPY: Final = re.compile(
    r"[0-9][ \u00a0][0-9](?![0-9])|[0-9][OolI]|[OolI][0-9]|[0-9][ \u00a0.\-/]O|\^| /|/ "
)


def find(text: str) -> list[Candidate]:
    """Identifiers spoken in words, read by OCR or written by machines (see the module)."""
    found: list[Candidate] = []
    atoms = spoken_number_atoms(text)
    if atoms:
        nirs = _spoken_nirs(text, atoms)
        found.extend(nirs)
        found.extend(
            phone
            for phone in _spoken_phones(text, _runs(text, atoms))
            if all(phone.end <= nir.start or nir.end <= phone.start for nir in nirs)
        )
        found.extend(_spoken_dates_and_ages(text, atoms))
        found.extend(_spoken_ids(text, _runs(text, atoms)))
    found.extend(Candidate(m.start(), m.end(), "email", 0.85) for m in _SPELT_EMAIL.finditer(text))
    found.extend(_machine_dates(text))
    found.extend(_hl7(text))
    edits = _spoken_edits(text, atoms) if atoms else []
    if _MAY_NEED_COPY.search(text):
        edits.extend(_ocr_edits(text))
    if "^" in text:
        edits.extend(
            _Edit(m.start(), m.end(), "" if m["title"] else " ") for m in _HL7_HAT.finditer(text)
        )
    name_edits = _name_edits(text) if re.search(r"[^\W\d][01]|[01][^\W\d]", text) else []
    if not edits and not name_edits:
        return list(dict.fromkeys(found))
    copy = _Normalised(text, [*edits, *name_edits])
    candidates: list[Candidate] = []
    if edits:
        for finder in _NORMALISED_FINDERS:
            candidates.extend(finder(copy.text))
    if name_edits:
        candidates.extend(c for c in names.find_rule_names(copy.text) if c.kind == "name")
        # "M0REL", "0LIVIER": a known name once its digits are read as letters.
        for e in name_edits:
            if len(e.replacement) >= 4 and names._is_known_name(e.replacement):
                # "NATHALIE M0REL": the first name before it goes with it.
                start = e.start
                first = _FIRST_NAME_BEFORE.search(text, max(0, e.start - 30), e.start)
                if first is not None and names._is_first_name(
                    names._key(first["first"].replace("0", "O").replace("1", "I"))
                ):
                    start = first.start()
                found.append(Candidate(start, e.end, "name", 0.7))
    for c in candidates:
        if copy.changed(c.start, c.end):
            start, end = copy.back(c.start, c.end)
            if end > start:
                found.append(Candidate(start, end, c.kind, c.score))
    return list(dict.fromkeys(found))
