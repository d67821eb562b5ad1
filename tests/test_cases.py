"""Every case in tests/cases/*.yaml meets its expectations (data that is both documentation and test)."""

from __future__ import annotations

from pathlib import Path

import pytest

from peeradvisor.cases import Case, load_folder
from peeradvisor.core import advise
from peeradvisor.kb import KnowledgeBase
from peeradvisor.kb.conditions import negated_derived

CASES = load_folder(Path(__file__).parent / "cases")


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_case(case: Case, kb: KnowledgeBase) -> None:
    """The case's answers give the findings it lists as present, none it lists as absent."""
    known = {r.id for r in kb.rules}
    unknown = [x for x in (*case.expect.present, *case.expect.absent, *case.expect.within) if x not in known]
    assert not unknown, f"expectations name unknown rules: {unknown}"
    assert case.check(advise(case.parsed(), kb)) == []


def test_case_names_unique() -> None:
    """Case names are unique across files, so a failure names exactly one case."""
    names = [c.name for c in CASES]
    assert len(names) == len(set(names))


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_negated_conclusions_respected(case: Case, kb: KnowledgeBase) -> None:
    """No finding is given while a derived fact its rule says must be absent was concluded."""
    report = advise(case.parsed(), kb)
    for finding in report.findings:
        rule = kb.rule(finding.id)
        excluded = {name for c in rule.when if (name := negated_derived(c))}
        assert not excluded & set(report.derived), (finding.id, excluded & set(report.derived))
