"""Property-based tests: generated answers never crash the advisor and the advice behaves sensibly."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from peeradvisor import vocab
from peeradvisor.answers import answers_from_data
from peeradvisor.core import advise
from peeradvisor.errors import InputError
from peeradvisor.kb import KnowledgeBase
from peeradvisor.kb.conditions import DivergentCondition, ItemCondition, children

SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
GRADED = ["yes", "partly", "no", "dont_know"]


@st.composite
def contexts(draw: st.DrawFn) -> dict[str, Any]:
    employer = draw(st.sampled_from(vocab.EMPLOYERS))
    ctx: dict[str, Any] = {"employer": employer, "setting": draw(st.sampled_from(["inpatient", "community", "bme",
                                                                                   "other"]))}
    if employer == "partnership" and draw(st.booleans()):
        ctx["partner"] = draw(st.sampled_from(["voluntary", "social_care"]))
    if employer != "nhs" and draw(st.booleans()):
        ctx["led_by"] = draw(st.sampled_from(["peer", "professional"]))
    if draw(st.booleans()):
        ctx["team_size"] = draw(st.integers(1, 60))
        ctx["peer_workers"] = draw(st.integers(0, ctx["team_size"]))
    optional = {
        "employment": ["paid", "volunteer", "mixed"], "funding": ["recurrent", "pilot", "none"],
        "pay_framework": ["agenda_for_change", "organisation_scale", "sessional", "unpaid"],
        "recruitment_route": ["open", "from_service", "both"], "staffing_pressure": [True, False],
        "executive_turnover": [True, False], "community_languages": [True, False],
        "setting_detail": ["forensic unit", "older adults", "acute", "crisis house"],
    }
    for key, values in optional.items():
        if draw(st.booleans()):
            ctx[key] = draw(st.sampled_from(values))
    ctx["supervision"] = draw(st.fixed_dictionaries({}, optional={
        "one_to_one": st.sampled_from(["regular", "ad_hoc", "none"]), "manager_prepared": st.sampled_from(GRADED),
        "wellbeing_space": st.sampled_from(["yes", "no", True, False]),
        "peer_group": st.sampled_from(["yes", "no"])}))
    culture_keys = ["open_about_mental_health", "reflective_practice", "lived_experience_valued",
                    "peer_voice_heard", "personal_boundaries_supported", "ready_for_change"]
    ctx["culture"] = draw(st.fixed_dictionaries({}, optional={k: st.sampled_from(GRADED) for k in culture_keys}))
    return ctx


answer_values = st.one_of(
    st.sampled_from(vocab.HAPPENING),
    st.fixed_dictionaries({}, optional={"happening": st.sampled_from([*vocab.HAPPENING, True, False]),
                                        "importance": st.sampled_from([1, 2, 3, 4, "dont_know", "not_relevant"])}),
)
responses = st.fixed_dictionaries({
    "respondent": st.fixed_dictionaries({"group": st.sampled_from(vocab.GROUPS)}),
    "inventory": st.dictionaries(st.sampled_from(vocab.ITEM_IDS), answer_values, max_size=40),
    "top3": st.lists(st.sampled_from(vocab.ITEM_IDS), max_size=3, unique=True),
})


@st.composite
def answer_files(draw: st.DrawFn) -> dict[str, Any]:
    return {
        "format": vocab.ANSWERS_FORMAT,
        "organisation": draw(st.text(min_size=1, max_size=40).filter(str.strip)),
        "stage": draw(st.sampled_from(vocab.STAGES)),
        "context": draw(contexts()),
        "responses": draw(st.lists(responses, max_size=6)),
    }


@SETTINGS
@given(data=answer_files())
def test_valid_files_always_give_a_contract_report(kb: KnowledgeBase, data: dict[str, Any]) -> None:
    """Any valid answers file gives a report: ranks 1..n, known kinds and themes, reasons and evidence."""
    report = advise(answers_from_data(data, "generated.yaml"), kb)
    assert [f.rank for f in report.findings] == list(range(1, len(report.findings) + 1))
    for finding in report.findings:
        assert finding.evidence and finding.because
        assert 0 <= finding.score <= 1


BREAKAGES = [
    (("context", "employer"), "charity"), (("context", "setting"), 7), (("context", "team_size"), -1),
    (("stage",), "ongoing"), (("format",), "peeradvisor/answers@9"), (("context", "funding"), ["x"]),
    (("context", "supervision", "one_to_one"), "weekly"), (("organisation",), ""),
    (("responses",), {"not": "a list"}), (("context",), "nhs"),
]


@SETTINGS
@given(data=answer_files(), breakage=st.sampled_from(BREAKAGES))
def test_invalid_files_always_refused_with_a_path(data: dict[str, Any], breakage: tuple[Any, Any]) -> None:
    """Breaking any one field gives an InputError whose path names that field (exit 2 at the CLI)."""
    path, value = breakage
    broken = copy.deepcopy(data)
    target = broken
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    with pytest.raises(InputError) as info:
        answers_from_data(broken, "generated.yaml")
    assert info.value.path.startswith(".".join(path[:1])) or info.value.path == ""
    assert "generated.yaml" in str(info.value)


def barrier_items(kb: KnowledgeBase) -> dict[str, set[str]]:
    """For each barrier, the items whose 'no' raises it and whose 'yes' raises it nowhere."""
    raised_by_no: dict[str, set[str]] = {}
    raised_by_yes: dict[str, set[str]] = {}
    for rule in kb.rules:
        if not (rule.concludes or "").startswith("barrier."):
            continue
        for cond in rule.conditions():
            for part in [cond, *children(cond)]:
                if isinstance(part, ItemCondition) and part.happening:
                    target = raised_by_yes if "yes" in part.happening else raised_by_no
                    target.setdefault(rule.concludes or "", set()).add(part.item)
    return {b: items - raised_by_yes.get(b, set()) for b, items in raised_by_no.items()}


@SETTINGS
@given(data=answer_files(), pick=st.randoms(use_true_random=False))
def test_yes_never_adds_the_barrier_its_absence_raises(kb: KnowledgeBase, data: dict[str, Any], pick: Any) -> None:
    """Answering yes (for everyone) to an item whose absence is a barrier never adds that barrier."""
    candidates = sorted((b, i) for b, items in barrier_items(kb).items() for i in items)
    barrier, item = pick.choice(candidates)
    before = advise(answers_from_data(data, "g"), kb)
    changed = copy.deepcopy(data)
    for response in changed["responses"]:
        response["inventory"][item] = "yes"
    after = advise(answers_from_data(changed, "g"), kb)
    if barrier not in before.derived:
        assert barrier not in after.derived


@SETTINGS
@given(data=answer_files(), extra=responses)
def test_adding_a_respondent_never_removes_a_divergence(kb: KnowledgeBase, data: dict[str, Any],
                                                        extra: dict[str, Any]) -> None:
    """Hearing from one more respondent can reveal disagreement between groups but never hide one."""
    from peeradvisor.facts import build_facts

    before = build_facts(answers_from_data(data, "g"))
    more = copy.deepcopy(data)
    more["responses"].append(extra)
    after = build_facts(answers_from_data(more, "g"))
    divergent_before = {i for i, s in before.items.items() if s.divergent}
    divergent_after = {i for i, s in after.items.items() if s.divergent}
    assert divergent_before <= divergent_after
    only_divergence = [r for r in kb.rules if r.kind != "derive" and r.conditions()
                       and all(isinstance(c, DivergentCondition) for c in r.conditions())]
    ids_before = {f.id for f in advise(answers_from_data(data, "g"), kb).findings}
    ids_after = {f.id for f in advise(answers_from_data(more, "g"), kb).findings}
    assert {r.id for r in only_divergence} & ids_before <= ids_after
