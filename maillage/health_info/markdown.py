"""The Markdown subset of the library (content/README.md): paragraphs, `- ` lists, `**bold**`.

Everything else is text: the source is escaped first, then the three constructs are turned
into tags that carry no attribute. No link, image, heading or raw HTML can come out of it, so
a section written by anyone renders safely.
"""

from __future__ import annotations

import re

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

_BULLET = re.compile(r"^\s*-\s+(?P<text>.*)$")
# Non-greedy and on one block at a time: `**a** and **b**` gives two bold runs.
_BOLD = re.compile(r"\*\*(?=\S)(?P<text>.+?)(?<=\S)\*\*", re.DOTALL)


def _inline(text: str) -> str:
    escaped = escape(" ".join(text.split()))
    return _BOLD.sub(r"<strong>\g<text></strong>", escaped)


def render_markdown(source: str) -> SafeString:
    """Render the library's Markdown subset to HTML, escaping everything else."""
    html: list[str] = []
    paragraph: list[str] = []
    items: list[list[str]] = []

    def close_paragraph() -> None:
        if paragraph:
            html.append(f"<p>{_inline(' '.join(paragraph))}</p>")
            paragraph.clear()

    def close_list() -> None:
        if items:
            rendered = "".join(f"<li>{_inline(' '.join(item))}</li>" for item in items)
            html.append(f"<ul>{rendered}</ul>")
            items.clear()

    for line in source.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        if not line.strip():
            close_paragraph()
            close_list()
            continue
        bullet = _BULLET.match(line)
        if bullet:
            close_paragraph()
            items.append([bullet["text"]])
        elif items and line[:1].isspace():
            items[-1].append(line)  # an indented line continues the item above
        else:
            close_list()
            paragraph.append(line)
    close_paragraph()
    close_list()
    # Safe: every piece of the source went through escape() in _inline(); the only tags are ours.
    return mark_safe("".join(html))  # noqa: S308
