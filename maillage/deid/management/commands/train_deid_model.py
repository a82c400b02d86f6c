from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from maillage.deid.learned import MODEL_PATH
from maillage.deid.tests.heldout.measure import HALVES


class Command(BaseCommand):
    help = (
        "Train the learned name and address recogniser (maillage/deid/learned.py) on the "
        "annotated texts, with a fixed seed, and save it (by default over the shipped model)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--leave-out",
            choices=HALVES,
            action="append",
            default=[],
            help="A held-out half not to train on (repeatable), for an honest estimate.",
        )
        parser.add_argument(
            "--output", type=Path, default=MODEL_PATH, help="Where to save the model."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        # spaCy's training code is imported only here: the web process never trains.
        from maillage.deid.learned_training import load_entries, train

        entries = load_entries(options["leave_out"])
        self.stdout.write(f"training on {len(entries)} texts")
        train(
            entries,
            options["output"],
            progress=lambda epoch, loss: self.stdout.write(f"epoch {epoch}: loss {loss:.0f}"),
        )
        self.stdout.write(f"saved to {options['output']}")
