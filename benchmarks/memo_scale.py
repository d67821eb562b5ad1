"""How memos scale with respondents (run: uv run python benchmarks/memo_scale.py [--quick]).

Writes one answers file per size (1,000 and 10,000 respondents; the larger about 1.9 MB, within the
input limits), then runs `peeradvisor advise FILE --format F --output OUT` for each format (json, md,
docx) as a separate process, three times, and reports the median of each figure: CPU time (user +
system, so a loaded machine does not inflate it), wall time, peak memory, and the output's size. Goal
(issue 17): a DOCX memo for 10,000 respondents takes at most 3 x the Markdown memo's CPU time.
--quick: 1,000 respondents, one run each, no goal.
"""

from __future__ import annotations

import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from peeradvisor import vocab  # noqa: E402

FORMATS = ("json", "md", "docx")
GOAL_RATIO = 3.0
HAPPENING = ("yes", "partly", "no", "dont_know")


def crowd(respondents: int, seed: int = 17) -> dict[str, object]:
    """A service surveyed widely: RESPONDENTS people from every stakeholder group, each answering six of
    the 40 questions (one with an importance rating) and naming a top three."""
    rnd = random.Random(seed)
    responses = []
    for _ in range(respondents):
        items = rnd.sample(vocab.ITEM_IDS, 6)
        inventory: dict[str, object] = {i: rnd.choice(HAPPENING) for i in items[1:]}
        inventory |= {i: {"happening": rnd.choice(HAPPENING), "importance": rnd.randint(1, 4)} for i in items[:1]}
        responses.append({"respondent": {"group": rnd.choice(vocab.GROUPS)}, "inventory": inventory,
                          "top3": items[:3]})
    return {"format": vocab.ANSWERS_FORMAT, "organisation": f"Survey of {respondents:,} respondents",
            "assessed_on": "2025-06-01", "stage": "established",
            "context": {"employer": "nhs", "setting": "community", "team_size": 40, "peer_workers": 6},
            "responses": responses}


@dataclass
class Run:
    cpu: float  # seconds, user + system
    wall: float
    peak_mb: float
    size: int  # bytes written


def run(path: Path, fmt: str, out: Path) -> Run:
    """One `advise` process, measured by the kernel: CPU seconds and peak resident memory."""
    cmd = [sys.executable, "-m", "peeradvisor", "advise", str(path), "--format", fmt, "--output", str(out)]
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    errors = proc.stderr.read().decode() if proc.stderr else ""
    if proc.returncode:
        raise SystemExit(f"{' '.join(cmd[2:])} failed ({proc.returncode}): {errors}")
    peak = usage.ru_maxrss / 1024  # kilobytes on Linux
    return Run(cpu=usage.ru_utime + usage.ru_stime, wall=wall, peak_mb=peak, size=out.stat().st_size)


def median_run(runs: int, path: Path, fmt: str, out: Path) -> Run:
    samples = [run(path, fmt, out) for _ in range(runs)]
    return Run(*(statistics.median(getattr(s, name) for s in samples) for name in ("cpu", "wall", "peak_mb")),
               size=samples[-1].size)


def main() -> int:
    quick = "--quick" in sys.argv
    sizes = (1_000,) if quick else (1_000, 10_000)
    runs = 1 if quick else 3
    results: dict[int, dict[str, Run]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for n in sizes:
            path = Path(tmp) / f"crowd-{n}.json"
            path.write_text(json.dumps(crowd(n), separators=(",", ":")))
            print(f"{n:,} respondents: {path.stat().st_size / 1e6:.2f} MB answers file")
            results[n] = {fmt: median_run(runs, path, fmt, Path(tmp) / f"memo-{n}.{fmt}") for fmt in FORMATS}
            for fmt, r in results[n].items():
                print(f"  {fmt:5} cpu {r.cpu:7.2f} s   wall {r.wall:7.2f} s   peak {r.peak_mb:6.0f} MB   "
                      f"output {r.size / 1e3:8.0f} kB")
            ratio = results[n]["docx"].cpu / results[n]["md"].cpu
            print(f"  docx / md (cpu): {ratio:.2f}")
    largest = max(sizes)
    ratio = results[largest]["docx"].cpu / results[largest]["md"].cpu
    goals = {} if quick else {f"docx <= {GOAL_RATIO:g} x md at {largest:,} respondents": ratio <= GOAL_RATIO}
    for goal, ok in goals.items():
        print(f"  [{'ok' if ok else 'MISSED'}] {goal}")
    figures = {str(n): {fmt: vars(r) for fmt, r in runs.items()} for n, runs in results.items()}
    print(json.dumps({"figures": figures, "goals": goals}))
    return 0 if all(goals.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
