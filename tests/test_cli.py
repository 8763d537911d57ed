"""The command line through a subprocess: the output schema is a public contract."""
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
ENV = {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "HF_DATASETS_OFFLINE": "1"}
STATEMENT_KEYS = {"text", "start", "end", "kind", "cue", "speaker", "speaker_mention", "target", "target_mention",
                  "stance", "score", "scores", "condition", "reported_by"}


def run(*args, stdin=None):
    return subprocess.run([sys.executable, "-m", "stance.cli", *args], input=stdin, capture_output=True, text=True,
                          env=ENV, cwd=ROOT, timeout=600)


def test_help_on_every_subcommand():
    from stance.cli import build_parser

    [subs] = [a for a in build_parser()._actions if a.dest == "command"]
    assert {"extract", "show", "report", "events", "classify", "train", "eval", "export-model"} <= set(subs.choices)
    for sub in subs.choices:
        r = run(sub, "--help")
        assert r.returncode == 0 and "usage" in r.stdout


def test_extract_txt_and_jsonl_with_bad_records(tmp_path):
    txt = tmp_path / "armenia.txt"
    txt.write_text((ROOT / "examples" / "meeting.txt").read_text())
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b'"We are ready to meet them tomorrow," the minister said. \xff\xfe')
    jl = tmp_path / "in.jsonl"
    jl.write_text('{"id": "a", "text": "\\"We will never negotiate with them,\\" the mayor said.", "date": "2025-01-01"}\n'
                  'this is not json\n{"id": "c", "title": "no text"}\n{"id": "d", "text": "   "}\n')
    out = tmp_path / "out.jsonl"
    r = run("extract", str(txt), str(bad), str(jl), "-o", str(out), "--model", "rules")
    assert r.returncode == 1  # some records failed
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert [row["id"] for row in rows] == ["armenia", "bad", "a", f"{jl}:2", "c", "d"]
    assert all(set(row) >= {"id", "statements", "error"} for row in rows)
    assert rows[0]["error"] is None and rows[0]["statements"]
    assert all(set(s) == STATEMENT_KEYS for s in rows[0]["statements"])
    assert rows[1]["error"] is None and "warning" in rows[1] and rows[1]["statements"]
    assert rows[2]["statements"][0]["stance"] == "rejecting" and rows[2]["date"] == "2025-01-01"
    assert "not JSON" in rows[3]["error"] and "text" in rows[4]["error"]
    assert rows[5]["error"] is None and rows[5]["statements"] == []
    assert "inputs: 6 " in r.stderr and "outputs: 6 " in r.stderr and "errors: 2" in r.stderr
    assert "\r" not in r.stderr  # no progress bar when stderr is not a terminal


def test_extract_stdin_to_stdout():
    r = run("extract", "-", "--model", "rules", "--quiet",
            stdin='{"id": "s", "text": "The union said it was ready to talk to management."}\n')
    assert r.returncode == 0
    [row] = [json.loads(line) for line in r.stdout.splitlines()]
    assert row["id"] == "s" and row["statements"][0]["stance"] == "willing"


def test_classify(tmp_path):
    src = tmp_path / "q.jsonl"
    src.write_text('{"id": 1, "text": "ruled out any talks with the rebels", "speaker": "the army", "target": "rebels"}\n'
                   '{"id": 2, "speaker": "x"}\n{"id": 3, "text": "  "}\n')
    out = tmp_path / "o.jsonl"
    r = run("classify", str(src), "-o", str(out), "--model", "rules")
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert r.returncode == 1
    assert rows[0]["stance"] == "rejecting" and set(rows[0]["scores"]) == {"willing", "rejecting", "conditional", "none"}
    assert rows[1]["error"] == 'record has no "text" string' and "stance" not in rows[1]
    assert rows[2]["error"] == "empty text" and "stance" not in rows[2]


def test_missing_model_directory_is_a_clear_error(tmp_path):
    r = run("classify", "-", "--model", str(tmp_path / "nope"), stdin="")
    assert r.returncode == 2 and "does not exist" in r.stderr


def test_int8_compile_and_dtype_flags_reach_the_engine_settings():
    from stance.cli import _settings, build_parser

    for command in (["extract", "a.txt"], ["classify", "a.jsonl"], ["show", "a.txt"]):
        assert _settings(build_parser().parse_args([*command, "--int8"])).quantize is True
        assert _settings(build_parser().parse_args([*command, "--compile"])).compile is True
        assert _settings(build_parser().parse_args([*command, "--dtype", "bf16"])).dtype == "bf16"
        plain = _settings(build_parser().parse_args(command))
        assert (plain.quantize, plain.compile, plain.dtype) == (False, False, "auto")


