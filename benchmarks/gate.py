"""The gate: how many statements it keeps away from the transformer, and how many labelled stances it would
lose (statements labelled willing / rejecting / conditional that it would mark none), per MeetStance split.

    python benchmarks/gate.py
"""
from __future__ import annotations

import json

import stance
from stance import datasets


def main() -> None:
    p = stance.load("rules")
    data = datasets.load("meetstance", templates=False)
    out = {}
    for split in data:
        stances = [t for t, y in zip(data[split]["text"], data[split]["label"]) if y != 3]
        nones = [t for t, y in zip(data[split]["text"], data[split]["label"]) if y == 3]
        out[split] = {"stance_examples": len(stances), "lost": sum(not p.analyzer.could_be_about_meeting(t) for t in stances),
                      "none_examples": len(nones), "none_gated": sum(not p.analyzer.could_be_about_meeting(t) for t in nones)}
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
