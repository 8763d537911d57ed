"""Archive runs: every input record to exactly one output record, in atomic parts, resumable.

``run`` streams records through a ``Pipeline`` and writes the results to ``OUTPUT.parts/`` in parts of
``part_size`` records, each written to a temporary file and renamed, named by the input positions it holds
(``part-000000000-001000.jsonl``: 1,000 records from position 0). When the input is exhausted the parts are
joined into ``OUTPUT`` (again through a temporary file) and removed. A run killed at any moment leaves only
whole parts behind; ``resume=True`` counts them, skips that many input records (their ids must be those in the
parts) and goes on, so the joined output has no gaps and no duplicates. Standard output ("-") is streamed
directly and cannot be resumed.
"""
from __future__ import annotations

import itertools
import os
import re
import shutil
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import io
from .io import is_parquet
from .pipeline import Pipeline, Record, StageTimes, check_batching
from .types import ArticleResult

_PART = re.compile(r"part-(\d{9,})-(\d{6,})\.(jsonl|parquet)$")  # wider numbers for larger runs and parts


@dataclass
class RunSummary:
    """What a run did. ``inputs == outputs`` always holds for a finished run."""

    inputs: int = 0
    outputs: int = 0
    resumed: int = 0
    statements: int = 0
    errors: int = 0
    seconds: float = 0.0
    times: StageTimes = field(default_factory=StageTimes)
    write: float = 0.0

    def line(self) -> str:
        t = self.times
        resumed = f" (resumed after {self.resumed})" if self.resumed else ""
        return (f"inputs: {self.inputs}{resumed}  outputs: {self.outputs}  statements: {self.statements}  "
                f"errors: {self.errors}  seconds: {self.seconds:.1f}  [parse {t.parse:.1f}s, attribute "
                f"{t.attribute:.1f}s, classify {t.classify:.1f}s, write {self.write:.1f}s]")


def parts_dir(output: str | Path) -> Path:
    return Path(f"{output}.parts")


def done_parts(output: str | Path) -> list[tuple[int, int, Path]]:
    """(start, count, path) of the whole parts of an interrupted run, checked to be contiguous from 0."""
    parts = sorted((int(m[1]), int(m[2]), p) for p in parts_dir(output).glob("part-*")
                   if (m := _PART.match(p.name)))
    expected = 0
    for start, count, path in parts:
        if start != expected:
            raise ValueError(f"{parts_dir(output)} has a gap before {path.name}: remove the directory and rerun")
        expected += count
    return parts


def run(pipeline: Pipeline, records: Iterable[Record], output: str, *, batch_size: int = 64, workers: int = 0,
        part_size: int = 1000, resume: bool = False,
        on_result: Callable[[ArticleResult, RunSummary], None] | None = None) -> RunSummary:
    """Process ``records`` into ``output`` (.jsonl or .parquet, or "-" for JSONL on stdout).

    ``on_result`` is called after each result (progress display); ``pipeline.times`` is reset."""
    if part_size < 1:
        raise ValueError(f"part_size must be at least 1, got {part_size}")
    check_batching(batch_size, workers)
    check_output(output)
    t0 = time.perf_counter()
    summary = RunSummary()
    if output == "-":
        if resume:
            raise ValueError("--resume needs an output file, not standard output")
        parts: list[tuple[int, int, Path]] = []
    else:
        if parts_dir(output).exists() and not resume:
            raise ValueError(f"{parts_dir(output)} holds an interrupted run: pass --resume to continue it, "
                             "or remove the directory")
        parts = done_parts(output) if resume else []
        for stale in parts_dir(output).glob(".*"):  # temporary files of a part being written when killed
            stale.unlink()
    summary.resumed = sum(count for _, count, _ in parts)
    done_ids = (r["id"] for *_, path in parts for r in io.read_results(path))

    def counted(source: Iterable[Record]) -> Iterable[Record]:
        for n, r in enumerate(source):
            summary.inputs += 1
            r = _numbered(n, r)
            if n < summary.resumed:
                _check_resumed(n, r, next(done_ids), output)
            yield r

    summary.outputs = summary.resumed
    pipeline.times = summary.times = StageTimes()
    results = pipeline.pipe(itertools.islice(counted(records), summary.resumed, None), batch_size=batch_size,
                            workers=workers)

    def dicts() -> Iterable[dict[str, Any]]:
        for r in results:
            summary.outputs += 1
            summary.statements += len(r.statements)
            summary.errors += r.error is not None
            if on_result:
                on_result(r, summary)
            yield r.to_dict()

    if output == "-":
        io.write_jsonl(dicts(), "-")
    else:
        suffix = "parquet" if is_parquet(output) else "jsonl"
        parts_dir(output).mkdir(parents=True, exist_ok=True)
        stream = dicts()
        start = summary.resumed
        while batch := list(itertools.islice(stream, part_size)):
            tw = time.perf_counter()
            _write(batch, parts_dir(output) / f"part-{start:09d}-{len(batch):06d}.{suffix}")
            summary.write += time.perf_counter() - tw
            start += len(batch)
        if summary.inputs < summary.resumed:
            raise ValueError(f"the input has {summary.inputs} records but the interrupted run wrote "
                             f"{summary.resumed}: is it the same input?")
        written = done_parts(output)
        if sum(count for _, count, _ in written) != summary.outputs:  # never join (and delete) parts we cannot see
            raise RuntimeError(f"{parts_dir(output)} holds {sum(c for _, c, _ in written)} records in whole parts, "
                               f"not the {summary.outputs} written: the parts are kept")
        tw = time.perf_counter()
        _join(output, [p for *_, p in written])
        summary.write += time.perf_counter() - tw
    summary.seconds = time.perf_counter() - t0
    return summary


