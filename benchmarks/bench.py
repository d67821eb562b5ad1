"""Speed figures for peeradvisor (run: uv run python benchmarks/bench.py [--quick]).

Reports, on this machine:
  imports  time for a bare interpreter to import the runtime dependencies
  cold     one `peeradvisor advise FILE --format json` process, start to finish
  warm     one in-process advise() of a full six-respondent assessment, engine already built
  batch    one `peeradvisor advise FOLDER --format json --output OUT` process over 200 files
and checks the goals: cold <= 2 x imports; warm <= cold / 10; batch <= 20 x cold.
"""

from __future__ import annotations

import json
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from peeradvisor import vocab  # noqa: E402

DEPENDENCIES = "import experta, pydantic, rich, typer, yaml, jinja2, docx"


def full_assessment(seed: int) -> dict[str, object]:
    """A six-respondent assessment answering all 40 items (one respondent per stakeholder group)."""
    rnd = random.Random(seed)
    return {
        "format": vocab.ANSWERS_FORMAT,
        "organisation": f"Benchmark site {seed}",
        "stage": rnd.choice(["new", "established"]),
        "context": {
            "employer": rnd.choice(vocab.EMPLOYERS), "setting": rnd.choice(vocab.STUDY_SETTINGS),
            "team_size": 20, "peer_workers": rnd.randint(1, 6), "staffing_pressure": rnd.random() < 0.5,
            "executive_turnover": rnd.random() < 0.3, "funding": rnd.choice(["recurrent", "pilot", "none"]),
            "supervision": {"one_to_one": rnd.choice(["regular", "ad_hoc", "none"]),
                            "manager_prepared": rnd.choice(["yes", "partly", "no"])},
            "culture": {"reflective_practice": rnd.choice(["yes", "partly", "no"]),
                        "peer_voice_heard": rnd.choice(["yes", "partly", "no"])},
        },
        "responses": [
            {"respondent": {"group": group},
             "inventory": {item: {"happening": rnd.choice(["yes", "partly", "no", "dont_know"]),
                                  "importance": rnd.randint(1, 4)} for item in vocab.ITEM_IDS},
             "top3": rnd.sample(vocab.ITEM_IDS, 3)}
            for group in vocab.GROUPS
        ],
    }


def timed(cmd: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT)
    return time.perf_counter() - start


def median_of(runs: int, fn) -> float:  # type: ignore[no-untyped-def]
    return statistics.median(fn() for _ in range(runs))


def main() -> int:
    quick = "--quick" in sys.argv
    runs = 3 if quick else 7
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "sites"
        folder.mkdir()
        for n in range(200):
            (folder / f"site-{n:03}.yaml").write_text(yaml.safe_dump(full_assessment(n), sort_keys=False))
        one = folder / "site-000.yaml"
        imports = median_of(runs, lambda: timed([sys.executable, "-c", DEPENDENCIES]))
        cold = median_of(runs, lambda: timed([sys.executable, "-m", "peeradvisor", "advise", str(one),
                                              "--format", "json"]))
        warm = warm_inference(one, 5 if quick else 20)
        out = Path(tmp) / "out"
        batch = timed([sys.executable, "-m", "peeradvisor", "advise", str(folder), "--format", "json",
                       "--output", str(out)])
        written = len(list(out.glob("*.json"))) if out.exists() else 0
    figures = {"imports_s": imports, "cold_s": cold, "warm_s": warm, "batch_200_s": batch,
               "batch_files_written": written}
    goals = {
        "cold <= 2 x imports": cold <= 2 * imports,
        "warm <= cold / 10": warm <= cold / 10,
        "batch(200) <= 20 x cold": batch <= 20 * cold and written == 200,
    }
    print(f"imports  {imports * 1000:8.0f} ms   (bare interpreter: {DEPENDENCIES})")
    print(f"cold     {cold * 1000:8.0f} ms   ({cold / imports:.2f} x imports)")
    print(f"warm     {warm * 1000:8.1f} ms   ({cold / warm:.1f} x faster than cold) — 6 respondents x 40 items")
    print(f"batch    {batch * 1000:8.0f} ms   ({batch / cold:.1f} x cold) — 200 files, {written} written")
    for goal, ok in goals.items():
        print(f"  [{'ok' if ok else 'MISSED'}] {goal}")
    print(json.dumps({"figures": figures, "goals": goals}))
    return 0 if all(goals.values()) else 1


def warm_inference(path: Path, runs: int) -> float:
    from peeradvisor.answers import load_answers
    from peeradvisor.core import advise, engine_for
    from peeradvisor.kb import load_kb

    kb = load_kb()
    answers = load_answers(path)
    engine_for(kb)
    advise(answers, kb)
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        advise(answers, kb)
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


if __name__ == "__main__":
    sys.exit(main())
