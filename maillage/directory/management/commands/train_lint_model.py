from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from maillage.directory import learned
from maillage.directory.linter import RULE_IDS, lint_text

TESTS = Path(learned.__file__).with_name("tests")
CORPORA = (TESTS / "lint_corpus.jsonl", TESTS / "lint_heldout.jsonl")


def build_model() -> dict[str, Any]:
    """Train the learned tier on the non-blind sets of the corpora (deterministic)."""
    entries = [
        entry
        for path in CORPORA
        for line in path.read_text(encoding="utf-8").splitlines()
        if (entry := json.loads(line))["half"] in learned.TRAINING_SETS
    ]
    samples = learned.training_samples(
        entries, lambda text: [(f.rule, f.start) for f in lint_text(text, learned=False)]
    )
    return learned.train(samples, RULE_IDS, learned.corpus_digest(CORPORA))


class Command(BaseCommand):
    help = (
        "Rebuild the linter's learned tier (data/communication_model.json) from the "
        "labelled corpora under maillage/directory/tests."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--output", type=Path, default=learned.MODEL_FILE, help="Where to write the model."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        model = build_model()
        output: Path = options["output"]
        output.write_text(
            json.dumps(model, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8"
        )
        self.stdout.write(f"{output}: {len(model['rules'])} rules")
