"""The communication-rules linter of doctors' public profiles (REGULATION.md §4.3, L01-L17).

Rules live in ``data/communication_rules.json``: each with its legal source and an
explanation in French and English. Text rules (L03-L12, L16, L17) are patterns over the
presentation text; structural rules (L01, L02, L13, L14, L15) are checked by
:func:`lint_profile` on plain profile values, and their patterns catch a text that breaks
them in words ("tarifs sur demande", "profil sponsorisé"). Patterns run on folded text
whose misspelt trigger words are mended; proximity patterns never bridge a negation, and a
negation before a match silences the rules it denies. A second, learned tier
(``learned.py``) adds warnings where a sentence resembles known violations. Everything here
is pure: no query, so the profile service can run it on every save and the batch command on
any text.

The findings flag text for the doctor's review; they cannot certify compliance.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Final, Literal

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import translation
from django.utils.translation import get_language, gettext

from maillage.accounts.specialties import Specialty
from maillage.core.identifiers import validate_rpps
from maillage.directory.learned import suspicions

__all__ = [
    "RULES_FILE",
    "RULE_IDS",
    "Finding",
    "RuleInfo",
    "Severity",
    "get_rule",
    "lint_profile",
    "lint_text",
    "mentions_emergency_numbers",
    "rules_version",
]

RULES_FILE: Final = Path(__file__).with_name("data") / "communication_rules.json"

Severity = Literal["error", "warning"]
RULE_IDS: Final = tuple(f"L{n:02d}" for n in range(1, 18))


@dataclass(frozen=True, slots=True)
class Finding:
    """A rule that ``text[start:end]`` (or, for a profile rule, ``field``) may break."""

    rule: str
    severity: Severity
    start: int
    end: int
    message: str
    field: str | None = None


@dataclass(frozen=True, slots=True)
class RuleInfo:
    """What the profile page shows about a rule, in the active language."""

    id: str
    severity: Severity
    title: str
    source: str
    explanation: str


# ---------------------------------------------------------------------------
# Folding: one character for one, so that match offsets are offsets in the original text
# ---------------------------------------------------------------------------

_SPECIAL_CHARS: Final[Mapping[str, str]] = {
    "\u2019": "'",
    "\u2018": "'",
    "\u02bc": "'",
    "\u00b4": "'",
    "`": "'",
    "\u201c": '"',
    "\u201d": '"',
    "\u201e": '"',
    "\u2010": "-",
    "\u2011": "-",
    "\u2012": "-",
    "\u2013": "-",
    "\u2014": "-",
    "\u2015": "-",
    "\u2212": "-",
    "\u0152": "\u0153",  # Œ: patterns spell the ligature as (?:oe|œ)
}


def _fold_char(char: str) -> str:
    special = _SPECIAL_CHARS.get(char)
    if special is not None:
        return special
    if char.isspace():
        return " "
    base = unicodedata.normalize("NFD", char)[0]
    return base if unicodedata.category(base) != "Mn" else char


def _fold_cased(text: str) -> str:
    """Strip accents and make quotes, dashes and spaces ASCII, keeping the length."""
    return "".join(_fold_char(char) for char in text)


def _fold(text: str) -> str:
    cased = _fold_cased(text)
    # str.lower() may lengthen a few characters (İ): those keep their case.
    return "".join(low if len(low := char.lower()) == 1 else char for char in cased)


# ---------------------------------------------------------------------------
# Loading the rules
# ---------------------------------------------------------------------------

_RAW_PREFIX: Final = "(?#raw)"
_FLAGS: Final = re.UNICODE


def _compile(pattern: str) -> re.Pattern[str]:
    # Patterns are written without accents; folding them too lets a contributor paste "é".
    source = _fold_cased(pattern)
    if source.startswith(_RAW_PREFIX):
        return re.compile(source, _FLAGS)
    # Word boundaries, except where the pattern itself starts or ends on punctuation ("qu'").
    return re.compile(rf"(?:(?<!\w)|(?=\W))(?:{source})(?:(?<=\W)|(?!\w))", _FLAGS)


@dataclass(frozen=True)
class _DeidConfig:
    kinds: frozenset[str]
    professional_title: re.Pattern[str]
    place_word: re.Pattern[str]
    civility: re.Pattern[str]
    patient_cue: re.Pattern[str]
    colleague_cue: re.Pattern[str]
    self_intro: re.Pattern[str]
    profession_after: re.Pattern[str]
    birth_context: re.Pattern[str]


@dataclass(frozen=True)
class _Rule:
    id: str
    kind: Literal["text", "profile"]
    severity: Severity
    title: Mapping[str, str]
    source: str
    explanation: Mapping[str, str]
    patterns: tuple[re.Pattern[str], ...]
    cased_patterns: tuple[re.Pattern[str], ...]
    unless: tuple[re.Pattern[str], ...]
    unless_sentence: tuple[re.Pattern[str], ...]
    unless_text: tuple[re.Pattern[str], ...]
    specialist_patterns: tuple[re.Pattern[str], ...]
    messages: Mapping[str, Mapping[str, str]]
    deid: _DeidConfig | None
    negatable: bool = False


@dataclass(frozen=True)
class _RuleSet:
    version: str
    rules: tuple[_Rule, ...]
    by_id: Mapping[str, _Rule]
    specialty_aliases: tuple[str, ...]
    typo_words: Mapping[int, tuple[str, ...]]
    protected_words: frozenset[str]


def _before(group: str) -> re.Pattern[str]:
    return re.compile(rf"(?<!\w){group}\s*$")


def _deid_config(raw: Mapping[str, Any]) -> _DeidConfig:
    return _DeidConfig(
        kinds=frozenset(raw["kinds"]),
        professional_title=_before(raw["professional_titles"]),
        place_word=_before(raw["place_words"]),
        civility=_before(raw["civility"]),
        patient_cue=re.compile(rf"(?<!\w){raw['patient_cues']}(?!\w)"),
        colleague_cue=re.compile(rf"(?<!\w){raw['colleague_cues']}(?!\w)"),
        self_intro=_before(raw["self_intro"]),
        profession_after=re.compile(rf"^{raw['profession_after']}"),
        birth_context=re.compile(rf"(?<!\w){raw['birth_context']}(?!\w)"),
    )


def _specialty_aliases(extra: Iterable[str]) -> tuple[str, ...]:
    aliases = {_fold(alias) for alias in extra}
    for value, label in Specialty.choices:
        aliases.add(_fold(value.replace("-", " ")))
        # French labels whatever the active language: profiles are written in French.
        with translation.override("fr"):
            folded = _fold(str(label))
        aliases.add(folded)
        aliases.update(part.strip() for part in folded.split(",") if part.strip())
    # Longest first, so "medecine generale" is tried before a shorter alias.
    return tuple(sorted(aliases, key=len, reverse=True))


# Between the two halves of a proximity pattern: up to N words of the same clause (a comma
# or a colon may pass, a full stop or a semicolon may not), none of them a negation: "ce profil
# n'est pas sponsorisé" is no sponsored profile.
_GAP_WORD: Final = (
    r"(?!(?:ne|n'|pas|aucune?|jamais|non|ni|sans|not|no|never|nor|without)(?![a-z]))[^\s.!?;:]+"
)


def _near(raw: Mapping[str, Any]) -> str:
    """'a' then 'b' (or, with "any_order", 'b' then 'a') at most 'within' words apart."""
    first, second, within = raw["a"], raw["b"], int(raw.get("within", 4))
    gap = rf"(?:[\s,:]+{_GAP_WORD}){{0,{within}}}?[\s,:]+"
    pattern = f"(?:{first}){gap}(?:{second})"
    if raw.get("any_order"):
        pattern = f"{pattern}|(?:{second}){gap}(?:{first})"
    return pattern


def _rule_patterns(raw: Mapping[str, Any]) -> tuple[re.Pattern[str], ...]:
    patterns = raw.get("patterns", {})
    sources = [*patterns.get("fr", ()), *patterns.get("en", ())]
    sources.extend(_near(near) for near in raw.get("near", ()))
    return tuple(_compile(p) for p in sources)


def _typo_words(words: Iterable[str]) -> dict[int, tuple[str, ...]]:
    by_length: dict[int, set[str]] = {}
    for word in words:
        folded = _fold(word)
        by_length.setdefault(len(folded), set()).add(folded)
    return {length: tuple(sorted(group)) for length, group in by_length.items()}


@cache
def _load() -> _RuleSet:
    data = json.loads(RULES_FILE.read_text(encoding="utf-8"))
    rules: list[_Rule] = []
    aliases: list[str] = []
    for raw in data["rules"]:
        aliases.extend(raw.get("specialty_aliases", ()))
        rules.append(
            _Rule(
                id=raw["id"],
                kind=raw["kind"],
                severity=raw["severity"],
                title={"fr": raw["title_fr"], "en": raw["title_en"]},
                source=raw["source"],
                explanation={"fr": raw["explanation_fr"], "en": raw["explanation_en"]},
                patterns=_rule_patterns(raw),
                cased_patterns=tuple(_compile(p) for p in raw.get("patterns_cased", ())),
                unless=tuple(_compile(p) for p in raw.get("unless", ())),
                unless_sentence=tuple(
                    re.compile(_fold_cased(p)) for p in raw.get("unless_sentence", ())
                ),
                unless_text=tuple(re.compile(_fold_cased(p)) for p in raw.get("unless_text", ())),
                specialist_patterns=tuple(_compile(p) for p in raw.get("specialist_patterns", ())),
                messages=raw.get("messages", {}),
                deid=_deid_config(raw["deid"]) if "deid" in raw else None,
                negatable=bool(raw.get("negatable", False)),
            )
        )
    return _RuleSet(
        version=data["version"],
        rules=tuple(rules),
        by_id={rule.id: rule for rule in rules},
        specialty_aliases=_specialty_aliases(aliases),
        typo_words=_typo_words(data.get("typo_tolerant_words", ())),
        protected_words=frozenset(_fold(w) for w in data.get("typo_protected_words", ())),
    )


def _language() -> str:
    # French is the product's language: anything that is not English reads French.
    return "en" if (get_language() or "fr").lower().startswith("en") else "fr"


def rules_version() -> str:
    """The date of the rules file, to store next to each lint result."""
    return _load().version


def get_rule(rule_id: str) -> RuleInfo:
    """Title, source and explanation of one rule in the active language.

    Raises:
        KeyError: if no rule has this id.
    """
    rule = _load().by_id[rule_id]
    lang = _language()
    return RuleInfo(
        id=rule.id,
        severity=rule.severity,
        title=rule.title[lang],
        source=rule.source,
        explanation=rule.explanation[lang],
    )


# ---------------------------------------------------------------------------
# Text rules
# ---------------------------------------------------------------------------

# A sentence ends at . ! ? followed by a space (not in "4.5" or "www.x.fr") or at a new line.
_SENTENCE: Final = re.compile(r"(?:[^.!?\n]|[.!?](?=\S))+(?:[.!?]+|\n|$)")
_WORD: Final = re.compile(r"[^\W\d_]+")
_SHOUTED_NEIGHBOUR: Final = re.compile(r"[A-Z]{2,}")


@dataclass(frozen=True)
class _Texts:
    """The text as typed, folded (same offsets), and folded with its typos mended.

    Patterns run on ``text``, whose offsets ``to_original`` maps back to the typed text:
    mending "garentie" keeps its length, mending "meileur" does not.
    """

    original: str
    folded: str
    cased: str
    text: str
    to_original: tuple[int, ...]
    to_text: tuple[int, ...]
    sentences: tuple[tuple[int, int], ...]

    def sentence_span(self, start: int) -> tuple[int, int]:
        for s_start, s_end in self.sentences:
            if s_start <= start < s_end:
                return s_start, s_end
        return start, start

    def sentence_of(self, start: int, end: int) -> str:
        s_start, s_end = self.sentence_span(start)
        if s_start == s_end:
            return self.text[start:end]
        return self.text[s_start : max(s_end, end)]

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        return self.to_original[start], self.to_original[end]


_TYPO_CANDIDATE: Final = re.compile(r"[a-z]{7,}")


def _one_edit(word: str, other: str) -> bool:
    """One substitution, adjacent swap, missing or extra letter (and the same first letter)."""
    if word[0] != other[0] or word == other:
        return False
    if len(word) == len(other):
        diff = [i for i, (a, b) in enumerate(zip(word, other, strict=True)) if a != b]
        if len(diff) == 1:
            return True
        return (
            len(diff) == 2
            and diff[1] == diff[0] + 1
            and word[diff[0]] == other[diff[1]]
            and word[diff[1]] == other[diff[0]]
        )
    short, long_ = (word, other) if len(word) < len(other) else (other, word)
    if len(long_) - len(short) != 1:
        return False
    return any(long_[:i] + long_[i + 1 :] == short for i in range(1, len(long_)))


def _mend(word: str, rules: _RuleSet) -> str | None:
    if word in rules.protected_words or word in rules.typo_words.get(len(word), ()):
        return None
    found = {
        other
        for length in (len(word) - 1, len(word), len(word) + 1)
        for other in rules.typo_words.get(length, ())
        if _one_edit(word, other)
    }
    return found.pop() if len(found) == 1 else None


def _mended(folded: str) -> tuple[str, tuple[int, ...], tuple[int, ...]]:
    """Mend the misspelt words of the rules' lexicon; keep the maps between both offsets."""
    rules = _load()
    parts: list[str] = []
    to_original: list[int] = []
    last = 0
    for match in _TYPO_CANDIDATE.finditer(folded):
        mended = _mend(match.group(), rules)
        if mended is None:
            continue
        start, end = match.span()
        parts.append(folded[last:start])
        to_original.extend(range(last, start))
        parts.append(mended)
        to_original.extend(start + min(i, end - start - 1) for i in range(len(mended)))
        last = end
    parts.append(folded[last:])
    to_original.extend(range(last, len(folded) + 1))
    text = "".join(parts)
    if text == folded:
        identity = tuple(range(len(folded) + 1))
        return folded, identity, identity
    # The inverse map: each folded offset to the first mended offset that maps onto it or past.
    inverse: list[int] = []
    position = 0
    for original in range(len(folded) + 1):
        while position < len(text) and to_original[position] < original:
            position += 1
        inverse.append(position)
    return text, tuple(to_original), tuple(inverse)


