"""Archive readers and writers: JSONL(.gz), Parquet, directories; atomic output."""
import gzip

import pyarrow as pa
import pyarrow.parquet as pq

from stance import io


def test_jsonl_gz_and_directory(tmp_path):
    gz = tmp_path / "a.jsonl.gz"
    with gzip.open(gz, "wt") as fh:
        fh.write('{"id": "x", "text": "one"}\n\n[1, 2]\n')
    d = tmp_path / "dir"
    d.mkdir()
    (d / "b.txt").write_text("two")
    (d / "a.txt").write_text("three")
    rows = list(io.read_records([gz, d, tmp_path / "missing.jsonl"]))
    assert [r["id"] for r in rows] == ["x", f"{gz}:3", "a", "b", str(tmp_path / "missing.jsonl")]
    assert "not an object" in rows[1]["error"] and "does not exist" in rows[4]["error"]


def test_parquet_input_and_wrong_schema(tmp_path):
    good = tmp_path / "good.parquet"
    pq.write_table(pa.table({"id": ["p1", "p2"], "text": ["a", "b"], "date": ["2025-01-01", None]}), good)
    bad = tmp_path / "bad.parquet"
    pq.write_table(pa.table({"body": ["a"]}), bad)
    rows = list(io.read_records([good, bad]))
    assert [r["id"] for r in rows[:2]] == ["p1", "p2"] and rows[0]["text"] == "a"
    assert "no 'text' column" in rows[2]["error"]


def test_jsonl_and_parquet_round_trip(tmp_path, rules_pipeline):
    records = [{"id": "1", "text": '"We will talk to them on Monday," the envoy said.', "date": "2025-02-03"},
               {"id": "2", "text": ""}]
    results = [r.to_dict() for r in rules_pipeline.pipe(records)]
    io.write_jsonl(results, tmp_path / "o.jsonl")
    io.write_parquet(results, tmp_path / "o.parquet")
    assert list(io.read_results(tmp_path / "o.jsonl")) == results
    assert list(io.read_results(tmp_path / "o.parquet")) == results


def test_atomic_output_leaves_nothing_on_failure(tmp_path):
    target = tmp_path / "out.jsonl"

    def boom():
        yield {"id": "1"}
        raise RuntimeError("crash mid-write")

    try:
        io.write_jsonl(boom(), target)
    except RuntimeError:
        pass
    assert not target.exists() and list(tmp_path.iterdir()) == []
