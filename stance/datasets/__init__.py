"""Benchmark splits as Hugging Face ``datasets.DatasetDict`` values, one loader per benchmark.

>>> from stance import datasets
>>> ds = datasets.load("meetstance")           # train / validation / test / test_unseen / check (+ real)
>>> ds = datasets.load("semeval2016", path="../shared/benchmarks/semeval2016-tweeteval")
"""
from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from datasets import DatasetDict

from ..settings import BENCHMARKS_DIR


class DatasetError(ValueError):
    """An unknown dataset name, a missing path or a malformed file."""


def _default_path(sub: str) -> Path:
    return BENCHMARKS_DIR / sub


def load(name: str, path: str | Path | None = None, **kwargs: Any) -> DatasetDict:
    """Load a benchmark by name: meetstance, semeval2016, polnear or plover (local paths; hub names are
    tried only when online and fail fast otherwise)."""
    from . import meetstance, plover, polnear, semeval

    loaders = {
        "meetstance": lambda p: meetstance.load(p, **kwargs),
        "semeval2016": lambda p: semeval.load(Path(p or _default_path("semeval2016-tweeteval"))),
        "polnear": lambda p: polnear.load(Path(p or _default_path("polnear"))),
        "plover": lambda p: plover.load(Path(p or _default_path("plover-gsr"))),
    }
    if name in loaders:
        return loaders[name](path)
    if "/" in name:
        return _from_hub(name)
    raise DatasetError(f"unknown dataset {name!r}; expected one of {sorted(loaders)} or a hub name (owner/name)")


def _from_hub(name: str) -> DatasetDict:
    import os

    if os.environ.get("HF_DATASETS_OFFLINE") == "1" or os.environ.get("HF_HUB_OFFLINE") == "1":
        raise DatasetError(f"dataset {name!r} is a hub name, but the hub is offline (HF_HUB_OFFLINE=1); "
                           "pass a local path instead")
    import datasets

    return datasets.load_dataset(name)


def require(path: Path, what: str, hint: str = "set STANCE_BENCHMARKS or pass path=") -> Path:
    if not path.exists():
        raise DatasetError(f"{what}: path {path} does not exist ({hint})")
    return path


def jsonl_records(file: Path, what: str) -> Iterator[tuple[int, dict[str, Any]]]:
    """(line number, record) for each non-blank line of a JSON-lines file; a line that is not a JSON object is
    a DatasetError naming the file and line."""
    for n, line in enumerate(file.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise DatasetError(f"{what}: {file.name} line {n} is not JSON: {exc}") from None
        if not isinstance(record, dict):
            raise DatasetError(f"{what}: {file.name} line {n} is not a JSON object")
        yield n, record