def _texts(text: str) -> _Texts:
    folded = _fold(text)
    mended, to_original, to_text = _mended(folded)
    return _Texts(
        original=text,
        folded=folded,
        cased=_fold_cased(text),
        text=mended,
        to_original=to_original,
        to_text=to_text,
        sentences=tuple(m.span() for m in _SENTENCE.finditer(mended)),
    )


def lint_text(text: str, *, own_names: Sequence[str] = (), learned: bool = True) -> list[Finding]:
    """Check a profile's free text against the text rules; findings are sorted by offset.

    Profile rules with patterns (a text can say "profil sponsorisé" or "tarifs sur demande")
    are checked too. ``own_names`` are the doctor's own names: a profile naming its author
    identifies no patient (L11). With ``learned`` (the default), the learned tier
    (``learned.py``) adds a warning on each sentence that resembles the corpus's violations
    of a rule no pattern found there; ``learned=False`` runs the patterns alone.
    """
    if not text.strip():
        return []
    texts = _texts(text)
    lang = _language()
    findings: list[Finding] = []
    for rule in _load().rules:
        spans = [texts.original_span(start, end) for start, end in _rule_spans(rule, texts)]
        if rule.deid is not None:
            spans.extend(_patient_spans(rule.deid, texts, own_names))
        findings.extend(
            Finding(rule.id, rule.severity, start, end, rule.explanation[lang])
            for start, end in _merge(spans)
        )
    if learned:
        findings.extend(_learned_findings(text, findings, lang))
    return sorted(findings, key=lambda f: (f.start, f.end, f.rule))


