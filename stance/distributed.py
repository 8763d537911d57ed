"""The pipeline on Ray Data: the two halves of ``Pipeline.pipe`` as Ray stages, for archives and clusters.

    read_json / read_parquet   files, or directories of shards
    -> map_batches(_Analyse)   CPU actors, one ``Analyzer`` each: parse, segment, attribute, gate
    -> map_batches(_Classify)  an actor pool, one classifier each (one GPU each where the cluster has GPUs):
                               ``Pipeline.classify``
    -> write_json / _ParquetShards  a directory of shards, part-000000-UUID.jsonl (or .parquet), ...

Rows cross between the stages as ``Analysed.to_row()``. Every input row becomes exactly one output record with
the fields of ``ArticleResult.to_dict()`` (Parquet: ``stance.io.RESULT_SCHEMA``, as ``stance extract`` writes);
a row without a text is an error record, as in ``Pipeline.pipe``. Ray Data runs with ``preserve_order``, so
the shards, read in name order, hold the records in input order, and a rerun writes the same records.

Where this differs from the single-process reader (``stance.io.read_records``): every line must be a JSON
object and a field keeps one JSON type within a file (Arrow's reader fails the run otherwise); a row without
an id gets ``PATH#`` and a hash of its fields; repeated ids are not flagged; in JSONL shards a field that only
some records of a shard have (title, date, source, warning) is null in the others; a run is not resumable,
but a local output directory appears only when the run has finished (shards are renamed into place).
"""
from __future__ import annotations

import hashlib
import json
import os
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyarrow as pa
import pyarrow.json as pajson

if TYPE_CHECKING:
    import pandas as pd

try:
    import ray
    from ray.data.block import BlockAccessor
    from ray.data.datasource import BlockBasedFileDatasink, FilenameProvider
except ImportError as exc:  # pragma: no cover - depends on the installation
    raise ImportError("stance.distributed needs Ray Data: pip install 'stance[ray]'") from exc

from . import io
from .parse import load_nlp
from .pipeline import Analysed, Analyzer, Pipeline
from .settings import SPACY_MODEL, EngineSettings

# Input formats by file name ending; the text fields are read as strings (Arrow would make dates timestamps).
_FORMATS = {"json": ("jsonl", "jsonl.gz", "json.gz"), "parquet": ("parquet",)}
_STRINGS = pa.schema([(name, pa.string()) for name in ("text", "error", "format", "title", "date", "source",
                                                        "warning")])
_ROW = pa.schema([("result", pa.string()), ("pending", pa.string())])


@dataclass
class RaySummary:
    """What a Ray run wrote: ``articles`` output records (one per input row)."""

    output: str
    articles: int
    statements: int
    errors: int
    seconds: float

    def line(self) -> str:
        return (f"{self.output}: articles: {self.articles}  statements: {self.statements}  errors: {self.errors}  "
                f"seconds: {self.seconds:.1f}")


