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


_ID = re.compile(r"^([TERAMN]\d+|#\d*|\*)\t")  # brat's annotation ids; only T (spans) and E (events) are read
_T_LINE = re.compile(r"^(T\d+)\t(\S+) (\d+ \d+(?:;\d+ \d+)*)\t")


def parse_ann(ann: str, text_length: int | None = None) -> list[dict[str, list[dict[str, int]]]]:
    """Attributions of one brat .ann file. A line that is neither an annotation nor the rest of a span's text
    (which may run over several lines), a span that ends before it starts or past the text, or an event that
    names a span the file does not hold is a ValueError."""
    spans: dict[str, tuple[str, list[dict[str, int]]]] = {}
    events = []
    in_text = False  # the previous line was a span's, so this one may go on with its text
    for n, line in enumerate(ann.splitlines(), 1):
        if not _ID.match(line):
            if not (in_text or not line.strip()):
                raise ValueError(f"line {n} is not a brat annotation: {line[:60]!r}")
            continue
        in_text = line.startswith("T")
        if in_text:
            m = _T_LINE.match(line)
            if m is None:
                raise ValueError(f"line {n} is not a brat text span: {line[:60]!r}")
            parts = [tuple(map(int, r.split())) for r in m.group(3).split(";")]
            if any(a > b or (text_length is not None and b > text_length) for a, b in parts):
                raise ValueError(f"line {n}: span {m.group(3)} does not lie in the text ({text_length} characters)")
            spans[m.group(1)] = (m.group(2), [{"start": a, "end": b} for a, b in parts])
        elif line.startswith("E"):
            events.append((n, dict(re.findall(r"(\w+):(\w+)", line.split("\t", 1)[-1]))))
    out = []
    for n, roles in events:
        att: dict[str, list[dict[str, int]]] = {"source": [], "cue": [], "content": []}
        for role, tid in roles.items():
            if tid not in spans:
                raise ValueError(f"line {n}: event names {tid}, which the file does not hold")
            key = role.rstrip("0123456789").lower()  # "Content2": the second part of a split content
            if key in att:
                att[key] += spans[tid][1]
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
            text = text_file.read_text(encoding="utf-8")
            try:
                attributions = parse_ann(ann.read_text(encoding="utf-8"), len(text))
            except ValueError as e:
                raise DatasetError(f"polnear: {ann}: {e}") from None
            rows["id"].append(article)
            rows["text"].append(text)
            rows["attributions"].append(attributions)
        splits[split] = Dataset.from_dict(rows, features=FEATURES)
    return DatasetDict(splits)