def _learned_findings(text: str, found: Sequence[Finding], lang: str) -> list[Finding]:
    """Warnings of the learned tier, on sentences where no pattern found the same rule."""
    by_id = _load().by_id
    extra = []
    for suspicion in suspicions(text):
        if any(
            f.rule == suspicion.rule and f.start < suspicion.end and suspicion.start < f.end
            for f in found
        ):
            continue
        rule = by_id[suspicion.rule]
        message = gettext(
            "Cette phrase ressemble à des formulations qui enfreignent la règle « %(title)s » : "
            "relisez-la. Ce n'est qu'un soupçon, à ignorer si elle est conforme. %(explanation)s"
        ) % {"title": rule.title[lang], "explanation": rule.explanation[lang]}
        extra.append(Finding(rule.id, "warning", suspicion.start, suspicion.end, message))
    return extra


# A negation shortly before a match, in the same clause, turns a claim into its denial
# ("aucun traitement n'est efficace à 100 %", "this page is not sponsored").
_NEGATION: Final = re.compile(
    r"(?<!\w)(?:n'|(?:ne|aucune?|jamais|ni|pas|non|nul|nulle|rien|nullement|no|not|never|nor"
    r"|nothing|none)(?![\w-]))|n't(?!\w)"
)
# Imperatives that urge rather than deny: "n'hésitez pas à laisser un avis".
_URGING: Final = re.compile(
    r"(?<!\w)(?:n'|ne )(?:hesitez|hesite|oubliez|oublie|tardez|manquez|ratez|attendez|laissez|"
    r"perdez)(?: plus| pas| jamais)?|(?<!\w)(?:don't|do not) (?:hesitate|forget|wait|miss)"
)
_WITHOUT: Final = re.compile(r"(?<!\w)(?:sans|without)(?!\w)")
_CLAUSE_BREAK: Final = re.compile(r"[.!?;:,()\n\u2022«»\"]")
_NEGATION_WORDS: Final = 6


