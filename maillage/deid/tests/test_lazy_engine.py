"""spaCy and Presidio load on the first scrub, not with the pages: a page worker stays small."""

from __future__ import annotations

import os
import subprocess
import sys

from django.conf import settings

from maillage.deid.stop_words import FRENCH_STOP_WORDS

PROBE = """
import sys
import django
django.setup()
import config.urls
from maillage.communities import screening
from maillage.deid import jsonl, text
heavy = sorted(name for name in ("spacy", "presidio_analyzer", "thinc") if name in sys.modules)
print(",".join(heavy) or "none")
"""


def test_the_url_configuration_and_the_scrubbing_modules_import_neither_spacy_nor_presidio() -> (
    None
):
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test"}
    probe = subprocess.run(  # noqa: S603 (this interpreter, a fixed script)
        [sys.executable, "-c", PROBE],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
    )
    assert probe.stdout.strip().splitlines()[-1] == "none"


def test_the_stop_words_are_spacys_french_ones() -> None:
    from spacy.lang.fr.stop_words import STOP_WORDS

    assert frozenset(STOP_WORDS) == FRENCH_STOP_WORDS
