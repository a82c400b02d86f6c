"""Every route of the URL configuration, with sample arguments, for sweeps over all pages.

The sweeps (authorisation matrix, injection, accessibility) are generated from here, so a page
added tomorrow is covered without anyone remembering to add it.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass

from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver
from django.urls.converters import IntConverter, SlugConverter, StringConverter, UUIDConverter

# Routes of third-party apps we only mount (their own test suites cover them).
FOREIGN_NAMESPACES = ("admin", "oauth2_provider")
FOREIGN_PREFIXES = ("accounts/", "admin/", "oauth/")


@dataclass(frozen=True)
class Route:
    name: str  # "namespace:name"
    path: str  # the pattern's text, for messages
    sample_url: str  # the route filled with arguments that name nothing that exists


def _sample(converter: object) -> str:
    if isinstance(converter, UUIDConverter):
        return str(uuid.UUID(int=0xDEADBEEF))
    if isinstance(converter, IntConverter):
        return "987654321"
    if isinstance(converter, SlugConverter | StringConverter):
        return "personne-inconnue"
    return "x" if converter is not None else ""


def _walk(
    patterns: list[URLPattern | URLResolver], prefix: str, namespace: str
) -> Iterator[tuple[str, str, dict[str, object]]]:
    for pattern in patterns:
        text = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            inner = (
                f"{namespace}:{pattern.namespace}"
                if namespace and pattern.namespace
                else (pattern.namespace or namespace)
            )
            yield from _walk(pattern.url_patterns, text, inner or "")
        elif pattern.name:
            converters: dict[str, object] = dict(getattr(pattern.pattern, "converters", {}))
            regex = getattr(pattern.pattern, "regex", None)
            for group in regex.groupindex if regex is not None and not converters else ():
                converters[group] = None  # a re_path group: filled by trial below
            yield (f"{namespace}:{pattern.name}" if namespace else pattern.name), text, converters


def all_routes() -> list[Route]:
    """Our named routes (third-party apps' excluded), each with a sample URL."""
    from django.urls import reverse

    routes: dict[str, Route] = {}
    for name, text, converters in _walk(get_resolver().url_patterns, "", ""):
        if name.split(":")[0] in FOREIGN_NAMESPACES or text.startswith(FOREIGN_PREFIXES):
            continue
        kwargs = {key: _sample(converter) for key, converter in converters.items()}
        for filler in ("", "Patient", "1"):  # re_path groups: the first value they accept
            trial = {k: (filler or v) if converters[k] is None else v for k, v in kwargs.items()}
            try:
                url = reverse(name, kwargs=trial)
            except NoReverseMatch:
                continue
            routes.setdefault(name, Route(name, "/" + text, url))
            break
    return sorted(routes.values(), key=lambda route: route.name)