def test_table_prints_statements_whole_and_an_error_without_a_header(capsys):
    from stance.cli import print_table

    long = "we will talk to them " * 5
    statement = {"kind": "direct", "speaker": "X", "target": None, "stance": "willing", "score": 0.9,
                 "condition": None, "text": long}
    print_table([{"id": "a", "error": None, "statements": [statement]},
                 {"id": "b", "error": 'record has no "text" string', "statements": []}])
    out = capsys.readouterr().out.splitlines()
    assert len(out) == 4 and out[2].endswith(long) and out[3] == '== b  ERROR: record has no "text" string'
    print_table([{"id": "c", "error": None, "statements": [dict(statement, speaker="National Hockey League Players")]}])
    row = capsys.readouterr().out.splitlines()[2]
    assert "National Hockey Leagu…  " in row  # a cut cell says so


def test_events_and_report_refuse_what_extract_did_not_write(tmp_path, capsys):
    from stance.cli import main

    articles = tmp_path / "articles.jsonl"
    articles.write_text('{"id": "a", "text": "The mayor said he would meet them."}\n')
    for argv in (["events", str(articles), "-o", str(tmp_path / "e.csv")],
                 ["report", str(articles), "-o", str(tmp_path / "rep")]):
        assert main(argv) == 2
        assert "line 1: not the output of `stance extract`" in capsys.readouterr().err
    assert not (tmp_path / "e.csv").exists()
    results = tmp_path / "r.jsonl"
    assert main(["extract", str(articles), "--model", "rules", "--quiet", "-o", str(results)]) == 0
    assert main(["events", str(results), "-o", str(tmp_path / "e.parquet")]) == 2
    assert "name a .csv or .jsonl file" in capsys.readouterr().err
    assert main(["events", str(results), "-o", str(tmp_path / "e.csv")]) == 0


def test_an_output_named_for_another_type_is_a_usage_error(tmp_path, capsys):
    from stance.cli import main

    src = tmp_path / "a.txt"
    src.write_text("The mayor said he would meet them.")
    assert main(["extract", str(src), "-o", str(tmp_path / "o.csv"), "--model", "rules"]) == 2
    assert "name a .jsonl or .parquet file (a .csv name would hold JSON lines)" in capsys.readouterr().err
    assert main(["extract", str(src), "-o", str(tmp_path / "o.PARQUET"), "--model", "rules", "--quiet"]) == 0
    assert (tmp_path / "o.PARQUET").read_bytes()[:4] == b"PAR1"


def test_training_counts_are_checked_before_any_work(tmp_path, capsys):
    from stance.cli import main

    for flag, value, message in (("--epochs", "0", "must be at least 1"), ("--max-steps", "-3", "must be at least 0")):
        with pytest.raises(SystemExit):
            main(["train", "--out", str(tmp_path / "m"), flag, value])
        assert message in capsys.readouterr().err
    assert not (tmp_path / "m").exists()


def test_counts_below_one_are_usage_errors_not_empty_outputs(tmp_path):
    """A batch or part size of 0 once gave an empty output and exit 0: every article silently dropped."""
    src = tmp_path / "a.jsonl"
    src.write_text('{"id": "a", "text": "The mayor said he would meet them."}\n')
    for flag in ("--part-size", "--articles-per-batch", "--batch-size"):
        r = run("extract", str(src), "-o", str(tmp_path / "o.jsonl"), "--model", "rules", flag, "0")
        assert r.returncode == 2 and "must be at least 1" in r.stderr, flag
    assert not (tmp_path / "o.jsonl").exists()


def test_outputs_that_cannot_be_written_fail_before_any_work(tmp_path, rules_pipeline):
    from stance.archive import run as run_archive

    records = [{"id": "a", "text": "The mayor said he would meet them."}]
    for output, message in ((tmp_path, "is a directory"), (tmp_path / "o.jsonl.gz", "compressed output"),
                            (tmp_path / "nowhere" / "o.jsonl", "does not exist")):
        with pytest.raises(ValueError, match=message):
            run_archive(rules_pipeline, iter(records), str(output))
    assert not list(tmp_path.iterdir())  # no parts left behind
    with pytest.raises(ValueError, match="part_size"):
        run_archive(rules_pipeline, iter(records), str(tmp_path / "o.jsonl"), part_size=0)
    with pytest.raises(ValueError, match="batch_size"):
        run_archive(rules_pipeline, iter(records), str(tmp_path / "o.jsonl"), batch_size=0)
    assert not list(tmp_path.iterdir())
    from stance import io

    run_archive(rules_pipeline, iter(records), str(tmp_path / "o.PARQUET"))  # suffixes in any case
    assert [r["id"] for r in io.read_results(tmp_path / "o.PARQUET")] == ["a"]


def test_show_gives_a_record_with_a_text_that_is_not_a_string_its_own_error(tmp_path):
    page = tmp_path / "p.html"
    r = run("show", "-", "-o", str(page), "--model", "rules",
            stdin='{"id": "x", "text": 5}\n{"id": "y", "text": "The mayor said he would meet them."}\n')
    assert r.returncode == 1 and "2 articles, 1 statements, 1 errors" in r.stderr  # once a TypeError, no page
    html = page.read_text()
    assert "record has no &quot;text&quot; string" in html
    assert "<code>x</code>" in html and "<code>y</code>" in html and "The mayor" in html