def _negated(texts: _Texts, start: int) -> bool:
    s_start, _ = texts.sentence_span(start)
    before = texts.text[s_start:start]
    breaks = list(_CLAUSE_BREAK.finditer(before))
    clause = before[breaks[-1].end() :] if breaks else before
    words = _URGING.sub(" ", clause).split()[-_NEGATION_WORDS:]
    # "sans" denies only what follows it at once ("annuaire sans classement payant"):
    # further away it is a manner ("sans chirurgie, des résultats garantis").
    if words[-2:] and _WITHOUT.search(" ".join(words[-2:])):
        return True
    return bool(_NEGATION.search(" ".join(words)))


def _rule_spans(rule: _Rule, texts: _Texts) -> list[tuple[int, int]]:
    """The rule's matches, in offsets of ``texts.text``."""
    candidates: list[tuple[int, int]] = []
    for pattern in rule.patterns:
        candidates.extend(m.span() for m in pattern.finditer(texts.text) if m.end() > m.start())
    for pattern in rule.cased_patterns:
        candidates.extend(
            (texts.to_text[m.start()], texts.to_text[m.end()])
            for m in pattern.finditer(texts.cased)
            if m.end() > m.start() and not _in_shouted_text(texts.cased, m.start(), m.end())
        )
    for pattern in rule.specialist_patterns:
        candidates.extend(_unrecognised_specialties(pattern, texts.text))
    if not candidates or any(p.search(texts.text) for p in rule.unless_text):
        return []
    exceptions = [m.span() for p in rule.unless for m in p.finditer(texts.text)]
    kept: list[tuple[int, int]] = []
    for start, end in candidates:
        if any(s < end and start < e for s, e in exceptions):
            continue
        sentence = texts.sentence_of(start, end)
        if any(p.search(sentence) for p in rule.unless_sentence):
            continue
        if rule.negatable and _negated(texts, start):
            continue
        kept.append((start, end))
    return kept


