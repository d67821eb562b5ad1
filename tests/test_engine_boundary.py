"""The engine boundary: every run has its own working memory, so runs may overlap safely."""

from __future__ import annotations

import threading
from pathlib import Path

from peeradvisor.answers import load_answers
from peeradvisor.core import advise
from peeradvisor.engine import RuleEngine, engine_for
from peeradvisor.facts import build_facts
from peeradvisor.kb import KnowledgeBase

EXAMPLES = sorted((Path(__file__).resolve().parents[1] / "examples").glob("*.yaml"))


def test_engine_offers_the_protocol(kb: KnowledgeBase) -> None:
    """The compiled engine is a RuleEngine (run and steps), and is shared per knowledge base."""
    engine = engine_for(kb)
    assert isinstance(engine, RuleEngine)
    assert engine_for(kb) is engine


def test_step_through_survives_another_assessment(kb: KnowledgeBase) -> None:
    """A step-through left half way keeps its own state while other assessments run in between."""
    first, second = (load_answers(p) for p in EXAMPLES[:2])
    facts = build_facts(first)
    expected = engine_for(kb).run(facts)
    steps = engine_for(kb).steps(facts)
    taken = [next(steps) for _ in range(3)]
    advise(second, kb)  # a second assessment while the step-through is paused
    engine_for(kb).run(build_facts(second))
    taken += list(steps)
    assert taken == expected and len(taken) > 3


def test_threads_give_the_sequential_results(kb: KnowledgeBase) -> None:
    """Two threads advising different files, interleaved with a step-through, match sequential runs."""
    files = [load_answers(p) for p in EXAMPLES]
    sequential = [advise(a, kb) for a in files]
    results: dict[tuple[int, int], object] = {}
    errors: list[BaseException] = []

    def work(worker: int) -> None:
        try:
            for rep in range(4):
                for index, answers in enumerate(files):
                    if (index + worker) % 2:
                        results[(worker, rep * 10 + index)] = advise(answers, kb)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(w,)) for w in (0, 1)]
    stepping = engine_for(kb).steps(build_facts(files[0]))
    next(stepping)
    for thread in threads:
        thread.start()
    stepped = [next(stepping) for _ in range(5)]
    for thread in threads:
        thread.join()
    stepped += list(stepping)
    assert not errors
    assert stepped[5:] and [*engine_for(kb).run(build_facts(files[0]))[1:]] == stepped
    for (_, key), report in results.items():
        assert report == sequential[key % 10]


def test_per_assessment_network_fires_as_the_full_one(kb: KnowledgeBase) -> None:
    """A network of only the rules that can fire on an assessment gives exactly the full network's trace."""
    from peeradvisor.cases import load_folder
    from peeradvisor.engine.experta_engine import ExpertaEngine

    root = Path(__file__).resolve().parents[1]
    subjects = [load_answers(p) for p in EXAMPLES] + [c.parsed() for c in load_folder(root / "knowledge" / "scenarios")]
    full = ExpertaEngine(kb.rules)
    full.warm()
    for answers in subjects:
        facts = build_facts(answers)
        fresh = ExpertaEngine(kb.rules)  # its first run builds a network for this assessment only
        assert fresh.run(facts) == full.run(facts)
        assert fresh._full is None  # noqa: SLF001 - the point of the test: no full network was built
