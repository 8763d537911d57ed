"""`make bench`: every benchmark script in turn; paste their output into benchmarks/RESULTS.md."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
SCRIPTS = ["corpus_stats.py", "polnear_attribution.py", "quality.py", "e2e_errors.py", "target_probe.py", "gate.py",
           "engine.py", "speed.py", "soak.py"]

if __name__ == "__main__":
    failed = 0
    for name in SCRIPTS:
        print(f"\n## {name}\n", flush=True)
        failed += subprocess.call([sys.executable, str(HERE / name)]) != 0
    sys.exit(1 if failed else 0)