def test_a_closed_stdout_ends_quietly(tmp_path):
    src = tmp_path / "a.jsonl"
    src.write_text("".join(f'{{"id": "{i}", "text": "The mayor said he would meet them on Monday."}}\n'
                           for i in range(300)))
    r = subprocess.run(f'"{sys.executable}" -m stance.cli extract "{src}" --model rules --quiet --workers 0 | head -1',
                       shell=True, capture_output=True, text=True, env=ENV, cwd=ROOT, timeout=600)
    assert r.stdout.count("\n") == 1
    assert "Broken pipe" not in r.stderr and "Traceback" not in r.stderr


def test_table_shows_warnings_ends_with_the_summary_and_refuses_an_output_file(tmp_path):
    src = tmp_path / "a.jsonl"
    src.write_text('{"id": "a", "text": "The mayor said he would meet them."}\n{"id": "b", "text": ""}\n')
    r = run("extract", str(src), "--table", "--model", "rules", "--workers", "0")
    assert r.returncode == 0, r.stderr
    assert "== b  WARNING: empty text" in r.stdout
    assert "inputs: 2  outputs: 2  statements: 1  errors: 0" in r.stderr
    r = run("extract", str(src), "--table", "--model", "rules", "-o", str(tmp_path / "o.jsonl"))
    assert r.returncode == 2 and "--table prints to the terminal" in r.stderr
    assert not (tmp_path / "o.jsonl").exists()


@pytest.mark.parametrize("args, message", [
    (["--split", "nosuch"], "meetstance has no split 'nosuch'; its splits: train, validation"),
    (["--dataset", "semeval2016", "--split", "test", "--end-to-end"], "semeval2016/test has no gold articles"),
    (["--split", "validation", "--end-to-end", "--plot", "cm.png"], "--plot draws a classifier's confusion matrix"),
    (["--split", "validation", "--dataset-path", "EMPTY"], "holds no MeetStance data"),
    (["--split", "validation", "--plot", "NODIR/cm.png"], "the folder"),
    (["--split", "validation", "--plot", "cm.txt"], "name a .png, .pdf or .svg file"),
])
def test_eval_on_a_split_it_cannot_score_is_one_clear_error(args, message, tmp_path, capsys):
    from stance.cli import main

    if "semeval2016" in args and not (ROOT.parent / "shared" / "benchmarks" / "semeval2016-tweeteval").is_dir():
        pytest.skip("the SemEval copy in ../shared/benchmarks is absent")
    args = [str(tmp_path) if a == "EMPTY" else a.replace("NODIR", str(tmp_path / "no")) for a in args]
    assert main(["eval", "--model", "rules", *args]) == 2
    assert message in capsys.readouterr().err


def test_device_cuda_without_a_gpu_is_a_usage_error(tmp_path, capsys):
    import torch

    from stance.cli import main

    if torch.cuda.is_available():
        pytest.skip("this machine has a GPU")
    src = tmp_path / "a.txt"
    src.write_text("The mayor said he would meet them.")
    assert main(["extract", str(src), "-o", str(tmp_path / "o.jsonl"), "--device", "cuda"]) == 2
    assert "torch sees no CUDA device" in capsys.readouterr().err


def test_eval_gives_bootstrap_intervals_when_asked(capsys):
    from stance.cli import main

    assert main(["eval", "--model", "rules", "--split", "validation", "--bootstrap", "100", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    lo, hi = report["intervals"]["macro_f1"]
    assert lo <= report["macro_f1"] <= hi and lo < hi
    assert main(["eval", "--model", "rules", "--split", "validation", "--end-to-end", "--bootstrap", "100"]) == 0
    lines = dict(line.split(" ", 1) for line in capsys.readouterr().out.splitlines())
    lo, hi = map(float, lines["pair_f1_ci"].split("-"))
    assert lo <= float(lines["pair_f1"]) <= hi and lines["articles"] == "18"
    with pytest.raises(SystemExit):
        main(["eval", "--model", "rules", "--bootstrap", "2"])
    assert "--bootstrap: must be 0 or at least 100" in capsys.readouterr().err


def test_an_output_that_is_also_an_input_is_refused_before_any_work(tmp_path):
    src = tmp_path / "same.jsonl"
    src.write_text('{"id": "a", "text": "The mayor said he would meet them."}\n')
    done = run("extract", str(src), "-o", str(src), "--model", "rules", "--quiet")
    assert done.returncode == 2 and "is also an input" in done.stderr
    assert src.read_text() == '{"id": "a", "text": "The mayor said he would meet them."}\n'


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes whatever the permissions")
def test_an_output_folder_that_is_not_writable_fails_before_any_work(tmp_path):
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o500)
    done = run("extract", "-", "-o", str(folder / "o.jsonl"), "--model", "rules", stdin='{"text": "x"}\n')
    assert done.returncode == 2 and "is not writable" in done.stderr
