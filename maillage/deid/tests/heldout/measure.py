"""Measure ``scrub`` on the held-out corpus, half by half.

Run ``python -m maillage.deid.tests.heldout.measure [--misses] [--half A|B|…|L]`` (with
``DJANGO_SETTINGS_MODULE`` set, as manage.py and pytest do). It prints, for each half,
recall per kind, precision per kind, the share of medical terms kept and the time per
text. Half A is the tuning half; halves B to G were report halves (see README.md):
looking at a report half's misses while changing the rules makes its figures worthless.

Scoring is the one of ``../test_corpus.py``: an expected span is found when every letter
and digit of it was removed, under any kind; a medical term is kept when it occurs as
often in the scrubbed text as in the original.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

from maillage.deid.tests.make_corpus import Entry, parse_source

HERE: Final = Path(__file__).resolve().parent
SOURCE: Final = HERE / "source.txt"
#: Half C, written after B's misses had been read (README.md), in its own file.
SOURCE_C: Final = HERE / "source_c.txt"
#: Half D, written after C's misses had been read (README.md), in its own file.
SOURCE_D: Final = HERE / "source_d.txt"
#: Half E, written after D's misses had been read (README.md), in its own file.
SOURCE_E: Final = HERE / "source_e.txt"
#: Half F, written after E's misses had been read (README.md), in its own file.
SOURCE_F: Final = HERE / "source_f.txt"
#: Half G, written after F's misses had been read (README.md), in its own file.
SOURCE_G: Final = HERE / "source_g.txt"
#: Half H, written after the sixth round's rules were frozen, measured on its first run only.
SOURCE_H: Final = HERE / "source_h.txt"
#: Half I, written after the seventh round's rules were frozen (tuned on H's misses),
#: measured on its first run only. Its ids start with "ii".
SOURCE_I: Final = HERE / "source_i.txt"
#: Half J, written blind (its author never read the rules) before the eighth round froze,
#: measured on its first run only. Its ids start with "jj".
SOURCE_J: Final = HERE / "source_j.txt"
#: Half K, written blind before the ninth round froze, measured on its first run only. Its
#: ids start with "kk".
SOURCE_K: Final = HERE / "source_k.txt"
#: Half L, written blind while the tenth round was tuned, measured once after it froze
#: (024f731). Its ids start with "ll".
SOURCE_L: Final = HERE / "source_l.txt"
#: Halves M to Q, written blind in parallel by five helpers, each in one register (forum
#: posts typed fast; formal documents; a diverse population, overseas and abroad; rural and
#: medico-social care; text from machines: dictation, OCR, exports), measured once after
#: the eleventh round froze (c5a4781). Their ids start with "mm", "nn", "oo", "pp", "qq".
SOURCE_M: Final = HERE / "source_m.txt"
SOURCE_N: Final = HERE / "source_n.txt"
SOURCE_O: Final = HERE / "source_o.txt"
SOURCE_P: Final = HERE / "source_p.txt"
SOURCE_Q: Final = HERE / "source_q.txt"
#: Halves R to T, written blind in parallel by three helpers (everyday general practice
#: and hospital writing; patients' own messages; paediatrics, maternity, child protection,
#: psychiatry and prison health), measured once after the twelfth round froze (5f8c19d).
#: Their ids start with "rr", "ss", "tt".
SOURCE_R: Final = HERE / "source_r.txt"
SOURCE_S: Final = HERE / "source_s.txt"
SOURCE_T: Final = HERE / "source_t.txt"
#: Halves U to W, written blind in parallel by three helpers (specialist letters and tumour
#: boards; emergencies and forensic medicine; case posts that leak), measured once after
#: the thirteenth round froze (fe99c08). Their ids start with "uu", "vv", "ww".
SOURCE_U: Final = HERE / "source_u.txt"
SOURCE_V: Final = HERE / "source_v.txt"
SOURCE_W: Final = HERE / "source_w.txt"
HALVES: Final = (
    *("A", "B", "C", "D", "E", "F", "G", "H", "I", "J", "K", "L"),
    *("M", "N", "O", "P", "Q", "R", "S", "T", "U", "V", "W"),
)
#: The sources of halves not yet measured, by half: out of `HALVES`, and read only by
#: `load(half)` for that half, so that no tuning loop, training set or gate opens them
#: before their one measured run (`--half X`). Empty while every half has been measured.
BLIND_SOURCES: Final[dict[str, Path]] = {}
BLIND: Final = tuple(BLIND_SOURCES)
GATED_KINDS: Final = ("name", "nir", "phone", "email", "address", "dob", "rpps")
ALL_KINDS: Final = (*GATED_KINDS, "date", "adeli", "finess", "age")


def half_of(entry_id: str) -> str:
    """Odd-numbered h-texts are the tuning half A, even ones half B; c- to g-texts are C-G.

    Half H's ids start with "hh" (hh001, …): "h" was taken by A and B.
    """
    if entry_id.startswith("hh"):
        return "H"
    if entry_id.startswith("ii"):
        return "I"
    if entry_id.startswith("jj"):
        return "J"
    if entry_id.startswith("kk"):
        return "K"
    if entry_id.startswith("ll"):
        return "L"
    if entry_id[:2] in ("mm", "nn", "oo", "pp", "qq", "rr", "ss", "tt", "uu", "vv", "ww"):
        return entry_id[0].upper()
    if entry_id[0] in "cdefg":
        return entry_id[0].upper()
    return "A" if int(entry_id.lstrip("h")) % 2 else "B"


def load(half: str | None = None) -> list[Entry]:
    if half in BLIND_SOURCES:
        blind = parse_source(BLIND_SOURCES[half].read_text(encoding="utf-8"))
        return [e for e in blind if half_of(e["id"]) == half]
    entries = [
        *parse_source(SOURCE.read_text(encoding="utf-8")),
        *parse_source(SOURCE_C.read_text(encoding="utf-8")),
        *parse_source(SOURCE_D.read_text(encoding="utf-8")),
        *parse_source(SOURCE_E.read_text(encoding="utf-8")),
        *parse_source(SOURCE_F.read_text(encoding="utf-8")),
        *parse_source(SOURCE_G.read_text(encoding="utf-8")),
        *parse_source(SOURCE_H.read_text(encoding="utf-8")),
        *parse_source(SOURCE_I.read_text(encoding="utf-8")),
        *parse_source(SOURCE_J.read_text(encoding="utf-8")),
        *parse_source(SOURCE_K.read_text(encoding="utf-8")),
        *parse_source(SOURCE_L.read_text(encoding="utf-8")),
        *(
            entry
            for source in (
                SOURCE_M,
                SOURCE_N,
                SOURCE_O,
                SOURCE_P,
                SOURCE_Q,
                SOURCE_R,
                SOURCE_S,
                SOURCE_T,
                SOURCE_U,
                SOURCE_V,
                SOURCE_W,
            )
            for entry in parse_source(source.read_text(encoding="utf-8"))
        ),
    ]
    if half is None:
        return entries
    return [e for e in entries if half_of(e["id"]) == half]


@dataclass
class Score:
    texts: int = 0
    seconds: float = 0.0
    expected: Counter[str] = field(default_factory=Counter)
    found: Counter[str] = field(default_factory=Counter)
    findings: Counter[str] = field(default_factory=Counter)
    right: Counter[str] = field(default_factory=Counter)
    kept: int = 0
    keep_total: int = 0
    misses: list[str] = field(default_factory=list)
    lost_terms: list[str] = field(default_factory=list)
    false_positives: list[str] = field(default_factory=list)

    def recall(self, kind: str) -> float:
        return self.found[kind] / self.expected[kind] if self.expected[kind] else 1.0

    def precision(self, kind: str) -> float:
        return self.right[kind] / self.findings[kind] if self.findings[kind] else 1.0

    @property
    def keep_rate(self) -> float:
        return self.kept / self.keep_total if self.keep_total else 1.0


def score(entries: list[Entry]) -> Score:
    # Imported here so that ``load`` works without the spaCy model.
    from maillage.deid.text import scrub

    result = Score()
    for entry in entries:
        text = entry["text"]
        started = time.perf_counter()
        scrubbed = scrub(text)
        result.seconds += time.perf_counter() - started
        result.texts += 1
        removed = [False] * len(text)
        for finding in scrubbed.findings:
            removed[finding.start : finding.end] = [True] * (finding.end - finding.start)
        expected = entry["expected"]
        for span in expected:
            kind = "dob" if span.get("dob") else span["kind"]
            result.expected[kind] += 1
            piece = range(span["start"], span["end"])
            if all(removed[i] for i in piece if text[i].isalnum()):
                result.found[kind] += 1
            else:
                result.misses.append(f"{entry['id']} {kind}: {text[span['start'] : span['end']]!r}")
        for finding in scrubbed.findings:
            result.findings[finding.kind] += 1
            if any(finding.start < s["end"] and s["start"] < finding.end for s in expected):
                result.right[finding.kind] += 1
            else:
                result.false_positives.append(
                    f"{entry['id']} {finding.kind}: {text[finding.start : finding.end]!r}"
                )
        for term in entry["keep"]:
            result.keep_total += 1
            if scrubbed.text.count(term) >= text.count(term):
                result.kept += 1
            else:
                result.lost_terms.append(f"{entry['id']}: {term!r}")
    return result


def report(half: str, result: Score, *, misses: bool) -> str:
    lines = [
        f"half {half}: {result.texts} texts, "
        f"{1000 * result.seconds / max(result.texts, 1):.1f} ms per text",
        f"{'kind':8} {'spans':>5} {'recall':>7} {'findings':>8} {'precision':>9}",
    ]
    for kind in ALL_KINDS:
        gate = " *" if kind in GATED_KINDS else ""
        lines.append(
            f"{kind:8} {result.expected[kind]:5d} {result.recall(kind):7.3f} "
            f"{result.findings[kind]:8d} {result.precision(kind):9.3f}{gate}"
        )
    lines.append("(* gated kinds; dates of birth are found as kind 'date', counted there)")
    lines.append(f"medical terms kept: {result.kept}/{result.keep_total} = {result.keep_rate:.3f}")
    if misses:
        lines += ["missed:", *(f"  {m}" for m in result.misses)]
        lines += ["medical terms lost:", *(f"  {t}" for t in result.lost_terms)]
        lines += ["findings outside any expected span:"]
        lines += [f"  {f}" for f in result.false_positives]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--half", choices=(*HALVES, *BLIND), action="append")
    parser.add_argument("--misses", action="store_true", help="list misses and lost terms")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    import django

    django.setup()
    from maillage.deid import engine

    started = time.perf_counter()
    engine.get_analyzer()
    sys.stdout.write(f"engine ready in {time.perf_counter() - started:.1f} s\n")
    for half in args.half or HALVES:
        sys.stdout.write(report(half, score(load(half)), misses=args.misses) + "\n\n")


if __name__ == "__main__":
    main()
