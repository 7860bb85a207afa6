"""Target 5, start-up: how long `handoff --help` takes (heavy imports only when used).

.venv/bin/python bench/startup.py [--runs 10]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import ROOT


def main() -> None:
    args = argparse.ArgumentParser()
    args.add_argument("--runs", type=int, default=10)
    opts = args.parse_args()
    handoff = Path(sys.executable).with_name("handoff")
    seconds = []
    for _ in range(opts.runs):
        started = time.perf_counter()
        subprocess.run([str(handoff), "--help"], cwd=ROOT, capture_output=True, check=True)
        seconds.append(time.perf_counter() - started)
    python = []
    for _ in range(opts.runs):
        started = time.perf_counter()
        subprocess.run([sys.executable, "-c", "pass"], capture_output=True, check=True)
        python.append(time.perf_counter() - started)
    print(
        f"start-up: `handoff --help` median {statistics.median(seconds):.2f} s · "
        f"min {min(seconds):.2f} s over {opts.runs} runs  [target: < 0.5 s; "
        f"the bare interpreter: {statistics.median(python):.2f} s]"
    )


if __name__ == "__main__":
    main()
