"""Soak: 20,000 articles (BBC and FNC-1, repeated) through `stance extract --workers 2`, with the throughput
of every 1,000 articles and the resident memory of the whole process tree (main + workers) at that moment.

    python benchmarks/soak.py [--articles 20000] [--workers 2] [--out benchmarks/results/soak.json]

Progress is read from the atomically written parts of the run (one part = 1,000 records), so the run under
test is the plain command line, untouched.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpora import archive, machine  # noqa: E402

from stance import io  # noqa: E402
from stance.archive import done_parts, parts_dir  # noqa: E402


def tree_rss_mb(pid: int) -> float:
    """Resident memory of a process and all its descendants, in MB (from /proc)."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        todo += children.get(p, [])
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            pass
    return total / 1024


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--articles", type=int, default=20_000)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--model", default=None)
    ap.add_argument("--out", default=str(Path(__file__).parent / "results" / "soak.json"))
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        src, out = Path(tmp) / "archive.jsonl", Path(tmp) / "out.jsonl"
        io.write_jsonl(archive(args.articles), src)
        cmd = [sys.executable, "-m", "stance.cli", "extract", str(src), "-o", str(out), "--workers",
               str(args.workers), "--part-size", "1000", *(["--model", args.model] if args.model else [])]
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, stderr=subprocess.PIPE, text=True)
        rows, seen, last = [], 0, t0
        while proc.poll() is None:
            time.sleep(0.5)
            rss = tree_rss_mb(proc.pid)
            n = sum(c for _, c, _ in done_parts(out)) if parts_dir(out).exists() else seen
            if n > seen:
                now = time.perf_counter()
                rows.append({"articles": n, "seconds": round(now - t0, 1),
                             "articles_per_s_last_1000": round((n - seen) / (now - last), 2), "rss_mb": round(rss)})
                print(rows[-1], flush=True)
                seen, last = n, now
        summary = proc.stderr.read().strip().splitlines()[-1]
        outputs = sum(1 for _ in io.read_results(out)) if out.exists() else 0
    result = {"command": " ".join(["stance", *cmd[3:]]), "articles": args.articles, "outputs": outputs,
              "exit_code": proc.returncode, "summary": summary, "seconds": round(time.perf_counter() - t0, 1),
              "machine": machine(), "rows": rows}
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(result, indent=2))
    print(json.dumps({k: v for k, v in result.items() if k != "rows"}, indent=2))


if __name__ == "__main__":
    main()
