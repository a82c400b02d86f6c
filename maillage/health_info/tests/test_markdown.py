"""The Markdown subset renders paragraphs, lists and bold, and escapes everything else."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from maillage.health_info.markdown import render_markdown

ALLOWED_TAGS = {"p", "ul", "li", "strong"}


def test_blank_lines_separate_paragraphs() -> None:
    assert render_markdown("Un.\nSuite.\n\nDeux.") == "<p>Un. Suite.</p><p>Deux.</p>"


def test_dash_lines_make_a_list_after_a_paragraph() -> None:
    source = "Vous pouvez :\n- boire de l'eau ;\n- vous reposer.\n\nEnsuite."

    assert render_markdown(source) == (
        "<p>Vous pouvez :</p>"
        "<ul><li>boire de l&#x27;eau ;</li><li>vous reposer.</li></ul>"
        "<p>Ensuite.</p>"
    )


def test_an_indented_line_continues_the_item() -> None:
    assert render_markdown("- un item\n  qui continue\n- un autre") == (
        "<ul><li>un item qui continue</li><li>un autre</li></ul>"
    )


def test_double_stars_make_bold_text() -> None:
    assert render_markdown("**Ne pas** donner d'aspirine, **jamais**.") == (
        "<p><strong>Ne pas</strong> donner d&#x27;aspirine, <strong>jamais</strong>.</p>"
    )


def test_a_lone_star_and_a_negative_number_stay_text() -> None:
    assert render_markdown("2 * 3 et -5 °C") == "<p>2 * 3 et -5 °C</p>"


@pytest.mark.parametrize(
    "source",
    [
        "<script>alert(1)</script>",
        '<img src=x onerror="alert(1)">',
        "**<b onmouseover=alert(1)>gras</b>**",
        "- <a href='javascript:alert(1)'>lien</a>",
        "[clic](javascript:alert(1))",
        '"><svg/onload=alert(1)>',
    ],
)
def test_html_in_a_section_is_escaped(source: str) -> None:
    html = render_markdown(source)

    assert set(re.findall(r"</?([a-zA-Z]+)", html)) <= ALLOWED_TAGS
    assert "<script" not in html
    assert "<img" not in html
    assert "<a " not in html
    assert 'href="javascript' not in html


def test_links_and_headings_are_plain_text() -> None:
    assert render_markdown("# Titre\n[lien](https://example.org)") == (
        "<p># Titre [lien](https://example.org)</p>"
    )


@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=300))
def test_any_text_renders_to_our_four_tags_only(source: str) -> None:
    html = render_markdown(source)

    assert set(re.findall(r"<\s*/?\s*([^\s>/]+)", html)) <= ALLOWED_TAGS
    assert set(re.findall(r"<(?:p|ul|li|strong)([^>]*)>", html)) <= {""}
