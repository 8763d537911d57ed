"""Counts for the MeetStance data card: examples per split, label, source and domain; phenomena tags.

    python benchmarks/corpus_stats.py
"""
from __future__ import annotations

import collections
import json

from stance import datasets
from stance.settings import DATA_DIR
from stance.types import LABELS


def main() -> None:
    data = datasets.load("meetstance")
    arts = datasets.load("meetstance", articles=True)
    print("| split | n | " + " | ".join(LABELS) + " | sources |\n|---|---|" + "---|" * (len(LABELS) + 1))
    for split in data:
        c = collections.Counter(data[split]["label"])
        src = dict(collections.Counter(data[split]["source"]))
        print(f"| {split} | {len(data[split])} | " + " | ".join(str(c[i]) for i in range(len(LABELS))) + f" | {src} |")
    print(f"\ngold articles per split: { {s: len(arts[s]) for s in arts} }")
    words = [len(t.split()) for s in arts for t in arts[s]["text"]]
    print(f"article length (words): min {min(words)}, max {max(words)}, mean {sum(words) / len(words):.0f}")
    dom = collections.Counter()
    for split in data:
        if split != "real":
            dom.update(data[split]["domain"])
    print("\nexamples per domain:", dict(sorted(dom.items())))
    phen = collections.Counter()
    for f in sorted((DATA_DIR / "meetstance" / "statements").glob("**/*.jsonl")):
        for line in f.read_text(encoding="utf-8").splitlines():
            phen.update(json.loads(line).get("phenomena", []))
    print("standalone statements (supplement included) per phenomenon tag:", dict(phen.most_common()))
    kinds = collections.Counter(s["kind"] for sp in arts for st in arts[sp]["statements"] for s in json.loads(st))
    print("gold article statements per kind:", dict(kinds))


if __name__ == "__main__":
    main()
