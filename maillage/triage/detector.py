"""Free-text red-flag detector: which emergency numbers a text calls for, and why.

The rules are data (`data/red_flags.json`, each with its source). Text is folded (lower case,
no accents) and cut into clauses; a match is set aside when a negation precedes it in its
clause ("pas de douleur thoracique") or when its clause places it in the past ("il y a dix
ans"). Suicide rules are never set aside by the past: a past attempt mentioned with a present
concern still warrants 3114. A match about someone else ("mon père a…") counts: they need help.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

RULES_FILE = Path(__file__).with_name("data") / "red_flags.json"
# Straight, curly and modifier apostrophes, grave and acute accents typed as apostrophes.
_APOSTROPHES = "'\u2019\u2018`\u00b4\u02bc"
# NFKD keeps these whole; French writes them in œil, cœur, sœur, œdème.
_LIGATURES = {"\u0153": "oe", "\u00e6": "ae"}

EMERGENCY, URGENT, ROUTINE = "emergency", "urgent", "routine"
_LEVEL_ORDER = {ROUTINE: 0, URGENT: 1, EMERGENCY: 2}
NUMBER_ORDER = ["15", "112", "114", "3114", "116 117"]

# Clause boundaries: punctuation, and the conjunctions that end a negation's reach.
# "et"/"and" end a negation's reach too: "je ne dors pas et j'ai mal à la poitrine" is an alarm.
_CLAUSE_BREAK = re.compile(
    r"[.!?;:,\n]|\b(?:mais|cependant|pourtant|par contre|sauf que|et|puis|alors|"
    r"but|however|although|though|and|then)\b"
)
# A negation cancels a match only when it governs it: the cue, then at most a few filler words
# ("pas de", "n'ai jamais eu de", "no", "don't have any"), then the match. "Je n'en peux plus,
# je veux mourir" is not negated: a new subject starts a new statement.
_NEGATION_CUES = {
    "pas",
    "aucun",
    "aucune",
    "sans",
    "ni",
    "jamais",
    "non",
    "absence",
    "nie",
    "plus",
    "no",
    "not",
    "without",
    "never",
    "none",
    "denies",
    "deny",
    "nor",
    "cannot",
    "dont",
    "doesnt",
    "didnt",
    "isnt",
    "arent",
    "wasnt",
    "havent",
    "hasnt",
    "hadnt",
    "wont",
}
_FILLERS = {
    "de",
    "d",
    "du",
    "des",
    "la",
    "le",
    "l",
    "les",
    "un",
    "une",
    "eu",
    "ete",
    "ressenti",
    "eprouve",
    "mal",
    "a",
    "au",
    "aux",
    "signe",
    "signes",
    "trace",
    "have",
    "has",
    "had",
    "any",
    "an",
    "the",
    "of",
    "feel",
    "felt",
    "got",
    "get",
    "sign",
    "signs",
    "experienced",
    "experience",
    "idee",
    "idees",
    "pensee",
    "pensees",
    "envie",
    "thoughts",
    "thought",
    "symptome",
    "symptomes",
    "symptoms",
}
_STATEMENT_START = {"je", "j", "il", "elle", "on", "i", "he", "she", "we", "nous", "ils", "elles"}
_INTENSIFIER_AFTER = re.compile(r"^\s*(?:comme (?:ca|celle|celui|cela)|like (?:this|that|it))\b")
_PAST = re.compile(
    r"\bil y a (?:\d+|un|une|deux|trois|quatre|cinq|six|sept|huit|neuf|dix|vingt|quelques"
    r"|plusieurs) (?:ans?|annees?|mois)\b|\bil y a (?:bien )?longtemps\b"
    r"|\bl ?an(?:nee)? (?:derniere?|passee?)\b|\ben (?:19|20)\d\d\b|\bautrefois\b"
    r"|\bdans le passe\b|\bquand j ?etais (?:petite?|enfant|jeune|ado)\b|\bantecedents? d"
    r"|\b(?:\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|twenty|a few|several|many)"
    r" (?:years?|months?) ago\b|\blast year\b"
    r"|\bin (?:19|20)\d\d\b|\bhistory of\b|\bwhen i was (?:a child|young|a kid)\b"
)
_THIRD_PERSON = re.compile(
    r"\b(?:mon|ma|mes|notre|nos) (?:pere|mere|fils|fille|mari|femme|epouse|compagne?|"
    r"enfants?|bebe|frere|soeur|voisine?|ami|amie|grand-?pere|grand-?mere|parents?|conjointe?)\b"
    r"|\b(?:il|elle|ils|elles)\b"
    r"|\bmy (?:father|mother|dad|mum|mom|son|daughter|husband|wife|partner|child|baby|brother|"
    r"sister|neighbour|neighbor|friend|grandfather|grandmother|parents?)\b|\b(?:he|she|they)\b"
)


@dataclass(frozen=True)
class Rule:
    id: str
    level: str
    category: str
    numbers: tuple[str, ...]
    patterns: tuple[re.Pattern[str], ...]
    requires: tuple[re.Pattern[str], ...]
    past_applies: bool
    source: str


@dataclass(frozen=True)
class Match:
    rule: str
    level: str
    category: str
    text: str
    start: int
    end: int
    negated: bool = False
    past: bool = False

    @property
    def active(self) -> bool:
        return not self.negated and not self.past


@dataclass(frozen=True)
class TriageResult:
    level: str
    numbers: list[str]
    matches: list[Match] = field(default_factory=list)
    about_someone_else: bool = False

    @property
    def active_matches(self) -> list[Match]:
        return [match for match in self.matches if match.active]

    def as_json(self, item_id: Any = None) -> dict[str, Any]:
        """The batch format: `{"id", "level", "numbers", "matches"}`."""
        return {
            "id": item_id,
            "level": self.level,
            "numbers": self.numbers,
            "matches": [match.text for match in self.active_matches],
        }


def fold(text: str) -> tuple[str, list[int]]:
    """Lower-case `text`, strip accents and fold apostrophes; map each folded char to its source.

    Returns the folded text and, for each of its characters, the index of the original one, so
    that matches can be quoted from what the person actually wrote.
    """
    folded: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(text):
        if char.isspace() and char != "\n":
            if folded and folded[-1] == " ":
                continue  # runs of spaces count as one: patterns use single spaces
            char = " "
        if char in _APOSTROPHES or char == "-":  # "douleur-thoracique", "d'en finir"
            folded.append(" ")
            origin.append(index)
            continue
        for part in _LIGATURES.get(char.lower(), unicodedata.normalize("NFKD", char.lower())):
            if unicodedata.combining(part):
                continue
            folded.append(part)
            origin.append(index)
    return "".join(folded), origin


def _compile(patterns: list[str]) -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(rf"\b(?:{pattern})\b") for pattern in patterns)


@lru_cache(maxsize=1)
def load_rules(path: Path = RULES_FILE) -> tuple[Rule, ...]:
    """Read and compile the rule set (cached: the file is read once per process)."""
    data = json.loads(path.read_text(encoding="utf-8"))
    rules = []
    for raw in data["rules"]:
        patterns = [*raw.get("fr", []), *raw.get("en", [])]
        rules.append(
            Rule(
                id=raw["id"],
                level=raw["level"],
                category=raw["category"],
                numbers=tuple(raw["numbers"]),
                patterns=_compile(patterns),
                requires=_compile(raw.get("requires", [])),
                past_applies=raw.get("past_applies", True),
                source=raw["source"],
            )
        )
    return tuple(rules)


def _clauses(folded: str) -> list[tuple[int, int]]:
    bounds, start = [], 0
    for found in _CLAUSE_BREAK.finditer(folded):
        bounds.append((start, found.start()))
        start = found.end()
    bounds.append((start, len(folded)))
    return [(a, b) for a, b in bounds if b > a]


def _negated(before: str, matched: str = "", after: str = "") -> bool:
    """Whether a negation governs the match: cue, a few fillers at most, then the match."""
    if matched.split(" ", 1)[0] in _STATEMENT_START or _INTENSIFIER_AFTER.match(after):
        return False
    words = re.findall(r"[a-z0-9]+", before)
    fillers = 0
    for index in range(len(words) - 1, -1, -1):
        word = words[index]
        previous = words[index - 1] if index else ""
        if word in _NEGATION_CUES or (word == "t" and previous.endswith("n")):
            return True  # "don't" folds to "don t"
        if word in _FILLERS and fillers < 3:
            fillers += 1
            continue
        if (
            word in {"n", "ne", "ai", "a", "avons", "avez", "ont", "en", "do", "does", "did"}
            and fillers < 4
        ):
            fillers += 1  # the other half of "n'ai pas", "n'a jamais", "does not"
            continue
        return False
    return False


def _requirement_met(rule: Rule, folded: str, clauses: list[tuple[int, int]]) -> bool:
    if not rule.requires:
        return True
    for pattern in rule.requires:
        for found in pattern.finditer(folded):
            start, _end = next((a, b) for a, b in clauses if a <= found.start() <= b)
            if not _negated(folded[start : found.start()]):
                return True
    return False


def _without_overlaps(matches: list[Match]) -> list[Match]:
    """Keep the longest of overlapping matches, so each phrase is quoted once."""
    kept: list[Match] = []
    for match in sorted(matches, key=lambda m: (-(m.end - m.start), -_LEVEL_ORDER[m.level])):
        if all(match.end <= other.start or match.start >= other.end for other in kept):
            kept.append(match)
    return kept


def detect(text: str) -> TriageResult:
    """Return the level, the numbers to show and the matched phrases for a free text."""
    folded, origin = fold(text)
    clauses = _clauses(folded)
    matches: list[Match] = []
    seen: set[tuple[str, int]] = set()
    for rule in load_rules():
        if not _requirement_met(rule, folded, clauses):
            continue
        for pattern in rule.patterns:
            for found in pattern.finditer(folded):
                if (rule.id, found.start()) in seen:
                    continue
                seen.add((rule.id, found.start()))
                clause_start, clause_end = next(
                    (a, b) for a, b in clauses if a <= found.start() < max(b, a + 1)
                )
                clause = folded[clause_start:clause_end]
                start, end = origin[found.start()], origin[found.end() - 1] + 1
                matches.append(
                    Match(
                        rule=rule.id,
                        level=rule.level,
                        category=rule.category,
                        text=text[start:end],
                        start=start,
                        end=end,
                        negated=_negated(
                            folded[clause_start : found.start()],
                            found.group(0),
                            folded[found.end() : clause_end],
                        ),
                        past=rule.past_applies and bool(_PAST.search(clause)),
                    )
                )
    matches = _without_overlaps(matches)
    active = [match for match in matches if match.active]
    level = max((match.level for match in active), key=_LEVEL_ORDER.__getitem__, default=ROUTINE)
    rules = {rule.id: rule for rule in load_rules()}
    wanted = {number for match in active for number in rules[match.rule].numbers}
    numbers = [number for number in NUMBER_ORDER if number in wanted]
    about_someone_else = bool(active) and bool(_THIRD_PERSON.search(folded))
    matches.sort(key=lambda match: match.start)
    return TriageResult(
        level=level, numbers=numbers, matches=matches, about_someone_else=about_someone_else
    )
