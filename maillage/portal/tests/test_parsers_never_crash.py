"""hypothesis on the parsers of free text that the other suites do not fuzz yet: the
de-identification engine, the communication-rules linter, the community screening, the safe
Markdown filter and the JSONL batch commands. Whatever the text: no exception, offsets inside
it, no raw HTML out. (Identifiers, the triage detector, article Markdown, uploads and opening
hours have their own hypothesis tests.)"""

from __future__ import annotations

import io
import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from maillage.communities.screening import screen, without_personal_data
from maillage.core.templatetags.safe_markdown import markdown
from maillage.deid.jsonl import run_jsonl
from maillage.deid.text import scrub
from maillage.directory.linter import lint_text

# French-looking text with the characters that trip parsers: digits, accents, quotes,
# apostrophes, markup, separators, emoji, control and non-BMP characters.
ALPHABET = st.characters(
    codec="utf-8",
    categories=["L", "N", "P", "S", "Zs", "Cc"],
    include_characters="éèàçœÉ'\u2019«»<>&\"@.-/:%€\n\t",
)
TEXT = st.text(alphabet=ALPHABET, max_size=400)
SLOW = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SLOW
@given(TEXT)
def test_the_scrubber_never_crashes_and_keeps_its_offsets_inside(text: str) -> None:
    result = scrub(text)
    for finding in result.findings:
        assert 0 <= finding.start < finding.end <= len(text)


@SLOW
@given(TEXT)
def test_the_linter_never_crashes_and_keeps_its_offsets_inside(text: str) -> None:
    for finding in lint_text(text, own_names=["Durand"]):
        assert 0 <= finding.start <= finding.end <= len(text)
        assert finding.severity in ("error", "warning")


@SLOW
@given(TEXT)
def test_the_community_screening_never_crashes(text: str) -> None:
    result = screen(text)
    assert result.risk in (0, 1, 2, 3)
    without_personal_data(text, result.personal)


@settings(max_examples=200, deadline=None)
@given(TEXT)
def test_safe_markdown_never_lets_raw_html_through(text: str) -> None:
    html = str(markdown(text))
    assert "<script" not in html.lower()
    assert "javascript:" not in html.lower().replace("&quot;", "")


@SLOW
@given(
    st.lists(
        st.one_of(
            TEXT, st.builds(lambda i, t: json.dumps({"id": i, "text": t}), st.integers(), TEXT)
        ),
        max_size=5,
    )
)
def test_the_batch_commands_answer_every_line(lines: list[str]) -> None:
    out = io.StringIO()
    run_jsonl([line.replace("\n", " ") + "\n" for line in lines], out)
    # JSON Lines are separated by "\n" only (a U+2028 inside a string is not a line break).
    answers = [json.loads(line) for line in out.getvalue().split("\n") if line]
    assert len(answers) == len([line for line in lines if line.replace("\n", " ").strip()])
