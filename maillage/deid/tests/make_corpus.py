"""Build corpus.jsonl from the hand-written, marked-up corpus_source.txt.

Run ``python -m maillage.deid.tests.make_corpus`` after editing the source. The test
suite checks that corpus.jsonl is up to date, so offsets never drift by hand.

Markup: ``[[kind:text]]`` is a span to remove, ``{{text}}`` a medical term to keep.
``[[nir:... ??]]`` gets its key computed (the texts stay readable and valid).
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Final, NotRequired, TypedDict

from maillage.core.identifiers import nir_key, normalize_nir

HERE: Final = Path(__file__).resolve().parent
SOURCE: Final = HERE / "corpus_source.txt"
TARGET: Final = HERE / "corpus.jsonl"

KINDS: Final = frozenset(
    {"name", "nir", "phone", "email", "address", "date", "dob", "rpps", "adeli", "finess", "age"}
)
_MARKUP: Final = re.compile(r"\[\[(?P<kind>[a-z]+):(?P<span>.+?)\]\]|\{\{(?P<keep>.+?)\}\}")


class ExpectedSpan(TypedDict):
    start: int
    end: int
    kind: str
    dob: NotRequired[bool]


class Entry(TypedDict):
    id: str
    text: str
    expected: list[ExpectedSpan]
    keep: list[str]


def _with_nir_key(value: str) -> str:
    if "??" not in value:
        return value
    body = normalize_nir(value.replace("??", ""))
    return value.replace("??", f"{nir_key(body):02d}")


def parse_entry(entry_id: str, marked: str) -> Entry:
    text: list[str] = []
    expected: list[ExpectedSpan] = []
    keep: list[str] = []
    position = 0
    cursor = 0
    for match in _MARKUP.finditer(marked):
        plain = marked[cursor : match.start()]
        text.append(plain)
        position += len(plain)
        cursor = match.end()
        if match["keep"] is not None:
            text.append(match["keep"])
            position += len(match["keep"])
            keep.append(match["keep"])
            continue
        kind = match["kind"]
        if kind not in KINDS:
            msg = f"{entry_id}: unknown kind {kind!r}"
            raise ValueError(msg)
        span = _with_nir_key(match["span"]) if kind == "nir" else match["span"]
        if span != span.strip():
            msg = f"{entry_id}: span {span!r} has surrounding spaces"
            raise ValueError(msg)
        item: ExpectedSpan = {
            "start": position,
            "end": position + len(span),
            "kind": "date" if kind == "dob" else kind,
        }
        if kind == "dob":
            item["dob"] = True
        expected.append(item)
        text.append(span)
        position += len(span)
    text.append(marked[cursor:])
    plain_text = "".join(text)
    if "[[" in plain_text or "{{" in plain_text:
        msg = f"{entry_id}: unbalanced markup"
        raise ValueError(msg)
    return {"id": entry_id, "text": plain_text, "expected": expected, "keep": keep}


def parse_source(source: str) -> list[Entry]:
    entries: list[Entry] = []
    current_id: str | None = None
    lines: list[str] = []

    def flush() -> None:
        if current_id is not None:
            entries.append(parse_entry(current_id, "\n".join(lines).strip()))

    for line in source.splitlines():
        if line.startswith("### "):
            flush()
            current_id = line[4:].strip()
            lines = []
        elif current_id is not None:
            lines.append(line)
    flush()
    return entries


def render(entries: list[Entry]) -> str:
    return "".join(json.dumps(entry, ensure_ascii=False) + "\n" for entry in entries)


def main() -> None:
    TARGET.write_text(render(parse_source(SOURCE.read_text(encoding="utf-8"))), encoding="utf-8")
    sys.stdout.write(f"wrote {TARGET}\n")


if __name__ == "__main__":
    main()