def _in_shouted_text(cased: str, start: int, end: int) -> bool:
    """'CABINET DU DR MARTIN': an upper-case "DU" among upper-case words is an article."""
    before = cased[max(0, start - 20) : start].split()
    after = cased[end : end + 20].split()
    neighbours = before[-1:] + after[:1]
    return any(_SHOUTED_NEIGHBOUR.fullmatch(word.strip(".,;:()")) for word in neighbours)


_LEADING_ARTICLE: Final = re.compile(r"^(?:la |le |les |l'|the )")


def _unrecognised_specialties(pattern: re.Pattern[str], folded: str) -> list[tuple[int, int]]:
    """'spécialiste en X' where X is not a specialty of the Ordre (L03)."""
    aliases = _load().specialty_aliases
    spans: list[tuple[int, int]] = []
    for match in pattern.finditer(folded):
        topic = match.group("topic").strip()
        topic = _LEADING_ARTICLE.sub("", topic)
        if any(topic == alias or topic.startswith(alias + " ") for alias in aliases):
            continue
        # Highlight the claim and the first words of its topic, not the rest of the line.
        words = list(re.finditer(r"\S+", folded[match.start("topic") : match.end()]))
        end = match.start("topic") + (words[min(3, len(words)) - 1].end() if words else 0)
        spans.append((match.start(), end))
    return spans