def run_ray(inputs: list[str], output: str, *, model: str | Path | None = None, spacy_model: str = SPACY_MODEL,
            gate: bool = True, truncate: bool = False, settings: EngineSettings | None = None,
            address: str | None = None, num_cpus: int | None = None, actors: int = 1, workers: int | None = None,
            num_gpus: float | None = None, batch_size: int = 64, parquet: bool | None = None) -> RaySummary:
    """Run the pipeline over ``inputs`` (.jsonl, .jsonl.gz, .parquet files or directories of them) on Ray.

    ``output`` is a directory of shards, Parquet when it ends in ``.parquet`` or ``parquet=True``, else JSONL.
    Connects to the cluster at ``address`` (e.g. "auto" or "HEAD_IP:6379"), else starts a local Ray with
    ``num_cpus`` (all when None); a Ray already initialised in this process is used as it is. ``actors``
    classifier actors, each with ``num_gpus`` GPUs (default: 1 when the cluster has GPUs, else 0);
    ``workers`` parsing actors at most (default: the cluster's CPUs less one per classifier actor and one
    for Ray Data's own tasks). ``batch_size`` articles go through each stage call together, as in
    ``Pipeline.pipe``."""
    paths = [str(p) for p in inputs]
    formats = {input_format(p) for p in paths}
    if len(formats) != 1:
        raise ValueError("a Ray run reads inputs of one format: all JSONL or all Parquet" if formats else "no inputs")
    parquet = output.rstrip("/").lower().endswith(".parquet") if parquet is None else parquet
    _check_output(output)
    started = not ray.is_initialized()
    if started and address:
        ray.init(address=address)
    elif started:
        ray.init(num_cpus=num_cpus, include_dashboard=False)
    # Order is preserved through the current DataContext, which a Dataset copies when it is made and some of
    # Ray's block operations read at run time; it is restored afterwards.
    options = ray.data.DataContext.get_current().execution_options
    preserved, options.preserve_order = options.preserve_order, True
    try:
        t0 = time.perf_counter()
        resources = ray.cluster_resources()
        gpus = (1 if resources.get("GPU", 0) > 0 else 0) if num_gpus is None else num_gpus
        cpus = int(resources.get("CPU", 1))
        workers = workers or max(1, cpus - actors - 1)
        # The actors leave one CPU to Ray Data's own tasks (listing and reading files, writing shards); on a
        # small machine each actor reserves a share of a CPU, else a pipeline can wait for a free CPU forever.
        share = min(1.0, max(0, cpus - 1) / (workers + actors))
        ds = _read(formats.pop(), paths)
        ds = ds.map_batches(_Analyse, fn_constructor_args=(spacy_model, gate, truncate), batch_size=batch_size,
                            batch_format="pyarrow", compute=ray.data.ActorPoolStrategy(min_size=1, max_size=workers),
                            num_cpus=share)
        ds = ds.map_batches(_Classify, fn_constructor_args=(model, settings, parquet),
                            batch_size=batch_size, batch_format="pyarrow",
                            compute=ray.data.ActorPoolStrategy(size=actors), num_cpus=share, num_gpus=gpus)
        # A local output appears whole or not at all: the shards go to a temporary sibling directory that is
        # renamed at the end (URIs such as s3:// are written in place).
        local = "://" not in output
        target = str(Path(output).with_name(f".{Path(output).name}.tmp-{uuid.uuid4().hex}")) if local else output
        if parquet:
            ds.write_datasink(_ParquetShards(target, filename_provider=_Shards("parquet"), file_format="parquet"))
        else:  # pandas writes the JSON: 15 significant digits (its most), non-ASCII text as it is
            ds.write_json(target, filename_provider=_Shards("jsonl"), force_ascii=False, double_precision=15)
        if local:
            Path(target).mkdir(parents=True, exist_ok=True)  # Ray writes nothing for an empty input
            if Path(output).is_dir():
                Path(output).rmdir()  # _check_output allowed only an empty one
            os.replace(target, output)
        return RaySummary(output, *_count(output, parquet), seconds=time.perf_counter() - t0)
    finally:
        options.preserve_order = preserved
        if started:
            ray.shutdown()


def input_format(path: str) -> str:
    """"json" or "parquet" for an input path, by its name or, for a directory, by the files in it."""
    name = path.rstrip("/")
    for fmt, endings in _FORMATS.items():
        if name.endswith(tuple(f".{e}" for e in endings)):
            return fmt
    local = Path(path)
    if "://" not in path and not local.exists():
        raise ValueError(f"input {path} does not exist")
    if local.is_dir():
        found = {fmt for f in local.rglob("*") for fmt, endings in _FORMATS.items()
                 if f.name.endswith(tuple(f".{e}" for e in endings))}
        if len(found) == 1:
            return found.pop()
        raise ValueError(f"input directory {path} must hold .jsonl(.gz) or .parquet shards, one kind only "
                         f"(found: {sorted(found) or 'neither'})")
    raise ValueError(f"input {path}: --ray reads .jsonl, .jsonl.gz, .json.gz and .parquet files or directories "
                     "of them (convert .txt files to JSONL first)")


def _check_output(output: str) -> None:
    if output == "-":
        raise ValueError("a Ray run writes a directory of shards: give an output directory, not standard output")
    path = Path(output)
    if "://" not in output and path.exists() and (not path.is_dir() or any(path.iterdir())):
        raise ValueError(f"output {output} exists and is not an empty directory: choose a new one")


