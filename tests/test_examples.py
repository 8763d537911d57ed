"""Each script in examples/ runs and does what its docstring says."""
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ENV = {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "HF_DATASETS_OFFLINE": "1"}


def example(name, *args, cwd):
    r = subprocess.run([sys.executable, str(ROOT / "examples" / name), *map(str, args)], capture_output=True,
                       text=True, env=ENV, cwd=cwd, timeout=900)
    assert r.returncode == 0, r.stderr[-2000:]
    return r.stdout


def test_library_example_prints_statements_and_writes_a_page(tmp_path):
    out = example("library.py", "-o", tmp_path / "page.html", cwd=tmp_path)
    assert "Ilham Aliyev" in out and "conditional" in out and "if: Armenia removes its territorial claims" in out
    page = (tmp_path / "page.html").read_text(encoding="utf-8")
    assert "CONDITIONAL" in page and "Nikol Pashinyan" in page


def test_archive_example_writes_results_and_a_report(tmp_path):
    paras = [p for p in (ROOT / "examples" / "meeting.txt").read_text().split("\n") if p.strip()]
    archive = tmp_path / "archive.jsonl"
    records = [{"id": f"a{i}", "date": f"2025-0{1 + i % 3}-15", "text": "\n".join(paras[i % 4:i % 4 + 5])}
               for i in range(9)]
    archive.write_text("".join(json.dumps(r) + "\n" for r in records))
    out = example("archive_batch.py", archive, tmp_path / "out", "--workers", "1", cwd=tmp_path)
    assert "inputs: 9" in out and "outputs: 9" in out
    rows = [json.loads(line) for line in (tmp_path / "out" / "results.jsonl").read_text().splitlines()]
    assert [r["id"] for r in rows] == [r["id"] for r in records]
    report = tmp_path / "out" / "report"
    assert (report / "index.html").exists() and list(report.glob("*.png"))
    assert "Ilham Aliyev" in (report / "counts.csv").read_text()


def test_evaluate_example_scores_both_classifiers(tmp_path):
    out = example("evaluate.py", "--split", "validation", cwd=tmp_path)
    assert out.count("== ") == 2 and "shipped model" in out and "rules" in out
    assert "macro" in out.lower()
