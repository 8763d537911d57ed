"""PolNeAR: US political news (2016) with brat stand-off attributions (Source, Cue, Content spans).

Each row is one article: its text and its attributions, each {source, cue, content} as lists of
[start, end] character spans (an interrupted quote is one discontinuous Content). Articles annotated twice
keep the first annotator's file.
"""
from __future__ import annotations

import re
from pathlib import Path

from datasets import Dataset, DatasetDict, Features, Value

from . import DatasetError, require

_SPAN = Features({"start": Value("int32"), "end": Value("int32")})
FEATURES = Features({
    "id": Value("string"), "text": Value("string"),
    "attributions": [{"source": [_SPAN], "cue": [_SPAN], "content": [_SPAN]}],
})


def parse_ann(ann: str) -> list[dict[str, list[dict[str, int]]]]:
    """Attributions of one brat .ann file."""
    spans: dict[str, tuple[str, list[dict[str, int]]]] = {}
    out = []
    for line in ann.splitlines():
        if line.startswith("T"):
            tid, info, *_ = line.split("\t") + [""]
            kind, _, ranges = info.partition(" ")
            parts = [tuple(map(int, r.split())) for r in ranges.split(";") if r.strip()]
            spans[tid] = (kind, [{"start": a, "end": b} for a, b in parts])
        elif line.startswith("E"):
            _, info = line.split("\t", 1)
            roles = dict(re.findall(r"(\w+):(\w+)", info))
            att = {"source": [], "cue": [], "content": []}
            for role, tid in roles.items():
                key = role.lower()
                if key in att and tid in spans:
                    att[key] = spans[tid][1]
            if att["content"]:
                out.append(att)
    return out


def load(path: Path) -> DatasetDict:
    require(path, "polnear")
    splits = {}
    for split, sub in (("train", "train"), ("validation", "dev"), ("test", "test")):
        text_dir = require(path / sub / "text", "polnear")
        anns = sorted((path / sub / "attributions").glob("*.ann"))
        by_article: dict[str, Path] = {}
        for a in anns:
            article = a.stem.rsplit("_", 1)[0]
            by_article.setdefault(article, a)
        rows: dict[str, list] = {"id": [], "text": [], "attributions": []}
        for article, ann in sorted(by_article.items()):
            text_file = text_dir / f"{article}.txt"
            if not text_file.is_file():
                raise DatasetError(f"polnear: {ann.name} has no text file {text_file.name}")
            rows["id"].append(article)
            rows["text"].append(text_file.read_text(encoding="utf-8"))
            rows["attributions"].append(parse_ann(ann.read_text(encoding="utf-8")))
        splits[split] = Dataset.from_dict(rows, features=FEATURES)
    return DatasetDict(splits)
