"""Worker processes: same output as in-process, input order, and a record that kills a worker."""
import os
from pathlib import Path

import pytest

from stance.pipeline import Analyzer
from stance.workers import CRASH_ERROR, analyse_in_processes

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "meeting.txt"
BOMB = "KILL-THE-WORKER"


class _CrashingAnalyzer(Analyzer):
    """Kills its process (as a segfault would) on a record whose text holds BOMB."""

    def analyse(self, chunk):
        if any(isinstance(r, dict) and BOMB in r.get("text", "") for _, r in chunk):
            os._exit(1)
        return super().analyse(chunk)


def _records(n):
    text = EXAMPLE.read_text()
    return [{"id": f"a{i}", "text": text if i % 3 else f"Article {i}. No statement here."} for i in range(n)]


def test_workers_give_the_in_process_output_in_order(rules_pipeline):
    records = _records(9)
    here = [r.to_dict() for r in rules_pipeline.pipe(records, batch_size=2)]
    for workers in (1, 2):
        there = [r.to_dict() for r in rules_pipeline.pipe(records, batch_size=2, workers=workers)]
        assert there == here
    assert [r["id"] for r in here] == [r["id"] for r in records]
    assert rules_pipeline.times.parse > 0 and rules_pipeline.times.classify > 0


def test_a_record_that_kills_its_worker_becomes_an_error_record(nlp):
    records = _records(7)
    records[4] = {"id": "bomb", "text": f"{BOMB}. The minister said talks would resume."}
    out = [a.result for chunk, _ in analyse_in_processes(_CrashingAnalyzer(nlp), _chunks(records, 3), workers=2)
           for a in chunk]
    assert [r.id for r in out] == [r["id"] for r in records]
    assert out[4].error == CRASH_ERROR
    assert all(r.error is None for i, r in enumerate(out) if i != 4)
    assert out[5].statements  # the crashed chunk's other records were rerun


def _chunks(records, size):
    numbered = list(enumerate(records))
    return [numbered[i:i + size] for i in range(0, len(numbered), size)]


@pytest.mark.parametrize("in_flight", [1, 3])
def test_results_stay_in_order_whatever_is_in_flight(nlp, in_flight):
    records = _records(8)
    out = [a.result.id for chunk, _ in analyse_in_processes(Analyzer(nlp), _chunks(records, 1), workers=2,
                                                            in_flight=in_flight) for a in chunk]
    assert out == [r["id"] for r in records]


class _Unstartable(Analyzer):
    """An analyzer that cannot be rebuilt in a worker process."""

    def __setstate__(self, state):
        raise RuntimeError("cannot start")


def test_workers_that_cannot_start_are_a_clear_error(nlp):
    with pytest.raises(RuntimeError, match="worker processes cannot start"):
        list(analyse_in_processes(_Unstartable(nlp), _chunks(_records(2), 1), workers=1))


class _DiesOnce(Analyzer):
    """An analyzer whose first rebuild in a worker dies (as a worker killed while starting), the next ones not."""

    def __setstate__(self, state):
        flag = Path(state["_flag"])
        if not flag.exists():
            flag.touch()
            os._exit(1)
        self.__dict__.update(state)


def test_a_worker_killed_while_starting_is_replaced(nlp, tmp_path):
    analyzer = _DiesOnce(nlp)
    analyzer._flag = str(tmp_path / "died")
    out = [a.result.id for chunk, _ in analyse_in_processes(analyzer, _chunks(_records(2), 1), workers=1)
           for a in chunk]
    assert out == ["a0", "a1"] and (tmp_path / "died").exists()


def test_the_classifier_leaves_the_workers_their_cores(rules_pipeline, monkeypatch):
    """While one worker parses, the main process classifies on the cores left (here 4 - 1), then gets its
    threads back."""
    import torch

    monkeypatch.setattr(os, "cpu_count", lambda: 4)
    before = torch.get_num_threads()
    torch.set_num_threads(4)
    seen = []
    real_classify = rules_pipeline.classify
    monkeypatch.setattr(rules_pipeline, "classify", lambda batch: seen.append(torch.get_num_threads())
                        or real_classify(batch))
    try:
        assert len(list(rules_pipeline.pipe(_records(4), batch_size=2, workers=1))) == 4
        assert seen and set(seen) == {3}
        assert torch.get_num_threads() == 4
    finally:
        torch.set_num_threads(before)


def test_a_script_without_the_main_guard_stops_with_a_clear_error(tmp_path):
    """Spawned workers re-run such a script and die while starting. The analyzer (megabytes) once went down
    the pipe that starts each worker, and the parent hung for ever writing it to a worker already dead."""
    import subprocess
    import sys

    script = tmp_path / "no_guard.py"
    script.write_text("import stance\n"
                      "nlp = stance.load('rules')\n"
                      "print(list(nlp.pipe(['Putin said he would meet Zelensky.'], workers=1)))\n")
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1]), "TMPDIR": str(tmp_path)}
    r = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=300, env=env,
                       cwd=tmp_path)
    assert r.returncode == 1
    assert 'needs the `if __name__ == "__main__":` guard' in r.stderr
    assert not list(tmp_path.glob("stance-analyzer-*"))  # the analyzer's file is gone


def test_the_file_of_a_parent_killed_outright_is_removed_by_the_next_pool(tmp_path):
    import signal
    import subprocess
    import sys

    from stance.workers import remove_stale_analyzer_files

    script = tmp_path / "killed.py"
    script.write_text("import sys, time\nimport stance\n"
                      "if __name__ == '__main__':\n"
                      "    nlp = stance.load('rules')\n"
                      "    for r in nlp.pipe(iter(lambda: 'Putin said he would meet Zelensky.', None), workers=1):\n"
                      "        print('running', flush=True)\n"
                      "        time.sleep(60)\n")
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1]), "TMPDIR": str(tmp_path)}
    proc = subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE, text=True, env=env, cwd=tmp_path)
    try:
        assert proc.stdout.readline().strip() == "running"
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=60)
    left = list(tmp_path.glob("stance-analyzer-*.pickle"))
    assert [p.name.split("-")[2] for p in left] == [str(proc.pid)]  # killed outright, it could not remove it
    mine = tmp_path / f"stance-analyzer-{os.getpid()}-x.pickle"
    mine.write_bytes(b"")
    assert remove_stale_analyzer_files(tmp_path) == left
    assert not any(p.exists() for p in left) and mine.exists()  # a live process's file stays


def test_stale_file_cleanup_leaves_odd_names_alone(tmp_path):
    from stance.workers import remove_stale_analyzer_files

    odd = [tmp_path / f"stance-analyzer-{name}.pickle"
           for name in ("99999999999999999999-x", "²-x", "abc-x", "12")]
    for path in odd:
        path.write_bytes(b"")
    assert remove_stale_analyzer_files(tmp_path) == []
    assert all(path.exists() for path in odd)
