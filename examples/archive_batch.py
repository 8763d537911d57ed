"""A batch job over a news archive: statements for every article (two parsing processes, resumable), then
stance over time per speaker/target pair as CSV, PNG plots and an HTML index.

    python examples/archive_batch.py ARCHIVE.jsonl|.parquet OUT_DIR [--workers 2]

Records are {"id", "text", "date"?, "title"?, "source"?}. Run it again after an interruption: it resumes.
"""
import argparse
from pathlib import Path

import stance
from stance import io
from stance.archive import run
from stance.report import write_report


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("archive")
    ap.add_argument("out_dir")
    ap.add_argument("--workers", type=int, default=2)
    args = ap.parse_args()
    out = Path(args.out_dir)
    out.mkdir(parents=True, exist_ok=True)
    results = out / "results.jsonl"
    nlp = stance.load()
    summary = run(nlp, io.read_records([args.archive]), str(results), workers=args.workers,
                  resume=Path(f"{results}.parts").exists())
    print(summary.line())
    report = write_report(io.read_results(results), out / "report")
    print(f"report: {report.index} ({len(report.plots)} pair plots), events: {report.events}")


if __name__ == "__main__":  # worker processes are spawned: the guard is required
    main()
