"""Next questions and `assess --quick`: what they cost, and how many answers quick needs.

Run: uv run python benchmarks/questions.py [--quick]

Reports, on this machine:
  imports   a bare interpreter importing advise's five dependencies (experta, pydantic, rich, typer, yaml)
  advise    one `peeradvisor advise FILE --format json` process (next questions included), for a thin file
            (many unknowns: the most next questions to try) and for each bundled example
  in-process  what next questions add to one in-process advise, mean and worst over the examples and cases
  quick     how many questions `assess --quick` asks before it says the rest would not change the
            priorities, for each bundled example (each respondent answering as the file says) and a typical
            new NHS ward, against the full questionnaire
and checks the goal: advise (with next questions) <= 2.5 x imports.

Both process timings run with bytecode cached (in a temporary PYTHONPYCACHEPREFIX) and the knowledge-base
cache warm: one run of each first, then the median of the runs measured.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

IMPORTS = ("import collections, collections.abc; collections.Mapping = collections.abc.Mapping; "
           "import experta, pydantic, rich, typer, yaml")
GOAL = 2.5
THIN = {
    "format": "peeradvisor/answers@1", "organisation": "Thin ward", "stage": "new",
    "context": {"employer": "nhs", "setting": "inpatient"},
    "responses": [{"respondent": {"group": "line_manager"}, "inventory": {"1.1": "yes", "2.1": "partly",
                                                                          "5.2": "no"}}],
}
# A typical new NHS ward, as the study describes them: one or two peer workers recently started on an acute
# ward that is often short-staffed, Agenda for Change pay, a manager partly prepared, a culture partly open;
# the ward manager's view of the 40 items.
TYPICAL_WARD: dict[str, Any] = {
    "format": "peeradvisor/answers@1", "organisation": "A typical new NHS ward", "stage": "new",
    "context": {
        "employer": "nhs", "setting": "inpatient", "setting_detail": "acute admissions", "employment": "paid",
        "team_size": 24, "peer_workers": 2, "pay_framework": "agenda_for_change", "recruitment_route": "open",
        "community_languages": False, "staffing_pressure": True, "executive_turnover": False,
        "funding": "pilot",
        "supervision": {"one_to_one": "regular", "manager_prepared": "partly", "wellbeing_space": "no",
                        "peer_group": "yes"},
        "culture": {"open_about_mental_health": "partly", "reflective_practice": "yes",
                    "lived_experience_valued": "partly", "peer_voice_heard": "partly",
                    "personal_boundaries_supported": "partly", "ready_for_change": "partly"},
    },
    "responses": [{"respondent": {"group": "line_manager", "label": "Ward manager"}, "top3": [], "inventory": {
        "1.1": "yes", "1.2": "partly", "1.3": "no", "1.4": "yes", "1.5": "partly", "1.6": "yes", "1.7": "yes",
        "1.8": "no", "2.1": "partly", "2.2": "partly", "2.3": "yes", "2.4": "partly", "2.5": "yes",
        "2.6": "partly", "2.7": "yes", "2.8": "partly", "3.1": "partly", "3.2": "partly", "3.3": "no",
        "3.4": "partly", "4.1": "yes", "4.2": "no", "4.3": "yes", "4.4": "no", "4.5": "partly", "4.6": "no",
        "5.1": "yes", "5.2": "yes", "5.3": "partly", "5.4": "no", "5.5": "partly", "5.6": "partly", "5.7": "no",
        "5.8": "partly", "5.9": "no", "6.1": "yes", "6.2": "partly", "6.3": "partly", "6.4": "partly",
        "6.5": "partly"}}],
}


def environment(cache: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = cache
    return env


def timed(cmd: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT, env=env)
    return time.perf_counter() - start


def median(runs: int, cmd: list[str], env: dict[str, str]) -> float:
    timed(cmd, env)  # fills the bytecode and knowledge-base caches
    return statistics.median(timed(cmd, env) for _ in range(runs))


PHASES = """
import sys, time
t = [time.perf_counter()]
import peeradvisor.cli
t.append(time.perf_counter())
from peeradvisor.answers import load_answers
from peeradvisor.kb import load_kb
kb = load_kb(); t.append(time.perf_counter())
from peeradvisor.core import Probe, build_report, engine_for, run_engine
from peeradvisor.core.questions import next_questions
engine_for(kb).warm(); t.append(time.perf_counter())
answers = load_answers(sys.argv[1]); facts, firings = run_engine(answers, kb); t.append(time.perf_counter())
report = build_report(answers, kb, facts, firings, questions=False); t.append(time.perf_counter())
next_questions(Probe(answers, kb, facts, firings, report.findings)); t.append(time.perf_counter())
print(" ".join(f"{b - a:.4f}" for a, b in zip(t, t[1:])))
"""
PHASE_NAMES = ("import the CLI", "load the knowledge base", "build the engine", "run the rules", "the report",
               "next questions")


def phases(path: Path, runs: int, env: dict[str, str]) -> dict[str, float]:
    """Where one cold advise spends its time (median of RUNS processes, each phase in seconds)."""
    samples = []
    for _ in range(runs + 1):
        out = subprocess.run([sys.executable, "-c", PHASES, str(path)], check=True, capture_output=True,
                             text=True, cwd=ROOT, env=env).stdout
        samples.append([float(x) for x in out.split()])
    return {name: statistics.median(s[i] for s in samples[1:]) for i, name in enumerate(PHASE_NAMES)}


def in_process() -> tuple[float, float]:
    """Mean and worst milliseconds (CPU) next questions add to one advise, over the examples and cases."""
    from peeradvisor.answers import answers_from_data
    from peeradvisor.cases import load_folder, scenarios_folder
    from peeradvisor.core import Probe, build_report, run_engine
    from peeradvisor.core.questions import next_questions
    from peeradvisor.kb import load_kb
    from peeradvisor.yamlio import load_file

    kb = load_kb()
    sources = [load_file(p) for p in sorted((ROOT / "examples").glob("*.yaml"))]
    sources += [dict(c.answers) for c in load_folder(ROOT / "tests" / "cases") + load_folder(scenarios_folder(ROOT))]
    costs = []
    for data in sources:
        answers = answers_from_data(data, "bench")
        facts, firings = run_engine(answers, kb)
        report = build_report(answers, kb, facts, firings, questions=False)
        start = time.process_time()
        next_questions(Probe(answers, kb, facts, firings, report.findings))
        costs.append((time.process_time() - start) * 1000)
    return statistics.mean(costs), max(costs)


def quick_questions(data: dict[str, Any], respondent: int) -> tuple[int | None, int]:
    """(questions asked when --quick offers to stop, or None; questions in the full questionnaire), for a
    person answering as DATA says, their inventory being response RESPONDENT."""
    from peeradvisor.assess import fields
    from peeradvisor.assess.quick import Quick
    from peeradvisor.assess.session import Session
    from peeradvisor.kb import load_kb
    from peeradvisor.kb.questions import load_questionnaire

    kb = load_kb()
    questionnaire = load_questionnaire(kb)
    source = (data.get("responses") or [None])[respondent]
    session, quick, asked = Session.new(questionnaire, quick=True), Quick(kb), 0
    full = Session.new(questionnaire)
    full.data = data  # the same answers: which questions apply to them
    total = len(full.applicable(expect_response=True))
    while not session.at_end:
        standing = quick.update(session)
        if standing is not None and standing.settled:
            return asked, total
        question = session.current()
        assert question is not None
        if question.scope == "service":
            value = fields.get(data, fields.path_of(question.id, 0))
        elif question.id.startswith("respondent."):
            value = (source or {}).get("respondent", {}).get(question.id.split(".")[1])
        elif question.id == "top3":
            value = (source or {}).get("top3") or None
        else:
            answer = (source or {}).get("inventory", {}).get(question.item)
            value = (answer if isinstance(answer, dict) else {"happening": answer}).get(question.part) \
                if answer is not None else None
        asked += 1
        if value is None:
            session.skip()
        else:
            session.answer([(question.id, value)])
    return None, total


def main() -> int:
    from peeradvisor.yamlio import load_file

    runs = 3 if "--quick" in sys.argv else 7
    figures: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as tmp:
        env = environment(str(Path(tmp) / "pycache"))
        thin = Path(tmp) / "thin.json"
        thin.write_text(json.dumps(THIN), encoding="utf-8")
        imports = median(runs, [sys.executable, "-c", IMPORTS], env)
        advise = {"thin file": median(runs, [sys.executable, "-m", "peeradvisor", "advise", str(thin), "--format",
                                             "json"], env)}
        for path in sorted((ROOT / "examples").glob("*.yaml")):
            advise[path.name] = median(runs, [sys.executable, "-m", "peeradvisor", "advise", str(path),
                                              "--format", "json"], env)
        split = phases(thin, runs, env)
    mean_ms, worst_ms = in_process()
    print(f"imports   {imports * 1000:7.0f} ms   (bare interpreter: experta, pydantic, rich, typer, yaml)")
    worst = max(advise.values())
    for name, seconds in advise.items():
        print(f"advise    {seconds * 1000:7.0f} ms   ({seconds / imports:.2f} x imports) — {name}")
    print("phases    " + " · ".join(f"{name} {seconds * 1000:.0f} ms" for name, seconds in split.items())
          + " (one cold advise of the thin file)")
    print(f"in-process  next questions add {mean_ms:.0f} ms on average, {worst_ms:.0f} ms at most "
          "(CPU, examples and cases)")
    quick: dict[str, Any] = {}
    examples = [(p.name, load_file(p)) for p in sorted((ROOT / "examples").glob("*.yaml"))]
    for name, data in [*examples, ("a typical new NHS ward", TYPICAL_WARD)]:
        for respondent in range(max(1, len(data.get("responses") or []))):
            asked, total = quick_questions(data, respondent)
            label = name if len(data.get("responses") or []) < 2 else f"{name} (respondent {respondent + 1})"
            quick[label] = {"asked": asked, "full": total}
            said = f"{asked} questions" if asked is not None else "no offer to stop (no inventory)"
            print(f"quick     {said} of {total} — {label}")
    ok = worst <= GOAL * imports
    print(f"  [{'ok' if ok else 'MISSED'}] advise with next questions <= {GOAL} x imports "
          f"(worst {worst / imports:.2f} x)")
    figures.update(imports_s=imports, advise_s=advise, phases_s=split,
                   next_questions_ms={"mean": mean_ms, "worst": worst_ms}, quick=quick)
    print(json.dumps({"figures": figures, "goal": ok}))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