def _read(fmt: str, paths: list[str]) -> ray.data.Dataset:
    """The input rows: input by input, a directory's files in name order."""
    if fmt == "parquet":
        return ray.data.read_parquet(paths, include_paths=True, file_extensions=list(_FORMATS[fmt]))
    return ray.data.read_json(paths, include_paths=True, file_extensions=list(_FORMATS[fmt]),
                              parse_options=pajson.ParseOptions(explicit_schema=_STRINGS))


def _record(row: dict[str, Any]) -> dict[str, Any]:
    """An input row as ``Analyzer`` takes it: nulls are absent fields, and a missing id is PATH#HASH."""
    record = {k: v for k, v in row.items() if v is not None}
    if "id" not in record:
        digest = hashlib.sha1(json.dumps(record, sort_keys=True, default=str).encode()).hexdigest()[:12]
        record["id"] = f"{record.get('path')}#{digest}"
    return record


class _Analyse:
    """The CPU stage: one ``Analyzer`` per actor, built once."""

    def __init__(self, spacy_model: str, gate: bool, truncate: bool) -> None:
        self.analyzer = Analyzer(load_nlp(spacy_model), gate=gate, truncate=truncate)

    def __call__(self, batch: pa.Table) -> pa.Table:
        analysed, _ = self.analyzer.analyse(list(enumerate(map(_record, batch.to_pylist()))))
        return pa.Table.from_pylist([a.to_row() for a in analysed], _ROW)


class _Classify:
    """The classifier stage: one classifier per actor; output rows in the schema of the writer."""

    def __init__(self, model: str | Path | None, settings: EngineSettings | None, parquet: bool) -> None:
        import spacy

        from . import load_classifier

        # Pipeline.classify reads the analyzer's lexicon only (condition spans): the parsing is done upstream,
        # so this stage holds a blank tokenizer, not a parser
        self.pipeline = Pipeline(Analyzer(spacy.blank("en")), load_classifier(model, settings))
        self.parquet = parquet

    def __call__(self, batch: pa.Table) -> pa.Table | pd.DataFrame:
        results = [r.to_dict() for r in self.pipeline.classify(list(map(Analysed.from_row, batch.to_pylist())))]
        if self.parquet:
            return pa.Table.from_pylist([io.parquet_row(r) for r in results], io.RESULT_SCHEMA)
        import pandas as pd

        return pd.DataFrame(results)  # Python objects, so that write_json writes each record's own nesting


class _Shards(FilenameProvider):
    """Shard names that sort in input order: part-000000-UUID.jsonl, part-000001-UUID.jsonl, ..."""

    def __init__(self, ext: str) -> None:
        self.ext = ext

    def get_filename_for_task(self, write_uuid: str, task_index: int) -> str:
        return f"part-{task_index:06d}-{write_uuid}.{self.ext}"


class _ParquetShards(BlockBasedFileDatasink):
    """Parquet shards whose rows keep their input order: Ray's own Parquet writer hands a write task's blocks
    to Arrow's threaded dataset writer, which may reorder them (Ray 2.60), whatever ``preserve_order`` says."""

    def write_block_to_file(self, block: BlockAccessor, file: pa.NativeFile) -> None:
        import pyarrow.parquet as pq

        pq.write_table(block.to_arrow(), file)


def _count(output: str, parquet: bool) -> tuple[int, int, int]:
    """(articles, statements, errors) in the written output, counted by Ray."""
    if "://" not in output and not any(Path(output).glob("part-*")):  # no input rows: Ray wrote nothing
        return 0, 0, 0
    read = ray.data.read_parquet if parquet else ray.data.read_json
    totals = read(output, file_extensions=["parquet" if parquet else "jsonl"]).map_batches(
        _counts, batch_format="pyarrow").sum(["articles", "statements", "errors"])
    return int(totals["sum(articles)"]), int(totals["sum(statements)"]), int(totals["sum(errors)"])


def _counts(batch: pa.Table) -> pa.Table:
    statements = batch["statements"]
    if pa.types.is_string(statements.type):  # Parquet: JSON text
        n = sum(len(json.loads(s)) for s in statements.to_pylist())
    else:
        n = sum(len(s or ()) for s in statements.to_pylist())
    return pa.table({"articles": [batch.num_rows], "statements": [n],
                     "errors": [batch.num_rows - batch["error"].null_count]})
