"""The content of an article as the services take it, and the JSON format of content/README.md."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
SLUG_MAX_LENGTH = 80
TITLE_MAX_LENGTH = 200
REVIEW_INTERVAL_MONTHS = (1, 36)
SECTIONS = ("what_it_is", "self_care", "when_to_consult", "when_to_call_15")
_URL = URLValidator(schemes=["https", "http"])


@dataclass(frozen=True)
class SourceContent:
    title: str
    publisher: str
    url: str
    checked: bool = False


@dataclass(frozen=True)
class ArticleContent:
    """Everything an author writes in one version (compared as a whole by the loader)."""

    title: str
    summary: str
    what_it_is: str = ""
    self_care: str = ""
    when_to_consult: str = ""
    when_to_call_15: str = ""
    keywords: tuple[str, ...] = ()
    sources: tuple[SourceContent, ...] = field(default=())
    review_interval_months: int = 12
    self_assessment: str = ""

    def normalized(self) -> ArticleContent:
        """Return the same content without surrounding blanks (as the database keeps it)."""
        return replace(
            self,
            title=self.title.strip(),
            summary=self.summary.strip(),
            what_it_is=self.what_it_is.strip(),
            self_care=self.self_care.strip(),
            when_to_consult=self.when_to_consult.strip(),
            when_to_call_15=self.when_to_call_15.strip(),
            keywords=tuple(keyword.strip() for keyword in self.keywords),
            sources=tuple(
                SourceContent(
                    title=source.title.strip(),
                    publisher=source.publisher.strip(),
                    url=source.url.strip(),
                    checked=source.checked,
                )
                for source in self.sources
            ),
            self_assessment=self.self_assessment.strip(),
        )


def slug_problems(slug: str) -> list[str]:
    if len(slug) > SLUG_MAX_LENGTH or not SLUG.fullmatch(slug):
        return [
            _(
                "l'adresse « %(slug)s » doit être faite de minuscules sans accent, de chiffres "
                "et de tirets (80 caractères au plus)"
            )
            % {"slug": slug}
        ]
    return []


def content_problems(content: ArticleContent) -> list[str]:
    """Return what makes this content unfit even for a draft (empty list when none)."""
    problems = []
    if not content.title.strip():
        problems.append(_("le titre est obligatoire"))
    elif len(content.title) > TITLE_MAX_LENGTH:
        problems.append(_("le titre dépasse 200 caractères"))
    if not content.summary.strip():
        problems.append(_("le résumé est obligatoire"))
    if any(not keyword.strip() for keyword in content.keywords):
        problems.append(_("un mot-clé est vide"))
    low, high = REVIEW_INTERVAL_MONTHS
    if not low <= content.review_interval_months <= high:
        problems.append(_("l'intervalle de relecture doit être compris entre 1 et 36 mois"))
    if content.self_assessment and not SLUG.fullmatch(content.self_assessment):
        problems.append(_("l'auto-évaluation doit être désignée par son adresse (slug)"))
    for number, source in enumerate(content.sources, start=1):
        if not source.title.strip() or not source.publisher.strip():
            problems.append(_("la source %(n)d n'a pas de titre ou d'éditeur") % {"n": number})
        elif len(source.title) > 300 or len(source.publisher) > 200 or len(source.url) > 500:
            problems.append(
                _("la source %(n)d a un titre, un éditeur ou une adresse trop longs")
                % {"n": number}
            )
        try:
            _URL(source.url)
        except ValidationError:
            problems.append(
                _("la source %(n)d n'a pas une adresse web valide (https://…)") % {"n": number}
            )
    return problems


def completeness_problems(content: ArticleContent) -> list[str]:
    """Return what a version still lacks before it can be sent for review."""
    headings = {
        "what_it_is": _("De quoi s'agit-il ?"),
        "self_care": _("Ce que vous pouvez faire vous-même"),
        "when_to_consult": _("Quand consulter ?"),
        "when_to_call_15": _("Quand appeler le 15 ?"),
    }
    problems = [
        _("la section « %(heading)s » est vide") % {"heading": headings[name]}
        for name in SECTIONS
        if not getattr(content, name).strip()
    ]
    if not content.sources:
        problems.append(_("au moins une source est nécessaire"))
    return problems


# --- The JSON files of content/fr/ --------------------------------------------------------

REQUIRED_KEYS = frozenset({"slug", "title", "summary", "keywords", "sections", "sources"})
OPTIONAL_KEYS = frozenset({"review_interval_months", "self_assessment"})
SOURCE_KEYS = frozenset({"title", "publisher", "url", "checked"})
SOURCES_PER_ARTICLE = (2, 4)
# The writers' rules of content/README.md that a machine can check.
_MARKUP_RULES = (
    (re.compile(r"<[A-Za-z/!]"), gettext_noop("pas de HTML")),
    (re.compile(r"^\s*#", re.MULTILINE), gettext_noop("pas de titre Markdown")),
    (re.compile(r"\]\(|https?://"), gettext_noop("pas de lien dans le texte")),
)


class ArticleFileInvalid(ValueError):
    """A content file breaks the format; the message names the file."""


@dataclass(frozen=True)
class ArticleFile:
    path: Path
    slug: str
    content: ArticleContent


def _require(condition: bool, problem: str) -> None:
    if not condition:
        raise ArticleFileInvalid(problem)


def _text(data: dict[str, Any], key: str, where: str) -> str:
    value = data.get(key)
    _require(
        isinstance(value, str) and bool(value.strip()),
        _("%(where)s « %(key)s » doit être un texte non vide") % {"where": where, "key": key},
    )
    return str(value)


def _keys(data: dict[str, Any], required: frozenset[str], optional: frozenset[str]) -> None:
    missing = sorted(required - data.keys())
    unknown = sorted(data.keys() - required - optional)
    _require(not missing, _("champ manquant : %(keys)s") % {"keys": ", ".join(missing)})
    _require(not unknown, _("champ inconnu : %(keys)s") % {"keys": ", ".join(unknown)})


def _parse(data: Any, stem: str) -> tuple[str, ArticleContent]:
    _require(isinstance(data, dict), _("le fichier doit contenir un objet JSON"))
    _keys(data, REQUIRED_KEYS, OPTIONAL_KEYS)
    slug = _text(data, "slug", _("le champ"))
    _require(
        slug == stem,
        _("le slug « %(slug)s » doit être le nom du fichier (%(stem)s)")
        % {"slug": slug, "stem": stem},
    )
    keywords = data["keywords"]
    _require(
        isinstance(keywords, list) and bool(keywords) and all(isinstance(k, str) for k in keywords),
        _("« keywords » doit être une liste de mots-clés non vide"),
    )
    sections = data["sections"]
    _require(isinstance(sections, dict), _("« sections » doit être un objet"))
    _keys(sections, frozenset(SECTIONS), frozenset())
    texts = {name: _text(sections, name, _("la section")) for name in SECTIONS}
    for name, text in texts.items():
        for pattern, rule in _MARKUP_RULES:
            _require(
                not pattern.search(text),
                _("la section « %(name)s » : %(rule)s (Markdown réduit de content/README.md)")
                % {"name": name, "rule": _(rule)},
            )
    _require(
        "112" in texts["when_to_call_15"] and "114" in texts["when_to_call_15"],
        _("la section « when_to_call_15 » doit rappeler le 112 et le 114"),
    )
    raw_sources = data["sources"]
    low, high = SOURCES_PER_ARTICLE
    _require(
        isinstance(raw_sources, list) and low <= len(raw_sources) <= high,
        _("« sources » doit être une liste de 2 à 4 sources"),
    )
    sources = []
    for number, raw in enumerate(raw_sources, start=1):
        where = _("la source %(n)d :") % {"n": number}
        _require(isinstance(raw, dict), _("%(where)s objet attendu") % {"where": where})
        _keys(raw, SOURCE_KEYS, frozenset())
        _require(
            isinstance(raw["checked"], bool),
            _("%(where)s « checked » doit valoir true ou false") % {"where": where},
        )
        sources.append(
            SourceContent(
                title=_text(raw, "title", where),
                publisher=_text(raw, "publisher", where),
                url=_text(raw, "url", where),
                checked=raw["checked"],
            )
        )
    interval = data.get("review_interval_months", 12)
    _require(
        isinstance(interval, int) and not isinstance(interval, bool),
        _("« review_interval_months » doit être un nombre entier de mois"),
    )
    self_assessment = data.get("self_assessment") or ""
    _require(isinstance(self_assessment, str), _("« self_assessment » doit être un texte"))
    content = ArticleContent(
        title=_text(data, "title", _("le champ")),
        summary=_text(data, "summary", _("le champ")),
        keywords=tuple(keyword.strip() for keyword in keywords),
        sources=tuple(sources),
        review_interval_months=interval,
        self_assessment=self_assessment,
        **texts,
    )
    problems = slug_problems(slug) + content_problems(content) + completeness_problems(content)
    _require(not problems, "; ".join(problems))
    return slug, content


def read_article_file(path: Path) -> ArticleFile:
    """Read and check one content file.

    Raises:
        ArticleFileInvalid: naming the file and the first problem found.
    """
    try:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
            raise ArticleFileInvalid(_("JSON illisible (%(error)s)") % {"error": error}) from error
        slug, content = _parse(data, path.stem)
    except ArticleFileInvalid as error:
        raise ArticleFileInvalid(
            _("%(file)s : %(problem)s") % {"file": path.name, "problem": error}
        ) from error
    return ArticleFile(path=path, slug=slug, content=content)
