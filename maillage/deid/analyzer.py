"""The Presidio analyzer and its spaCy model: imported by :mod:`maillage.deid.engine` on first use.

Importing spaCy and Presidio alone costs a process about 105 MB, the model more: a page
worker that never scrubs a text must not pay for them, so nothing imports this module but
``engine.get_analyzer``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Final

import spacy
import tldextract
from presidio_analyzer import AnalyzerEngine, LocalRecognizer, RecognizerRegistry, RecognizerResult
from presidio_analyzer.nlp_engine import NerModelConfiguration, NlpArtifacts, SpacyNlpEngine

from maillage.deid import gazetteer, learned, machine_text, names
from maillage.deid.engine import _EXCLUDED_PIPES, _KIND_ENTITIES, LANGUAGE, MODEL_NAME
from maillage.deid.patterns import PATTERN_FINDERS, Candidate, Finder

__all__ = ["build"]


class _FrenchSpacyEngine(SpacyNlpEngine):
    """spaCy engine that loads the installed French model only, never downloads one."""

    def load(self) -> None:
        # Presidio declares the attribute as None until loaded.
        self.nlp = {  # type: ignore[assignment]
            LANGUAGE: spacy.load(MODEL_NAME, exclude=list(_EXCLUDED_PIPES))
        }


class _FinderRecognizer(LocalRecognizer):
    """Presidio wrapper around one of our pure ``find_*`` functions."""

    def __init__(self, name: str, finder: Finder, kinds: tuple[str, ...]) -> None:
        self._finder = finder
        super().__init__(
            supported_entities=[_KIND_ENTITIES[kind] for kind in kinds],
            supported_language=LANGUAGE,
            name=name,
        )

    def load(self) -> None:
        return None

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        return _results(self._finder(text))


class _NameRecognizer(LocalRecognizer):
    """Names from context rules and first names, plus the NER model's PER entities."""

    def __init__(self) -> None:
        super().__init__(
            supported_entities=["PERSON"], supported_language=LANGUAGE, name="maillage_names"
        )

    def load(self) -> None:
        return None

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        regions = names.eponym_regions(text)
        found = names.drop_weak_in_eponyms(names.find_rule_names(text), regions)
        if nlp_artifacts is not None:
            ner_spans = [
                (entity.start_char, entity.end_char, float(score))
                for entity, score in zip(nlp_artifacts.entities, nlp_artifacts.scores, strict=True)
                if entity.label_ == "PERSON"
            ]
            found.extend(names.filter_ner_names(text, ner_spans, regions))
        return _results(found)


# "examiné à 4h10": the model may take a clock time after "à" for a place.
_CLOCK_TIME: Final = re.compile(r"[0-9]{1,2}[ \u00a0]?[hH:][ \u00a0]?[0-9]{0,2}")


class _TownRecognizer(LocalRecognizer):
    """Towns (the gazetteer) and the NER model's locations after a location cue.

    The locations are places no list holds: hamlets, resorts, islands.
    """

    def __init__(self) -> None:
        super().__init__(
            supported_entities=["FR_ADDRESS"], supported_language=LANGUAGE, name="maillage_fr_towns"
        )

    def load(self) -> None:
        return None

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        places: list[tuple[int, int]] = []
        if nlp_artifacts is not None and nlp_artifacts.tokens is not None:
            places = [
                (entity.start_char, entity.end_char)
                for entity in nlp_artifacts.tokens.ents
                if entity.label_ == "LOC" and not _CLOCK_TIME.fullmatch(entity.text)
            ]
        return _results(gazetteer.find_town_addresses(text, places))


class _LearnedRecognizer(LocalRecognizer):
    """Names and addresses from the model trained on our annotated texts (:mod:`.learned`).

    Its spans join the rules' candidates: the longest span wins, so it only adds recall.
    """

    def __init__(self) -> None:
        super().__init__(
            supported_entities=["PERSON", "FR_ADDRESS"],
            supported_language=LANGUAGE,
            name="maillage_learned",
        )

    def load(self) -> None:
        return None

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        return _results(learned.find(text))


class _MachineTextRecognizer(LocalRecognizer):
    """Identifiers spoken in words, read by OCR or written by machines (:mod:`.machine_text`)."""

    def __init__(self) -> None:
        super().__init__(
            supported_entities=list(_KIND_ENTITIES.values()),
            supported_language=LANGUAGE,
            name="maillage_machine_text",
        )

    def load(self) -> None:
        return None

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        return _results(machine_text.find(text))


def _results(candidates: list[Candidate]) -> list[RecognizerResult]:
    # The engine adds the recognizer's name and id to each result's metadata.
    return [
        RecognizerResult(
            entity_type=_KIND_ENTITIES[c.kind], start=c.start, end=c.end, score=c.score
        )
        for c in candidates
    ]


_FINDER_KINDS: Final[Mapping[str, tuple[str, ...]]] = {
    "FR_NIR": ("nir",),
    "FR_HEALTH_PROFESSIONAL_ID": ("rpps", "adeli", "finess"),
    "PHONE_NUMBER": ("phone",),
    "EMAIL_ADDRESS": ("email",),
    "FR_ADDRESS": ("address",),
    "DATE_TIME": ("date",),
    "FR_AGE": ("age",),
}


def build() -> AnalyzerEngine:
    """The analyzer: loads the spaCy model (seconds, about 130 MB with its libraries)."""
    # Presidio's e-mail recognizer (not used, but importable by anyone extending the
    # registry) asks tldextract for the Public Suffix List over the network on first use.
    # Use the snapshot bundled with tldextract instead.
    tldextract.tldextract.TLD_EXTRACTOR = tldextract.TLDExtract(suffix_list_urls=())
    nlp_engine = _FrenchSpacyEngine(
        models=[{"lang_code": LANGUAGE, "model_name": MODEL_NAME}],
        ner_model_configuration=NerModelConfiguration(
            model_to_presidio_entity_mapping={
                "PER": "PERSON",
                "LOC": "LOCATION",
                "ORG": "ORGANIZATION",
                "MISC": "MISC",
            },
            labels_to_ignore=["LOCATION", "ORGANIZATION", "MISC"],
        ),
    )
    nlp_engine.load()
    registry = RecognizerRegistry(supported_languages=[LANGUAGE])
    for entity, finder in PATTERN_FINDERS:
        registry.add_recognizer(
            _FinderRecognizer(f"maillage_{entity.lower()}", finder, _FINDER_KINDS[entity])
        )
    gazetteer.commune_keys()  # read the communes now, not during the first text
    registry.add_recognizer(_TownRecognizer())
    registry.add_recognizer(_NameRecognizer())
    registry.add_recognizer(_MachineTextRecognizer())
    if learned.is_available():
        learned.get_model()  # load it now, not during the first text
        registry.add_recognizer(_LearnedRecognizer())
    return AnalyzerEngine(registry=registry, nlp_engine=nlp_engine, supported_languages=[LANGUAGE])
