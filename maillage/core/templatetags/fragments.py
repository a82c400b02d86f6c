"""`{% memoize key … %}…{% endmemoize %}`: a fragment rendered once per process and key.

Every signed-in page renders the same chrome around its content: the static links of the
head, the emergency bar, the navigation of the user's roles, the footer. Rendered from the
template each time, with its `{% translate %}`, `{% static %}` and lazy labels, it was most of
the CPU of a page with no content of its own. A memoized fragment is rendered on its first use
for the active language and the values of its keys (resolved in the page's context), then
served from this process's memory: never from a shared cache, so no key ever leaves the
process. Use it only for markup that depends on nothing else than its keys, the language and
the settings: never for anything of the user's (their name, counts, anything from the record).
A CSRF token cannot end up in one: rendering it inside a fragment raises.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.core.signals import setting_changed
from django.template.base import FilterExpression, NodeList, Parser, Token
from django.template.context import Context
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

register = template.Library()

# A fragment's keys: a few role sets, by language, by current navigation entry.
MAX_ENTRIES_PER_FRAGMENT = 512
# Bumped whenever a setting changes (tests' override_settings): PDSA_NUMBER, STATIC_URL or
# ROOT_URLCONF change what a fragment holds, and a fragment must not outlive them.
_settings_generation = 0


def _forget_fragments(**kwargs: Any) -> None:
    global _settings_generation
    _settings_generation += 1


setting_changed.connect(_forget_fragments, dispatch_uid="maillage.core.fragments")


class MemoizedFragmentError(template.TemplateSyntaxError):
    pass


class _NoTokenHere:
    """Stands for `csrf_token` while a fragment renders: a per-request secret must not be kept."""

    def _refuse(self, *args: Any) -> Any:
        raise MemoizedFragmentError("a memoized fragment cannot hold a CSRF token")

    __bool__ = __str__ = _refuse


class MemoizeNode(template.Node):
    def __init__(self, nodelist: NodeList, keys: list[FilterExpression]) -> None:
        self.nodelist = nodelist
        self.keys = keys
        # Kept on the node: it lives as long as the compiled template (the cached loader's).
        self.rendered: dict[tuple[Any, ...], SafeString] = {}

    def render(self, context: Context) -> SafeString:
        key = (
            _settings_generation,
            get_language(),
            *(expression.resolve(context) for expression in self.keys),
        )
        html = self.rendered.get(key)
        if html is None:
            with context.push(csrf_token=_NoTokenHere()):
                html = mark_safe(self.nodelist.render(context))  # noqa: S308  # rendered by the template engine
            if len(self.rendered) >= MAX_ENTRIES_PER_FRAGMENT:
                self.rendered.clear()
            self.rendered[key] = html
        return html


@register.tag
def memoize(parser: Parser, token: Token) -> MemoizeNode:
    keys = [parser.compile_filter(bit) for bit in token.split_contents()[1:]]
    nodelist = parser.parse(("endmemoize",))
    parser.delete_first_token()
    return MemoizeNode(nodelist, keys)
