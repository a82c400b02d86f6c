"""What a post is checked for before it is published.

Personal data (the de-identification engine), red flags (the triage detector), promotion and
replies that read like an individual diagnosis (rules as data, `data/screening.json`). The
checks only describe the text; the services decide what to do with them.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from maillage.deid.text import PLACEHOLDERS, Finding, scrub
from maillage.triage.detector import EMERGENCY, URGENT, detect

RULES_FILE = Path(__file__).with_name("data") / "screening.json"
# What identifies someone in a patient forum. Dates and ages are how patients tell their story
# ("opérée le 3 mars"): warning about them would teach people to ignore the warning.
PERSONAL_KINDS = frozenset({"name", "nir", "phone", "email", "address"})
SUICIDE = "suicide"
# Patients write "Recette sans sucre ?" or "Colibri a raison": a lone capitalised word is not a
# name worth a warning. A full name (two words or more) or a name after a title is.
_TITLE_BEFORE = re.compile(
    r"(?:\b(?:m|mme|mlle|dr|pr|me|monsieur|madame|mademoiselle|docteur|professeur)\.?\s+)$",
    re.IGNORECASE,
)


# A town alone ("je vis à Nancy", "en vacances à Lourdes") is how people talk in a forum; an
# address is one with a number, a postcode or a street.
_STREET = re.compile(
    r"\b(?:rue|avenue|av|bd|boulevard|chemin|route|allée|allee|impasse|place|quai|cours|"
    r"lieu-dit|hameau|résidence|residence|lotissement|chez)\b",
    re.IGNORECASE,
)


def _identifies(text: str, finding: Finding) -> bool:
    span = text[finding.start : finding.end]
    if finding.kind == "address":
        return any(char.isdigit() for char in span) or bool(_STREET.search(span))
    if finding.kind != "name":
        return finding.kind in PERSONAL_KINDS
    words = span.split()
    return len(words) >= 2 or bool(
        _TITLE_BEFORE.search(text[max(0, finding.start - 20) : finding.start])
    )


@dataclass(frozen=True)
class Screening:
    personal: tuple[Finding, ...] = ()
    level: str = "routine"
    numbers: tuple[str, ...] = ()
    suicide_risk: bool = False
    promotion: tuple[str, ...] = ()  # ids of the promotion rules that matched
    diagnosis: bool = False
    reasons: list[str] = field(default_factory=list)

    @property
    def risk(self) -> int:
        if self.level == EMERGENCY or self.suicide_risk:
            return 3
        if self.level == URGENT:
            return 2
        return 1 if self.promotion or self.personal else 0


@dataclass(frozen=True)
class _Rules:
    promotion: tuple[tuple[str, re.Pattern[str]], ...]
    # Rules whose patterns must all match (a price alone, or a link alone, is no advert).
    promotion_together: tuple[tuple[str, tuple[re.Pattern[str], ...]], ...]
    diagnosis: tuple[re.Pattern[str], ...]


@cache
def _rules() -> _Rules:
    data = json.loads(RULES_FILE.read_text(encoding="utf-8"))
    return _Rules(
        promotion=tuple(
            (rule["id"], re.compile(rule["pattern"], re.IGNORECASE)) for rule in data["promotion"]
        ),
        promotion_together=tuple(
            (rule["id"], tuple(re.compile(p, re.IGNORECASE) for p in rule["patterns"]))
            for rule in data["promotion_together"]
        ),
        diagnosis=tuple(re.compile(rule["pattern"], re.IGNORECASE) for rule in data["diagnosis"]),
    )


def screen(text: str) -> Screening:
    rules = _rules()
    personal = tuple(f for f in scrub(text).findings if _identifies(text, f))
    triage = detect(text)
    suicide = any(m.category == SUICIDE for m in triage.active_matches)
    promotion = tuple(rule_id for rule_id, pattern in rules.promotion if pattern.search(text))
    promotion += tuple(
        rule_id
        for rule_id, patterns in rules.promotion_together
        if all(pattern.search(text) for pattern in patterns)
    )
    diagnosis = any(pattern.search(text) for pattern in rules.diagnosis)
    reasons = [
        *(["suicide"] if suicide else []),
        *([triage.level] if triage.level in (EMERGENCY, URGENT) else []),
        *(["promotion"] if promotion else []),
        *(["personal"] if personal else []),
    ]
    return Screening(
        personal=personal,
        level=triage.level,
        numbers=tuple(triage.numbers),
        suicide_risk=suicide,
        promotion=promotion,
        diagnosis=diagnosis,
        reasons=reasons,
    )


def without_personal_data(text: str, findings: tuple[Finding, ...]) -> str:
    """The text with each personal detail replaced by what it was ("[TÉLÉPHONE]")."""
    parts: list[str] = []
    position = 0
    for finding in sorted(findings, key=lambda f: f.start):
        if finding.start < position:
            continue
        parts += [text[position : finding.start], PLACEHOLDERS[finding.kind]]
        position = finding.end
    parts.append(text[position:])
    return "".join(parts)
