"""The detector against our own corpus (the team's held-out corpus measures the same things):
every emergency caught, every suicide risk given 3114, benign and negated texts left alone."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from maillage.triage.detector import detect

CORPUS = [
    json.loads(line)
    for line in Path(__file__).with_name("corpus.jsonl").read_text(encoding="utf-8").splitlines()
    if line.strip()
]


def test_the_corpus_is_large_and_varied() -> None:
    levels = {item["level"] for item in CORPUS}
    assert len(CORPUS) >= 60
    assert levels == {"emergency", "urgent", "routine"}
    assert sum("3114" in item["numbers_include"] for item in CORPUS) >= 10


@pytest.mark.parametrize("item", CORPUS, ids=[f"{item['id']}-{item['note']}" for item in CORPUS])
def test_each_text_gets_its_level_and_numbers(item: dict[str, Any]) -> None:
    result = detect(item["text"])

    assert result.level == item["level"], [m.text for m in result.active_matches]
    assert set(item["numbers_include"]) <= set(result.numbers)
    if item["level"] == "routine":
        assert result.numbers == []
        assert result.active_matches == []
