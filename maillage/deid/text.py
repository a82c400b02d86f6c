"""De-identify the free text of a case discussion before anyone else sees it.

``scrub(text)`` finds names, NIR, phone numbers, e-mail (and MSSanté) addresses, postal
addresses, exact dates, RPPS/ADELI/FINESS numbers and ages over 89, and replaces each
with a French placeholder. Medical content stays: eponyms ("maladie de Crohn"), drugs
and doses, lab values, durations and relative times, ages up to 89, scores.

The result is a first pass, not a guarantee: the author reviews it (``highlight_spans``)
before posting.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Final

from maillage.deid import engine, names
from maillage.deid.foreign_towns import COUNTRIES_AND_REGIONS, COUNTRY_ENDONYMS
from maillage.deid.patterns import Candidate

__all__ = [
    "KINDS",
    "PLACEHOLDERS",
    "Finding",
    "ScrubResult",
    "highlight_spans",
    "scrub",
    "scrubbed_segments",
]

#: What replaces each kind of finding. French on purpose: the placeholders become part
#: of the (French) clinical text that peers read, whatever their interface language.
PLACEHOLDERS: Final[Mapping[str, str]] = {
    "name": "[NOM]",
    "nir": "[NIR]",
    "phone": "[TÉLÉPHONE]",
    "email": "[E-MAIL]",
    "address": "[ADRESSE]",
    "date": "[DATE]",
    "rpps": "[RPPS]",
    "adeli": "[ADELI]",
    "finess": "[FINESS]",
    "age": "[ÂGE]",
}
KINDS: Final = tuple(PLACEHOLDERS)


@dataclass(frozen=True, slots=True)
class Finding:
    """A span of the original text that was removed: ``text[start:end]`` is a ``kind``."""

    start: int
    end: int
    kind: str


@dataclass(frozen=True, slots=True)
class ScrubResult:
    """The scrubbed text, and what was removed (offsets in the original text)."""

    text: str
    findings: tuple[Finding, ...]


_GLUED_LOWER: Final = re.compile(r"-[a-zàâäçéèêëîïôöùûü]{4,}(?![\w\-.@])")


def scrub(text: str) -> ScrubResult:
    """Replace identifying spans of ``text`` by placeholders. Safe to call from threads."""
    if not text.strip():
        return ScrubResult(text=text, findings=())
    candidates = engine.analyze(text)
    chosen = _resolve(candidates)
    regions = names.eponym_regions(text)
    found_names = [c for c in chosen if c.kind == "name"]
    propagated = [
        *names.propagate_names(text, found_names, regions),
        *names.adjacent_names(text, found_names),
    ]
    if propagated:
        chosen = _resolve([*chosen, *propagated])
    chosen = [_strip_edges(text, c) for c in chosen]
    # "B. Lobo-isthmectomie": a name glued by a hyphen to a lower-case word is a word.
    chosen = [
        c
        for c in chosen
        if not (c.kind == "name" and text[c.start].isupper() and _GLUED_LOWER.match(text, c.end))
    ]
    chosen = _merge_adjacent_addresses(text, _merge_adjacent_names(text, chosen))
    findings = tuple(Finding(c.start, c.end, c.kind) for c in chosen)
    return ScrubResult(text=_replace(text, findings), findings=findings)


#: Checked identifiers win over the looser kinds they overlap: a NIR's key must not be lost
#: to an address rule that took "45, Moulin de …" for a house number, nor a date of birth's
#: day and month to one that took "1944, ferme de …" for one (dates are found by checked
#: day/month patterns only).
_EXACT_KINDS: Final = frozenset({"nir", "email", "phone", "rpps", "adeli", "finess", "date"})


def _resolve(candidates: Iterable[Candidate]) -> list[Candidate]:
    """Keep non-overlapping candidates: identifiers, then the longest, then the best score.

    A looser candidate that overlaps a kept identifier at one edge is cut back to the part
    outside it.
    """
    pool = list(candidates)
    # A date inside a longer candidate is part of it ("11 rue du 8 Mai 1945, 54300 …"): it
    # wins only where it sticks out of one, as a birth year taken for a house number does.
    looser = [c for c in pool if c.kind not in _EXACT_KINDS]
    nested = [c for c in pool if c.kind == "date" and any(_inside(c, o) for o in looser)]
    kept = _choose([c for c in pool if c not in nested])
    # Unless that candidate is not kept (one holding a phone as well as the date is dropped
    # for the phone): then the date stands on its own, or it would be left in clear.
    orphans = [d for d in nested if not any(k.start <= d.start and d.end <= k.end for k in kept)]
    if orphans:
        kept = _choose([c for c in pool if c not in nested or c in orphans])
    return kept


def _choose(pool: list[Candidate]) -> list[Candidate]:
    ordered = sorted(
        pool,
        key=lambda c: (c.kind not in _EXACT_KINDS, -(c.end - c.start), -c.score, c.start),
    )
    kept: list[Candidate] = []
    for candidate in ordered:
        if candidate.kind not in _EXACT_KINDS:
            candidate = _cut_around(candidate, [k for k in kept if k.kind in _EXACT_KINDS])
        if candidate.end <= candidate.start:
            continue
        overlapping = [k for k in kept if k.start < candidate.end and candidate.start < k.end]
        if not overlapping:
            kept.append(candidate)
        elif candidate.kind == "address" and all(k.kind == "address" for k in overlapping):
            # Two rules read one address from two ends ("bat 4 cité des Aubépines" and "4
            # cité des Aubépines à Clichy-sous-Bois"): it is their union, unless the union
            # would reach another kind's finding.
            start, end = candidate.start, candidate.end
            while True:
                start = min(start, *(k.start for k in overlapping))
                end = max(end, *(k.end for k in overlapping))
                grown = [k for k in kept if k.start < end and start < k.end]
                if len(grown) == len(overlapping):
                    break
                overlapping = grown
            if any(k.kind != "address" for k in overlapping):
                continue
            kept = [k for k in kept if k not in overlapping]
            kept.append(Candidate(start, end, "address", max(k.score for k in overlapping)))
    return sorted(kept, key=lambda c: c.start)


def _inside(inner: Candidate, outer: Candidate) -> bool:
    """Whether `inner` lies within `outer`, which is longer."""
    longer = outer.end - outer.start > inner.end - inner.start
    return longer and outer.start <= inner.start and inner.end <= outer.end


_EDGE: Final = " ,;:\u00a0\n"


def _cut_around(candidate: Candidate, identifiers: list[Candidate]) -> Candidate:
    start, end = candidate.start, candidate.end
    for k in identifiers:
        if k.start <= start < k.end < end:
            start = k.end
        elif start < k.start < end <= k.end:
            end = k.start
    if (start, end) == (candidate.start, candidate.end):
        return candidate
    return Candidate(start, end, candidate.kind, candidate.score)


def _strip_edges(text: str, candidate: Candidate) -> Candidate:
    start, end = candidate.start, candidate.end
    while start < end and text[start] in _EDGE:
        start += 1
    while end > start and text[end - 1] in _EDGE:
        end -= 1
    if (start, end) == (candidate.start, candidate.end):
        return candidate
    return Candidate(start, end, candidate.kind, candidate.score)


_NAME_GAP: Final = re.compile(r"[ \u00a0]+")


def _merge_adjacent(
    text: str, chosen: list[Candidate], kind: str, gap: re.Pattern[str]
) -> list[Candidate]:
    """Findings of `kind` found apart with only `gap` between them become one."""
    merged: list[Candidate] = []
    for candidate in chosen:
        previous = merged[-1] if merged else None
        if (
            previous is not None
            and previous.kind == candidate.kind == kind
            and gap.fullmatch(text, previous.end, candidate.start)
        ):
            merged[-1] = Candidate(
                previous.start, candidate.end, kind, max(previous.score, candidate.score)
            )
        else:
            merged.append(candidate)
    return merged


def _merge_adjacent_names(text: str, chosen: list[Candidate]) -> list[Candidate]:
    """'Jeanne' + 'Moreau' found apart become one name, so one [NOM]."""
    return _merge_adjacent(text, chosen, "name", _NAME_GAP)


# "45 bis avenue Jean-Lolive à Pantin", "camping les Flots Bleus à Saint-Hilaire-de-Riez":
# a street or a place, "à", then its town is one address; so are a street and a postcode
# typed without a comma ("cité des Aubiers 33300 bordeaux").
_ADDRESS_GAP: Final = re.compile(r"[ \u00a0]+(?:(?:à|a|au)[ \u00a0]+)?")
# "Bergstraße 12, 6020 Innsbruck, Autriche", "1218 Le Grand-Saconnex (Suisse)": the country
# closing a postal address (one with a postcode) is its last line. A country alone stays
# (no address: HIPAA keeps the state level).
# A province or its code in brackets may stand between the town and the country
# ("22700 Jaca (Huesca), España", "18039 Ventimiglia (IM), Italia"); the country may be
# written in its own language.
_COUNTRY_AFTER: Final = re.compile(
    r"(?:[ \u00a0]*\([ \u00a0]*[A-ZÀ-Ý][\w'\u2019\- ]{0,30}\))?"
    r"(?:,[ \u00a0]*|[ \u00a0]*\([ \u00a0]*|[ \u00a0]+[\-\u2013\u2014][ \u00a0]+)"
    r"(?P<country>(?:"
    + "|".join(
        sorted(
            (re.escape(c) for c in COUNTRIES_AND_REGIONS | COUNTRY_ENDONYMS), key=len, reverse=True
        )
    )
    + r"))(?![\w\-])(?:[ \u00a0]*\))?",
    re.IGNORECASE,
)
_POSTCODE_IN: Final = re.compile(r"(?<![0-9])[0-9]{4,5}(?![0-9])")
# "appt 4 bat C résidence des Pins …": a flat and its number right before an address
# found are its first part.
_FLAT_BEFORE: Final = re.compile(
    r"(?<![\w])(?i:appt|apt|appartement|app)\.?[ \u00a0]*"
    r"(?:(?:n°[ \u00a0]*)?[0-9]{1,4}[A-Za-z]?,?[ \u00a0]+)?$"
)


def _merge_adjacent_addresses(text: str, chosen: list[Candidate]) -> list[Candidate]:
    """A street and its town found apart become one address; a postal address takes its country."""
    merged = _merge_adjacent(text, chosen, "address", _ADDRESS_GAP)
    result: list[Candidate] = []
    swallowed = -1
    for index, candidate in enumerate(merged):
        if index == swallowed:
            continue
        country = _COUNTRY_AFTER.match(text, candidate.end)
        following = merged[index + 1].start if index + 1 < len(merged) else len(text)
        if (
            candidate.kind == "address"
            and country is not None
            and index + 1 < len(merged)
            and merged[index + 1].kind != "address"
            and _POSTCODE_IN.search(text, candidate.start, candidate.end)
            and merged[index + 1].start >= country.start("country")
            and merged[index + 1].end <= country.end()
        ):
            # "Italia" taken for a name is the postal address's country.
            swallowed, following = index + 1, len(text)
            if index + 2 < len(merged):
                following = merged[index + 2].start
        if (
            candidate.kind == "address"
            and country is not None
            and country.end() <= following
            and _POSTCODE_IN.search(text, candidate.start, candidate.end)
        ):
            # A bracket opened before the country is closed after it, or not taken at all.
            end = (
                country.end()
                if country.group().count("(") == country.group().count(")")
                else (country.end("country"))
            )
            candidate = Candidate(candidate.start, end, "address", candidate.score)
        if candidate.kind == "address":
            flat = _FLAT_BEFORE.search(text, max(0, candidate.start - 30), candidate.start)
            previous_end = result[-1].end if result else 0
            if flat is not None and flat.start() >= previous_end:
                candidate = Candidate(flat.start(), candidate.end, "address", candidate.score)
        result.append(candidate)
    return result


def _replace(text: str, findings: Iterable[Finding]) -> str:
    parts: list[str] = []
    cursor = 0
    for finding in findings:
        parts.append(text[cursor : finding.start])
        parts.append(PLACEHOLDERS[finding.kind])
        cursor = finding.end
    parts.append(text[cursor:])
    return "".join(parts)


def highlight_spans(original: str, result: ScrubResult) -> list[tuple[str, str | None]]:
    """Split the original text into (segment, kind) pairs; kind is None for kept text.

    For the author's review page: what will be removed, and as what.
    """
    segments: list[tuple[str, str | None]] = []
    cursor = 0
    for finding in result.findings:
        if finding.start > cursor:
            segments.append((original[cursor : finding.start], None))
        segments.append((original[finding.start : finding.end], finding.kind))
        cursor = finding.end
    if cursor < len(original):
        segments.append((original[cursor:], None))
    return segments


def scrubbed_segments(original: str, result: ScrubResult) -> list[tuple[str, str | None]]:
    """Like :func:`highlight_spans`, with each removed span shown as its placeholder."""
    return [
        (PLACEHOLDERS[kind] if kind is not None else segment, kind)
        for segment, kind in highlight_spans(original, result)
    ]
