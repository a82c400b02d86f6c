"""The issue 8 figures over a JSONL corpus of profile texts, per set (half or blind set).

A violating text counts as caught when every rule it expects is among the findings; a clean
text counts when no finding is an error (warnings only ask the doctor to re-read).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from maillage.directory.linter import lint_text

TEXT_RULES = ("L03", "L04", "L05", "L06", "L07", "L08", "L09", "L10", "L11", "L12", "L16", "L17")
# Rules checked on the profile's fields, which a text can still break (L14: "profil sponsorisé").
PROFILE_RULES = ("L01", "L02", "L13", "L14", "L15")


@dataclass
class Figures:
    violating: int = 0
    caught: int = 0
    clean: int = 0
    clean_without_error: int = 0

    @property
    def caught_rate(self) -> float:
        return self.caught / self.violating

    @property
    def clean_rate(self) -> float:
        return self.clean_without_error / self.clean


def load(path: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def measure(path: Path, sets: tuple[str, ...]) -> dict[str, Figures]:
    """Lint every text of the corpus and count, per set; print the figures (pytest -s)."""
    by_set = {name: Figures() for name in sets}
    for entry in load(path):
        fig = by_set.get(str(entry["half"]))
        if fig is None:
            continue
        found = lint_text(str(entry["text"]))
        expected = entry["expected"]
        assert isinstance(expected, list)
        if expected:
            fig.violating += 1
            fig.caught += set(expected) <= {f.rule for f in found}
        else:
            fig.clean += 1
            fig.clean_without_error += all(f.severity != "error" for f in found)
    for name, fig in by_set.items():
        print(  # noqa: T201  # the figures are the point of these tests
            f"\nset {name}: violating caught {fig.caught}/{fig.violating} "
            f"= {fig.caught_rate:.3f}; clean without error "
            f"{fig.clean_without_error}/{fig.clean} = {fig.clean_rate:.3f}"
        )
    return by_set


def per_rule(path: Path, name: str) -> dict[str, Figures]:
    """One set's figures by the rule each text targets (the aggregate the tuning may look at)."""
    by_rule: dict[str, Figures] = {}
    for entry in load(path):
        if entry["half"] != name:
            continue
        found = lint_text(str(entry["text"]))
        fig = by_rule.setdefault(str(entry["target"]), Figures())
        expected = entry["expected"]
        assert isinstance(expected, list)
        if expected:
            fig.violating += 1
            fig.caught += set(expected) <= {f.rule for f in found}
        else:
            fig.clean += 1
            fig.clean_without_error += all(f.severity != "error" for f in found)
    for rule, fig in sorted(by_rule.items()):
        print(  # noqa: T201
            f"{name} {rule}: caught {fig.caught}/{fig.violating}, "
            f"clean without error {fig.clean_without_error}/{fig.clean}"
        )
    return by_rule
