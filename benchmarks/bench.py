"""Speed figures for peeradvisor (run: uv run python benchmarks/bench.py [--quick]).

Reports, on this machine, every figure measured in this one run:
  imports  time for a bare interpreter to import the five runtime dependencies the engine needs
           (experta, pydantic, rich, typer, yaml)
  cold     one `peeradvisor advise FILE --format json` process, start to finish
  warm     one in-process advise() of a full six-respondent assessment, engine already built
  batch    one `peeradvisor advise FOLDER --format json --output OUT` process over 200 files
Imports and cold runs are measured twice: with bytecode cached (as on a user's machine after the first
run) and with none (every module compiled from source, as here under PYTHONDONTWRITEBYTECODE=1). The
knowledge-base cache is warm in both. Goals: cold <= 2 x imports (bytecode cached); warm <= cold / 10;
batch <= 20 x cold.
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
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from peeradvisor import vocab  # noqa: E402

# experta's own frozendict 1.2 needs collections.Mapping (gone since Python 3.10): the same alias
# peeradvisor makes before importing it.
DEPENDENCIES = ("import collections, collections.abc; collections.Mapping = collections.abc.Mapping; "
                "import experta, pydantic, rich, typer, yaml")


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


def timed(cmd: list[str], env: dict[str, str] | None = None) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT, env=env)
    return time.perf_counter() - start


def bytecode_env(prefix: Path, write: bool) -> dict[str, str]:
    """Keep bytecode under PREFIX: an empty prefix without writing means every module compiles from source."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = str(prefix)
    if not write:
        env["PYTHONDONTWRITEBYTECODE"] = "1"
    return env


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
        advise_cmd = [sys.executable, "-m", "peeradvisor", "advise", str(one), "--format", "json"]
        import_cmd = [sys.executable, "-c", DEPENDENCIES]
        cached, empty = Path(tmp) / "pyc-cached", Path(tmp) / "pyc-none"
        empty.mkdir()
        timed(advise_cmd, bytecode_env(cached, write=True))  # fills the bytecode cache (and the KB cache)
        timed(import_cmd, bytecode_env(cached, write=True))
        imports = median_of(runs, lambda: timed(import_cmd, bytecode_env(cached, write=False)))
        cold = median_of(runs, lambda: timed(advise_cmd, bytecode_env(cached, write=False)))
        imports_src = median_of(runs, lambda: timed(import_cmd, bytecode_env(empty, write=False)))
        cold_src = median_of(runs, lambda: timed(advise_cmd, bytecode_env(empty, write=False)))
        warm = warm_inference(one, 5 if quick else 20)
        out = Path(tmp) / "out"
        batch = timed([sys.executable, "-m", "peeradvisor", "advise", str(folder), "--format", "json",
                       "--output", str(out)])
        written = len(list(out.glob("*.json"))) if out.exists() else 0
    figures = {"imports_s": imports, "cold_s": cold, "imports_from_source_s": imports_src,
               "cold_from_source_s": cold_src, "warm_s": warm, "batch_200_s": batch, "batch_files_written": written}
    goals = {
        "cold <= 2 x imports": cold <= 2 * imports,
        "warm <= cold / 10": warm <= cold / 10,
        "batch(200) <= 20 x cold": batch <= 20 * cold and written == 200,
    }
    print(f"imports  {imports * 1000:8.0f} ms   bytecode cached "
          "(bare interpreter: experta, pydantic, rich, typer, yaml)")
    print(f"cold     {cold * 1000:8.0f} ms   bytecode cached ({cold / imports:.2f} x imports)")
    print(f"imports  {imports_src * 1000:8.0f} ms   from source")
    print(f"cold     {cold_src * 1000:8.0f} ms   from source ({cold_src / imports_src:.2f} x imports)")
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
