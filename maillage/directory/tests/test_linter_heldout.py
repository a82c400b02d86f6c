"""The issue 8 figures over the blind sets E to L (lint_heldout.jsonl).

Each set was written before any pattern was changed for it, and run once; that first run
is the honest estimate of what an unseen corpus would score. Then its misses may teach the
rules, and it is no longer blind. Print the figures with
``pytest -s maillage/directory/tests/test_linter_heldout.py`` (per rule: ``per_rule``).

    E, first run:  violating caught 42/60 = 0.700, clean without error 28/30 = 0.933
    F, first run:  violating caught 38/52 = 0.731, clean without error 29/30 = 0.967

G (204 texts: 6 violating and 6 clean per rule L01-L17, plus 4 + 4 mixed) is written in
styles E and F lack: long presentations with one bad clause, paraphrases, typing errors and
missing accents, bullet lists, social-media posts, indirect prices, quoted testimonials;
and, for the profile rules, texts that break them in words ("profil sponsorisé", "tarifs :
nous consulter", "en cas d'urgence, laissez un message"):

    G, first run:  violating caught 42/106 = 0.396, clean without error 100/106 = 0.943
                   text rules 42/76 = 0.553 caught, 71/76 = 0.934 clean;
                   profile rules in words 0/30 caught, 29/30 clean
    G, after:      violating caught 105/106 = 0.991, clean without error 105/106 = 0.991
                   (rules frozen at 07076c7; text rules 75/76 and 75/76, profile 30/30)

G's "after" is no estimate: the rules were generalised (proximity patterns, negation scope,
typing errors mended, the profile rules in words) from E/F/tuning and G's per-rule
figures, but by the same hand that wrote G. H (140 texts: 4 + 4 per rule, 2 + 2 mixed) was
written after the freeze and run once:

    H, first run:  violating caught 26/70 = 0.371, clean without error 67/70 = 0.957
                   text rules 22/50 = 0.440 caught, 47/50 = 0.940 clean;
                   profile rules in words 4/20 caught, 20/20 clean

So the linter stays far from the issue's 0.90 on text it has never seen: each new set
brings paraphrases no pattern foresaw (see README, J8). H's misses then taught a second
round (rules frozen again at the commit that added this paragraph): H 70/70 and 70/70,
G 105/106 and 106/106. I (106 texts: 3 + 3 per rule, 2 + 2 mixed), written after that
second freeze and run once, measures the second round:

    I, first run:  violating caught 39/53 = 0.736, clean without error 48/53 = 0.906
                   text rules 30/38 = 0.789 caught, 34/38 = 0.895 clean;
                   profile rules in words 9/15 caught, 14/15 clean

Closer on catching, but the broader patterns began to cry wolf on clean text (0.906).
A third round from I's misses and false alarms (frozen at the commit that added this
paragraph; I no longer blind: 53/53 and 53/53) scoped "le meilleur ... de la région" as
a superlative and "le meilleur traitement de X est" as advice, made "sans" deny what
follows it at once, and kept public services (santé universitaire) out of commerce.
J (106 texts: 3 + 3 per rule, 2 + 2 mixed), written after that third freeze, run once:

    J, first run:  violating caught 28/53 = 0.528, clean without error 53/53 = 1.000
                   text rules 21/38 = 0.553 caught, 38/38 = 1.000 clean;
                   profile rules in words 7/15 caught, 15/15 clean

The honest first runs after each freeze (H 0.37, I 0.74, J 0.53 caught; 0.96, 0.91, 1.00
clean) put the linter at about half of unseen violations, far from the issue's 0.90.
A fourth round from J's misses (rules frozen at a4efd10; J no longer blind: 52/53 and
53/53) was measured by K (106 texts: 3 + 3 per rule, 2 + 2 mixed), written after that
freeze and run once, with no rule change since:

    K, first run:  violating caught 44/53 = 0.830, clean without error 52/53 = 0.981
                   text rules 33/38 = 0.868 caught, 37/38 = 0.974 clean;
                   profile rules in words 11/15 caught, 15/15 clean

K is the estimate of the hidden corpus for the rules as they stand; with 3 texts a rule
it is rough (the first runs swing from 0.37 to 0.83 with each writer's mood), and still
under the issue's 0.90. What K still misses: details withheld in new words ("adresse
envoyée par SMS la veille", "je ne publie ni mon adresse ni mon téléphone"), fees "donnés
uniquement en consultation", "a diploma in aesthetic medicine from a private academy",
"jamais fait l'objet de la moindre sanction ordinale", a brand as "partenaire du
cabinet", "les urgences attendront la réouverture", "unlike lazy GPs", "a wellness spa
next door"; and it cried wolf once, on "le témoignage de votre entourage" (a relative's
account that helps a diagnosis, not a patient's praise).
E, G and H are gated at what was reached, F at its first run, so that later changes cannot
fall back under them.

Patterns alone would not reach 0.90, so a second, learned tier (``learned.py``: TF-IDF over
folded, stemmed words and word pairs and character n-grams, one logistic regression per
rule) adds *warnings*, never errors, on sentences that resemble the corpus's violations.
It is trained on A, B and E to J (``manage.py train_lint_model``); K and L stay out of
training. Its threshold (0.6) came from a 3-fold cross-validation grouped by set (A+B,
E+F+G, H+I+J): the model alone caught 351/643 = 0.546 of the held-out fold's violating
texts, and warned on 18/535 = 0.034 clean texts with a rule no pattern had found (0.5:
0.621 and 0.047; 0.7: 0.487 and 0.021). L (106 texts: 3 + 3 per rule, 2 + 2 mixed;
paraphrases, long presentations, typing errors, English) was written and committed
(465d233) before the model was trained, the model frozen at 28bad19, then L run once;
K, never trained on, was run at the same time. "Caught" counts findings of any severity;
"clean" is without an error, then without any finding at all:

    K, patterns:   caught 44/53 = 0.830, clean 52/53 = 0.981, no finding 52/53 = 0.981
    K, both tiers: caught 50/53 = 0.943, clean 52/53 = 0.981, no finding 48/53 = 0.906
    L, patterns:   caught 42/53 = 0.792, clean 51/53 = 0.962, no finding 51/53 = 0.962
    L, both tiers: caught 48/53 = 0.906, clean 51/53 = 0.962, no finding 50/53 = 0.943

The learned tier cannot lower "clean without error"; its cost is the false warning: on
K and L together it warned on 6 of 106 clean texts (K: "Titulaire du DES de
dermatologie", "There is no miracle cure...", "Une plainte ? Adressez-vous au
médiateur", "No sponsored content on this profile"; L: "The best way to reach us is by
phone", and a text the patterns already flagged). It reads topics, not negations: a
denial in the rule's own words ("Votre profil ne sera jamais sponsorisé") can draw a
warning the patterns would not give. Still missed on L: the practice address withheld in
English, fees "disclosed at the practice only", a fast that "fait reculer les tumeurs",
an e-mail for emergencies with a typo, and the L04 of a mixed L04 + L07 text ("Meilleur
ostéo-médecin de Nancy selon mes patients", found L07 and L11, not L04). K and L are gated at
their first run with both tiers.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from maillage.directory.tests.lint_figures import TEXT_RULES, Figures, load, measure

HELDOUT = Path(__file__).with_name("lint_heldout.jsonl")
REQUIRED = {
    "E": (0.90, 0.95),
    # First run of F (38/52 caught): below the 0.90 target, so that is its floor.
    "F": (38 / 52, 0.95),
    # G after the generalisation, frozen at 07076c7: 105/106 caught, 105/106 clean.
    "G": (0.95, 0.95),
    # First run of H after the freeze: 26/70 caught, 67/70 clean; after its own round 70/70.
    "H": (0.95, 0.95),
    # First run of I after the second freeze: 39/53 caught, 48/53 clean; then 53/53.
    "I": (0.95, 0.95),
    # First run of J after the third freeze: 28/53 caught, 53/53 clean; then 52/53.
    "J": (0.95, 0.95),
    # First run of K after the fourth freeze (the current estimate): 44/53 and 52/53.
    "K": (50 / 53, 52 / 53),
    # K with the learned tier too (never trained on): 50/53 and 52/53.
    # First run of L after the learned tier was frozen (28bad19): 48/53 and 51/53.
    "L": (48 / 53, 51 / 53),
}


@pytest.fixture(scope="module")
def figures() -> dict[str, Figures]:
    return measure(HELDOUT, tuple(REQUIRED))


def test_each_set_has_35_violating_texts_over_every_text_rule_and_25_clean() -> None:
    entries = load(HELDOUT)
    assert len({e["id"] for e in entries}) == len(entries)
    for name in REQUIRED:
        violating = [e for e in entries if e["half"] == name and e["expected"]]
        clean = [e for e in entries if e["half"] == name and not e["expected"]]
        assert len(violating) >= 35, name
        assert len(clean) >= 25, name
        assert {e["target"] for e in violating} >= set(TEXT_RULES), name


@pytest.mark.parametrize("name", list(REQUIRED))
def test_violating_texts_are_caught_with_the_right_rule(
    figures: dict[str, Figures], name: str
) -> None:
    assert figures[name].caught_rate >= REQUIRED[name][0]


@pytest.mark.parametrize("name", list(REQUIRED))
def test_clean_texts_have_no_error(figures: dict[str, Figures], name: str) -> None:
    assert figures[name].clean_rate >= REQUIRED[name][1]