def _numbered(n: int, record: Record) -> Record:
    """A record with its position in the whole input as its id when it has none (``Pipeline.pipe`` numbers what
    it is given, which after a resume starts past the first records); what is not an object is an error record."""
    if isinstance(record, str):
        return {"id": str(n), "text": record}
    if not isinstance(record, dict):
        return {"id": str(n), "error": f"record {n} is a {type(record).__name__}, not an object"}
    return {**record, "id": str(n)} if record.get("id") is None else record


def _check_resumed(n: int, record: Record, done_id: str, output: str) -> None:
    """A resumed run's input must begin with the records the interrupted run wrote."""
    got = io.id_text(record["id"])
    if got != done_id:
        raise ValueError(f"record {n} of the input has id {got!r}, but the interrupted run wrote {done_id!r} there: "
                         f"is it the same input? (remove {parts_dir(output)} to start again)")


_TABLES = {".csv", ".tsv", ".xls", ".xlsx", ".ods"}  # output names that promise another format


def check_output(output: str) -> None:
    """Fail before any work on an output that cannot be written: a directory, a compressed name (the output is
    plain JSONL or Parquet), a table's name (".csv"), a folder that does not exist."""
    if output == "-":
        return
    path = Path(output)
    if path.is_dir():
        raise ValueError(f"output {output} is a directory: name a .jsonl or .parquet file")
    if path.suffix.lower() in {".gz", ".bz2", ".xz", ".zst", ".zip"}:
        raise ValueError(f"output {output}: compressed output is not written; name a .jsonl or .parquet file "
                         "(Parquet is compressed)")
    if path.suffix.lower() in _TABLES:
        raise ValueError(f"output {output}: name a .jsonl or .parquet file (a {path.suffix} name would hold JSON "
                         "lines)")
    if not path.parent.is_dir():
        raise ValueError(f"output folder {path.parent} does not exist")
    if not os.access(path.parent, os.W_OK):
        raise ValueError(f"output folder {path.parent} is not writable")


def _write(batch: list[dict[str, Any]], path: Path) -> None:
    (io.write_parquet if is_parquet(path) else io.write_jsonl)(batch, path)


def _join(output: str, parts: list[Path]) -> None:
    """Concatenate the parts into ``output`` atomically, then remove them."""
    if is_parquet(output):
        io.write_parquet_parts(parts, output)
    else:
        with io.atomic_output(output, "wb") as out:
            for part in parts:
                with open(part, "rb") as fh:
                    shutil.copyfileobj(fh, out)
    shutil.rmtree(parts_dir(output))
