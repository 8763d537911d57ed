"""Readers and writers for archives: .txt files, directories of them, JSONL(.gz), Parquet, stdin.

Readers yield plain records ``{"id", "text", ...}``; a line or row that cannot be read becomes a record with
an ``error`` (never a crash and never a silent drop). Writers write to a temporary file and rename it when
done, so an output file is either complete or absent.
"""
from __future__ import annotations

import gzip
import json
import os
import sys
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

Record = dict[str, Any]


def read_records(inputs: Iterable[str | Path]) -> Iterator[Record]:
    """Records from every input, in order: a .txt file is one article (id = file stem)."""
    for item in inputs:
        name = str(item)
        if name == "-":
            yield from _jsonl_lines(sys.stdin, "<stdin>")
            continue
        path = Path(name)
        if not path.exists():
            yield {"id": name, "error": f"input {name} does not exist"}
        elif path.is_dir():
            for child in sorted(path.rglob("*.txt")):
                yield read_text_file(child)
        elif name.endswith((".jsonl", ".jsonl.gz", ".json.gz", ".ndjson")):
            opener = gzip.open if name.endswith(".gz") else open
            try:
                with opener(path, "rt", encoding="utf-8", errors="replace") as fh:
                    yield from _jsonl_lines(fh, name)
            except (OSError, EOFError) as exc:
                yield {"id": name, "error": f"cannot read {name}: {exc}"}
        elif name.endswith(".parquet"):
            yield from _parquet_rows(path)
        else:
            yield read_text_file(path)


def read_text_file(path: Path) -> Record:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return {"id": path.stem, "error": f"cannot read {path}: {exc}"}
    try:
        return {"id": path.stem, "text": raw.decode("utf-8")}
    except UnicodeDecodeError as exc:
        return {"id": path.stem, "text": raw.decode("utf-8", errors="replace"),
                "warning": f"invalid UTF-8 at byte {exc.start} replaced with U+FFFD"}


def _jsonl_lines(fh: IO[str], name: str) -> Iterator[Record]:
    for n, line in enumerate(fh, 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            yield {"id": f"{name}:{n}", "error": f"line {n} of {name} is not JSON: {exc.msg}"}
            continue
        if not isinstance(record, dict):
            yield {"id": f"{name}:{n}", "error": f"line {n} of {name} is a JSON {type(record).__name__}, not an object"}
            continue
        record.setdefault("id", f"{name}:{n}")
        yield record


def _parquet_rows(path: Path) -> Iterator[Record]:
    import pyarrow.parquet as pq

    try:
        pf = pq.ParquetFile(path)
    except Exception as exc:
        yield {"id": str(path), "error": f"cannot read Parquet file {path}: {exc}"}
        return
    if "text" not in pf.schema_arrow.names:
        yield {"id": str(path), "error": f"Parquet file {path} has no 'text' column (columns: {pf.schema_arrow.names})"}
        return
    n = 0
    for batch in pf.iter_batches(batch_size=1024):
        for row in batch.to_pylist():
            n += 1
            row.setdefault("id", f"{path}:{n}")
            row["id"] = str(row["id"]) if row["id"] is not None else f"{path}:{n}"
            yield row


@contextmanager
def atomic_output(path: str | Path, mode: str = "w") -> Iterator[IO]:
    """A file handle whose content appears at ``path`` only when the block finishes ("-" is stdout)."""
    if str(path) == "-":
        yield sys.stdout
        return
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    try:
        with os.fdopen(fd, mode, encoding=None if "b" in mode else "utf-8") as fh:
            yield fh
        os.replace(tmp, target)
    except BaseException:
        os.unlink(tmp)
        raise


def write_jsonl(records: Iterable[Record], path: str | Path) -> int:
    n = 0
    with atomic_output(path) as fh:
        for r in records:
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")
            n += 1
    return n


def write_parquet(records: Iterable[Record], path: str | Path, rows_per_group: int = 1000) -> int:
    """Results as Parquet: id, error and the statements as a JSON string column (a stable schema)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = pa.schema([("id", pa.string()), ("statements", pa.string()), ("error", pa.string()),
                        ("meta", pa.string())])
    n = 0
    with atomic_output(path, "wb") as fh:
        writer = pq.ParquetWriter(fh, schema)
        rows: list[Record] = []
        for r in records:
            meta = {k: v for k, v in r.items() if k not in ("id", "statements", "error")}
            rows.append({"id": r["id"], "statements": json.dumps(r.get("statements", []), ensure_ascii=False),
                         "error": r.get("error"), "meta": json.dumps(meta, ensure_ascii=False)})
            n += 1
            if len(rows) >= rows_per_group:
                writer.write_table(pa.Table.from_pylist(rows, schema))
                rows = []
        if rows:
            writer.write_table(pa.Table.from_pylist(rows, schema))
        writer.close()
    return n


def read_results(path: str | Path) -> Iterator[Record]:
    """Read back what ``write_jsonl`` or ``write_parquet`` wrote."""
    if str(path).endswith(".parquet"):
        import pyarrow.parquet as pq

        for row in pq.read_table(path).to_pylist():
            meta = json.loads(row.pop("meta") or "{}")
            yield {"id": row["id"], "statements": json.loads(row["statements"]), "error": row["error"], **meta}
    else:
        with open(path, encoding="utf-8") as fh:
            for line in fh:
                if line.strip():
                    yield json.loads(line)