def _merge(spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _patient_spans(
    config: _DeidConfig, texts: _Texts, own_names: Sequence[str]
) -> list[tuple[int, int]]:
    """Patients' names, NIR and dates of birth found by the de-identification engine (L11).

    A profile is full of the doctor's own identifiers (phone, address, RPPS) and of
    colleagues' and towns' names: only what points at a patient is kept.
    """
    from maillage.deid.text import scrub  # loads spaCy: only when a text is linted

    own = {word for name in own_names for word in _WORD.findall(_fold(name))}
    spans: list[tuple[int, int]] = []
    for finding in scrub(texts.original).findings:
        if finding.kind not in config.kinds:
            continue
        if finding.kind == "nir":
            spans.append((finding.start, finding.end))
        elif finding.kind == "date":
            before = texts.folded[max(0, finding.start - 30) : finding.start]
            if config.birth_context.search(before):
                spans.append((finding.start, finding.end))
        elif _names_a_patient(config, texts, finding.start, finding.end, own):
            spans.append((finding.start, finding.end))
    return spans


def _names_a_patient(
    config: _DeidConfig, texts: _Texts, start: int, end: int, own: set[str]
) -> bool:
    words = _WORD.findall(texts.folded[start:end])
    if not words or set(words) <= own:
        return False
    before = texts.folded[max(0, start - 40) : start]
    if config.professional_title.search(before):
        return False
    if config.profession_after.search(texts.folded[end : end + 40]):
        return False
    s_start, s_end = texts.sentence_span(texts.to_text[start])
    sentence_start = texts.to_original[s_start] if s_start < s_end else max(0, start - 80)
    leading = texts.folded[max(sentence_start, start - 80) : start]
    if config.colleague_cue.search(leading) and not config.patient_cue.search(leading):
        return False
    if config.civility.search(before):
        title_before = texts.folded[max(0, start - 60) : start]
        # "Dr M. Martin" is still a doctor.
        return not re.search(r"(?<!\w)(?:dr|docteur|pr|professeur)\.?\s+\S+\s*$", title_before)
    if config.patient_cue.search(leading):
        return True
    if not texts.folded[:start].strip() or config.self_intro.search(before):
        return False
    if config.place_word.search(before):
        return False
    # A lone capitalised word is too often a town or a brand; a full name is a person.
    return len(words) >= 2


# ---------------------------------------------------------------------------
# Structural rules
# ---------------------------------------------------------------------------

_PHONE: Final = re.compile(
    r"(?:0|\+33|0033)[1-9][0-9]{8}|\+(?:262|269|590|594|596|687|689)[0-9]{9}"
)
_PHONE_SEPARATORS: Final = re.compile(r"[\s.\-()/]")
_FEE_SENTENCE: Final = (
    "seuls peuvent vous etre factures des frais correspondant a une prestation de soins rendue",
    "le paiement d une prestation qui ne correspond pas directement a une prestation de soins "
    "ne peut vous etre impose",
)
_NOT_ALNUM: Final = re.compile(r"[^a-z0-9]+")
_EMERGENCY_WORDS: Final = re.compile(r"(?<!\w)(?:urgences?|emergenc(?:y|ies)|samu)(?!\w)")


def _profile_finding(
    rule_id: str, key: str, field: str, *, severity: Severity | None = None
) -> Finding:
    rule = _load().by_id[rule_id]
    return Finding(
        rule=rule_id,
        severity=severity or rule.severity,
        start=0,
        end=0,
        message=rule.messages[key][_language()],
        field=field,
    )


def _normalised_words(text: str) -> str:
    return _NOT_ALNUM.sub(" ", _fold(text)).strip()


def _has_fee_sentence(fees_text: str) -> bool:
    normalised = _normalised_words(fees_text)
    return all(part in normalised for part in _FEE_SENTENCE)


def _is_specialty(value: str) -> bool:
    if value in Specialty.values:
        return True
    folded = _fold(value.strip())
    return any(folded == _fold(str(label)) for label in Specialty.labels)


def mentions_emergency_numbers(text: str) -> bool:
    """True if ``text`` tells what to do in an emergency (a word for it and 15, 112 or 114)."""
    folded = _fold(text)
    return bool(_EMERGENCY_WORDS.search(folded)) and bool(
        re.search(r"(?<![\d])(?:15|112|114)(?![\d])", folded)
    )


def lint_profile(
    *,
    last_name: str,
    first_names: str,
    postal_address: str,
    email: str,
    phone: str,
    rpps: str,
    specialty: str,
    sector: str,
    fees_text: str,
    offers_booking: bool,
    offers_teleconsultation: bool,
    emergency_info_present: bool,
    consent_recorded: bool,
    sponsored_placement: bool = False,
) -> list[Finding]:
    """Check the structural rules (L01, L02, L13, L14, L15) on a profile's plain values.

    Each finding has ``start == end == 0`` and names the parameter at fault in ``field``.
    ``specialty`` is a :class:`~maillage.accounts.specialties.Specialty` value (or label);
    ``sector`` is whatever the profile stores, only its presence is checked.
    """
    findings: list[Finding] = []
    for field, value in (
        ("last_name", last_name),
        ("first_names", first_names),
        ("postal_address", postal_address),
    ):
        if not value.strip():
            findings.append(_profile_finding("L01", field, field))
    try:
        validate_email(email.strip())
    except ValidationError:
        findings.append(_profile_finding("L01", "email", "email"))
    if not _PHONE.fullmatch(_PHONE_SEPARATORS.sub("", phone)):
        findings.append(_profile_finding("L01", "phone", "phone"))
    try:
        check = validate_rpps(rpps)
    except ValidationError:
        findings.append(_profile_finding("L01", "rpps", "rpps"))
    else:
        # REGULATION §6.2: the Luhn key of the RPPS is not confirmed by the ANS: warn only.
        if not check.luhn_ok:
            findings.append(_profile_finding("L01", "rpps_luhn", "rpps", severity="warning"))
    if not _is_specialty(specialty):
        findings.append(_profile_finding("L01", "specialty", "specialty"))
    if not sector.strip():
        findings.append(_profile_finding("L01", "sector", "sector"))
    if offers_booking or offers_teleconsultation:
        if not fees_text.strip():
            findings.append(_profile_finding("L02", "fees_text", "fees_text"))
        if not _has_fee_sentence(fees_text):
            findings.append(_profile_finding("L02", "fee_sentence", "fees_text"))
        if not sector.strip():
            findings.append(_profile_finding("L02", "sector", "sector"))
    if not consent_recorded:
        findings.append(_profile_finding("L13", "consent_recorded", "consent_recorded"))
    if sponsored_placement:
        findings.append(_profile_finding("L14", "sponsored_placement", "sponsored_placement"))
    if not emergency_info_present:
        findings.append(_profile_finding("L15", "emergency_info_present", "emergency_info_present"))
    return findings
