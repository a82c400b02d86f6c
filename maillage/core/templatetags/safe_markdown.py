"""Markdown written by users (case comments, community posts), rendered safely.

Raw HTML is escaped and unsafe link schemes are refused.
"""

from __future__ import annotations

from functools import cache

from django import template
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt

register = template.Library()


@cache
def _renderer() -> MarkdownIt:
    # CommonMark with HTML disabled: "<script>" stays text; markdown-it refuses javascript:,
    # vbscript:, file: and data: links (validateLink).
    return MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})


@register.filter
def markdown(text: str) -> SafeString:
    html: str = _renderer().render(text or "")
    return mark_safe(html)  # noqa: S308  # escaped by markdown-it (html off)
