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


def test_suffixes_in_any_case_nested_directories_and_types_not_read(tmp_path):
    """Once an upper-case .JSONL was read as one plain-text article, a .bz2 or a .json as text, a .TXT in a
    directory skipped, and politics/001.txt and business/001.txt both had the id "001"."""
    (tmp_path / "up.JSONL").write_text('{"id": "u1", "text": "one"}\n{"id": "u2", "text": "two"}\n')
    with gzip.open(tmp_path / "u.JSONL.GZ", "wt") as fh:
        fh.write('{"id": "g", "text": "three"}\n')
    (tmp_path / "b.jsonl.bz2").write_bytes(b"BZh91AY&SY")
    (tmp_path / "arr.json").write_text('[{"id": "j", "text": "four"}]')
    (tmp_path / "t.CSV").write_text('id,text\nc,five\n')
    d = tmp_path / "news"
    for section in ("politics", "business"):
        (d / section).mkdir(parents=True)
        (d / section / "001.txt").write_text(section)
    (d / "politics" / "002.TXT").write_text("upper")
    names = ["up.JSONL", "u.JSONL.GZ", "b.jsonl.bz2", "arr.json", "t.CSV", "news"]
    rows = list(io.read_records([tmp_path / n for n in names]))
    assert [r["id"] for r in rows] == ["u1", "u2", "g", *(str(tmp_path / n) for n in names[2:5]),
                                       "business/001", "politics/001", "politics/002"]
    assert all("type not read" in r["error"] for r in rows[3:6])
    assert [r["text"] for r in rows[6:]] == ["business", "politics", "upper"]
    assert not any("warning" in r for r in rows)  # no duplicate ids
