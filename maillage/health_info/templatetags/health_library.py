from __future__ import annotations

from django import template
from django.utils.safestring import SafeString

from maillage.health_info.markdown import render_markdown

register = template.Library()


@register.filter(is_safe=True)
def library_markdown(source: str) -> SafeString:
    """Render an article section (the Markdown subset of content/README.md), escaped."""
    return render_markdown(source)
