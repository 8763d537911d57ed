"""Archive runs: one output per input, atomic parts, and --resume after a SIGKILL with no gaps or duplicates."""
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from stance import io
from stance.archive import done_parts, parts_dir, run

EXAMPLE = (Path(__file__).resolve().parents[1] / "examples" / "meeting.txt").read_text()
PARAS = [p for p in EXAMPLE.split("\n") if p.strip()]


def _records(n):
    """n records: rotating paragraphs of our example article, with a bad line every 17th record."""
    out = []
    for i in range(n):
        if i % 17 == 16:
            out.append({"id": f"r{i}"})  # no text: an error record, never a dropped one
        else:
            out.append({"id": f"r{i}", "text": "\n".join(PARAS[j % len(PARAS)] for j in range(i, i + 4))})
    return out


@pytest.mark.parametrize("suffix", ["jsonl", "parquet"])
def test_parts_join_into_the_same_output_as_a_plain_pipe(rules_pipeline, tmp_path, suffix):
    records = _records(23)
    out = tmp_path / f"out.{suffix}"
    summary = run(rules_pipeline, records, str(out), batch_size=4, part_size=5)
    assert (summary.inputs, summary.outputs, summary.errors) == (23, 23, 1)
    assert not parts_dir(out).exists()
    expected = [r.to_dict() for r in rules_pipeline.pipe(records)]
    assert list(io.read_results(out)) == json.loads(json.dumps(expected))


def test_leftover_parts_need_resume(rules_pipeline, tmp_path):
    out = tmp_path / "out.jsonl"
    parts_dir(out).mkdir()
    with pytest.raises(ValueError, match="--resume"):
        run(rules_pipeline, _records(3), str(out))


def test_resume_skips_whole_parts_and_drops_a_half_written_one(rules_pipeline, tmp_path):
    records = _records(12)
    out = tmp_path / "out.jsonl"
    parts_dir(out).mkdir()
    first = [r.to_dict() for r in rules_pipeline.pipe(records[:5])]
    io.write_jsonl(first, parts_dir(out) / "part-000000000-000005.jsonl")
    (parts_dir(out) / ".part-000000005-000005.jsonl.tmp").write_text('{"id": "half')
    summary = run(rules_pipeline, records, str(out), part_size=5, resume=True)
    assert (summary.resumed, summary.inputs, summary.outputs) == (5, 12, 12)
    assert [r["id"] for r in io.read_results(out)] == [r["id"] for r in records]


def test_resume_with_no_parts_left_writes_the_whole_output_again(rules_pipeline, tmp_path):
    records = _records(7)
    out = tmp_path / "out.jsonl"
    out.write_text('{"id": "stale"}\n')  # a finished run's output (of another input): not trusted
    summary = run(rules_pipeline, records, str(out), part_size=5, resume=True)
    assert (summary.resumed, summary.inputs, summary.outputs) == (0, 7, 7)
    assert [r["id"] for r in io.read_results(out)] == [r["id"] for r in records]


def test_resume_refuses_an_input_that_is_not_the_interrupted_one(rules_pipeline, tmp_path):
    out = tmp_path / "out.jsonl"
    parts_dir(out).mkdir()
    first = [r.to_dict() for r in rules_pipeline.pipe(_records(5))]
    io.write_jsonl(first, parts_dir(out) / "part-000000000-000005.jsonl")
    other = [{**r, "id": f"x{i}"} for i, r in enumerate(_records(8))]
    with pytest.raises(ValueError, match="record 0 of the input has id 'x0'.*'r0'"):
        run(rules_pipeline, other, str(out), part_size=5, resume=True)
    assert (parts_dir(out) / "part-000000000-000005.jsonl").exists() and not out.exists()


def test_texts_without_ids_keep_their_place_in_the_whole_input_after_a_resume(rules_pipeline, tmp_path):
    texts = [r.get("text", "") or "x" for r in _records(8)]
    out = tmp_path / "out.jsonl"
    parts_dir(out).mkdir()
    first = [r.to_dict() for r in rules_pipeline.pipe(texts[:5])]
    io.write_jsonl(first, parts_dir(out) / "part-000000000-000005.jsonl")
    run(rules_pipeline, texts + [3], str(out), part_size=5, resume=True)
    results = list(io.read_results(out))
    assert [r["id"] for r in results] == [str(i) for i in range(9)]
    assert results[-1]["error"] == "record 8 is a int, not an object"


def test_parts_of_a_million_records_or_more_are_read(tmp_path):
    out = tmp_path / "out.jsonl"
    parts_dir(out).mkdir()
    (parts_dir(out) / "part-000000000-1000000.jsonl").write_text("")
    (parts_dir(out) / "part-000001000000-000005.jsonl").write_text("")
    assert [(start, count) for start, count, _ in done_parts(out)] == [(0, 1_000_000), (1_000_000, 5)]


def test_a_gap_in_the_parts_is_refused(tmp_path):
    out = tmp_path / "out.jsonl"
    parts_dir(out).mkdir()
    (parts_dir(out) / "part-000000005-000005.jsonl").write_text("")
    with pytest.raises(ValueError, match="gap"):
        done_parts(out)


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads child processes from /proc")
def test_sigkill_then_resume_equals_an_uninterrupted_run(tmp_path):
    records = _records(120)
    src = tmp_path / "in.jsonl"
    io.write_jsonl(records, src)
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}

    def extract(out, *extra):
        return [sys.executable, "-m", "stance.cli", "extract", str(src), "-o", str(out), "--model", "rules",
                "--part-size", "10", "--articles-per-batch", "5", "--quiet", *extra]

    full = tmp_path / "full.jsonl"
    subprocess.run(extract(full), env=env, check=False, timeout=600)
    out = tmp_path / "out.jsonl"
    proc = subprocess.Popen(extract(out), env=env)
    deadline = time.time() + 300
    while time.time() < deadline and len(done_parts(out) if parts_dir(out).exists() else []) < 3:
        time.sleep(0.05)
    workers = _children(proc.pid)
    assert workers, "extract runs one parsing worker by default"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    deadline = time.time() + 30
    while time.time() < deadline and any(_alive(pid) for pid in workers):
        time.sleep(0.2)
    assert not any(_alive(pid) for pid in workers), "the killed run left its worker processes behind"
    written = done_parts(out)
    assert 3 <= len(written) < 12 and not out.exists(), "the run was not killed in the middle"
    done = subprocess.run(extract(out, "--resume"), env=env, timeout=600, capture_output=True, text=True)
    assert done.returncode == 1  # the records without text are error records
    assert out.read_text() == full.read_text()
    assert len(out.read_text().splitlines()) == 120


def _children(pid: int) -> list[int]:
    """The live child processes of pid (from /proc)."""
    out = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            out.append(int(stat.parent.name))
    return out


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"  # an exited child that nobody reaped yet is gone
