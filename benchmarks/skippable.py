"""How much article text could skip the parser (issue 4 §2): the share of characters in paragraphs where the
segmenter finds no statement, on real news, and the share a filter before the parser could recognise (no cue
word of the lexicon in any inflection, no quote mark). It bounds what skipping "text that can hold no
statement" could save: the parser's time is about proportional to the text it reads, and a skipped paragraph
would still be needed for the names and titles that later statements resolve to.

    python benchmarks/skippable.py [--sample 7] [--out benchmarks/results/skippable.json]
"""
from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpora import bbc, fnc1, machine  # noqa: E402

import stance  # noqa: E402
from stance.segment import load_lexicon  # noqa: E402

_QUOTE = re.compile(r"[\"“”]|(?:^|\s)['‘]")


def cue_pattern() -> re.Pattern[str]:
    """Any reporting or stance word of the lexicon, in any regular inflection, or "said", "told", "according"."""
    lex = load_lexicon()
    forms = {"said", "says", "told", "tells", "wrote", "spoke", "according"}
    for w in {w.split()[0].lower() for w in (*lex.reporting_verbs, *lex.reporting_nouns, *lex.stance_verbs,
                                             *lex.stance_nouns, *lex.unanswered)}:
        stem = w[:-1] if w[-1] in "ey" else w
        forms |= {w, w + "s", w + "d", w + "ed", w + "ing", stem + "ed", stem + "ing", stem + "ies", stem + "ied"}
    return re.compile(r"\b(?:" + "|".join(sorted(map(re.escape, forms), key=len, reverse=True)) + r")\b", re.I)


def paragraph_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each non-empty line of a text."""
    spans, at = [], 0
    for line in text.split("\n"):
        if line.strip():
            spans.append((at, at + len(line)))
        at += len(line) + 1
    return spans


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--sample", type=int, default=7, help="every k-th article of each corpus")
    ap.add_argument("--out", default=str(Path(__file__).parent / "results" / "skippable.json"))
    args = ap.parse_args()
    pipeline = stance.load("rules")
    cue = cue_pattern()
    out: dict[str, object] = {"machine": machine()}
    for name, articles in (("bbc", bbc()), ("fnc1", fnc1())):
        texts = [a["text"] for a in articles[:: args.sample]]
        total = without = without_cue = 0
        for text, result in zip(texts, pipeline.pipe(texts)):
            for start, end in paragraph_spans(text):
                total += end - start
                if not any(s.start < end and s.end > start for s in result.statements):
                    without += end - start
                if not cue.search(text[start:end]) and not _QUOTE.search(text[start:end]):
                    without_cue += end - start
        out[name] = {"articles": len(texts), "characters": total, "share_without_statements": round(without / total, 4),
                     "share_without_cue_or_quote": round(without_cue / total, 4)}
        print(f"{name}: {len(texts)} articles; text in paragraphs without a statement {without / total:.1%}, "
              f"without a cue word or quote mark {without_cue / total:.1%}")
    Path(args.out).write_text(json.dumps(out, indent=2) + "\n")


if __name__ == "__main__":
    main()
