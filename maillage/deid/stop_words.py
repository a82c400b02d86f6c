"""spaCy's French stop words, read without importing spaCy.

``import spacy.lang.fr.stop_words`` imports the whole ``spacy`` package first (about 105 MB
in every process that imports the de-identification rules, page workers included); the
module itself is one literal set. It is read from the installed spaCy, so the list stays
the one the model was trained with.
"""

from __future__ import annotations

import ast
from importlib.util import find_spec
from pathlib import Path
from typing import Final


def _spacy_french_stop_words() -> frozenset[str]:
    spec = find_spec("spacy")  # finds the package without importing it
    if spec is None or not spec.submodule_search_locations:
        raise ImportError("spaCy is not installed")
    source = Path(spec.submodule_search_locations[0], "lang", "fr", "stop_words.py").read_text(
        encoding="utf-8"
    )
    # STOP_WORDS = set("""…""".split()): the one string literal of the module.
    literals = [
        node.value
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
    ]
    if len(literals) != 1:
        raise ImportError("spaCy's French stop words changed shape: read them another way")
    return frozenset(literals[0].split())


FRENCH_STOP_WORDS: Final = _spacy_french_stop_words()
