"""Consensus across stakeholder groups: divergence, its ranking, the role star (data, SVG, text), the CLI."""

from __future__ import annotations

import itertools
import json
import math
import shutil
import subprocess
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from peeradvisor.analysis.consensus import build_consensus
from peeradvisor.answers import load_answers, parse_answers
from peeradvisor.cli import app
from peeradvisor.core import advise
from peeradvisor.errors import KnowledgeError
from peeradvisor.facts import build_facts
from peeradvisor.kb import KnowledgeBase
from peeradvisor.kb.evidence_check import Study
from peeradvisor.kb.role_star import load_role_star
from peeradvisor.render.star import role_star_svg, star_layout, star_text
from peeradvisor.render.star_layout import RADIUS, Layout
from peeradvisor.vocab import GROUPS

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
STUDY = ROOT.parent / "shared" / "seed" / "000_6a7dee68b5e046ac.txt"
SVG = "{http://www.w3.org/2000/svg}"
runner = CliRunner()

# Peer worker and line manager disagree on shared understanding (2.1); other items probe the edges.
DISAGREE = """
format: peeradvisor/answers@1
organisation: "Ward <7> & \\"Annexe\\""
stage: new
context: {employer: nhs, setting: inpatient}
responses:
  - respondent: {group: peer_worker}
    inventory:
      "2.1": {happening: no, importance: 4}
      "2.2": {happening: partly, importance: 3}
      "2.5": {happening: partly, importance: 4}
      "5.6": {happening: yes, importance: 1}
      "2.3": {happening: yes, importance: 3}
    top3: ["2.1"]
  - respondent: {group: line_manager}
    inventory:
      "2.1": {happening: yes, importance: 4}
      "2.2": {happening: yes, importance: 4}
      "2.5": {happening: yes, importance: 4}
      "5.6": {happening: yes, importance: 3}
      "2.3": {happening: yes, importance: 4}
"""


@pytest.fixture()
def disagree_file(tmp_path: Path) -> Path:
    path = tmp_path / "disagree.yaml"
    path.write_text(DISAGREE, encoding="utf-8")
    return path


def _vertex(lay: Layout, index: int, count: int, value: float) -> tuple[float, float]:
    angle = -math.pi / 2 + 2 * math.pi * index / count
    return (round(lay.cx + RADIUS * value * math.cos(angle), 1), round(lay.cy + RADIUS * value * math.sin(angle), 1))


def _every_axis_file(groups: list[str], answer: Callable[[int, int], str] = lambda g, i: "partly",
                     only: bool = False) -> str:
    """Answers from one respondent per group to one item of every axis (ONLY: group n answers axis n only)."""
    axes = load_role_star(ROOT).axes
    responses = []
    for g, group in enumerate(groups):
        chosen = [axes[g % len(axes)]] if only else axes
        inventory = {a.items[0]: answer(g, i) for i, a in enumerate(chosen)}
        responses.append({"respondent": {"group": group}, "inventory": inventory})
    return json.dumps({"format": "peeradvisor/answers@1", "organisation": "Every axis",
                       "context": {"employer": "nhs", "setting": "community"}, "responses": responses})


def _item(consensus, item_id):  # type: ignore[no-untyped-def]
    return next(i for i in consensus.items if i.id == item_id)


class TestDivergence:
    """Which items diverge, and why."""

    def test_shared_understanding_divergent_and_advised(self, kb: KnowledgeBase) -> None:
        """Peer worker 'no' vs line manager 'yes' on 2.1 is divergent, and the advisor has a finding on it."""
        answers = parse_answers(DISAGREE)
        assert "2.1" in build_consensus(answers, kb).divergent
        report = advise(answers, kb)
        about = [f for f in report.findings if any(i.id == "2.1" for i in f.items)
                 and "distinctiveness" in f.themes]
        assert about, "no finding about shared understanding (item 2.1, theme distinctiveness)"

    def test_partly_against_yes_is_not_divergent(self, kb: KnowledgeBase) -> None:
        """'partly' against 'yes' with importance 1 point apart is agreement enough."""
        item = _item(build_consensus(parse_answers(DISAGREE), kb), "2.2")
        assert not item.divergent and item.divergence == []

    def test_importance_gap_of_two_is_divergent(self, kb: KnowledgeBase) -> None:
        """Both say yes to 5.6, but importance 1 against 3 is a gap of 2: divergent, and said so."""
        item = _item(build_consensus(parse_answers(DISAGREE), kb), "5.6")
        assert item.divergent and item.importance_gap == 2
        assert item.divergence == ["importance 2 points apart (Line managers 3, Peer workers 1)"]

    def test_reasons_name_the_groups(self, kb: KnowledgeBase) -> None:
        """A yes/no split names who says which."""
        item = _item(build_consensus(parse_answers(DISAGREE), kb), "2.1")
        assert item.divergence == ["Peer workers say no; Line managers say yes"]
        assert {v.group: v.happening for v in item.groups} == {"peer_worker": "no", "line_manager": "yes"}

    @pytest.mark.parametrize("example", sorted(EXAMPLES.glob("*.yaml")), ids=lambda p: p.stem)
    def test_yes_no_split_matches_engine_fact(self, example: Path, kb: KnowledgeBase) -> None:
        """A yes/no split is exactly the engine's `divergent` fact, so rules and this view agree."""
        answers = load_answers(example)
        facts = build_facts(answers)
        for item in build_consensus(answers, kb).items:
            split = any(r.endswith("say yes") for r in item.divergence)
            assert split == facts.items[item.id].divergent, item.id

    def test_one_group_cannot_diverge(self, kb: KnowledgeBase) -> None:
        """With a single stakeholder group nothing diverges and a note says why."""
        text = DISAGREE.split("  - respondent: {group: line_manager}")[0]
        result = build_consensus(parse_answers(text), kb)
        assert result.divergent == [] and result.notes

    def test_no_responses(self, kb: KnowledgeBase) -> None:
        """A planning file without responses gives an empty comparison, not an error."""
        result = build_consensus(load_answers(EXAMPLES / "partnership-bme-planning.yaml"), kb)
        assert result.items == [] and result.groups == [] and result.star.lines == [] and result.notes


class TestRanking:
    """Divergent items come most important first."""

    def test_ranked_by_priority(self, kb: KnowledgeBase) -> None:
        """The divergent list is in falling priority; 2.1 (a top-three yes/no split) outranks 5.6 (a gap)."""
        result = build_consensus(parse_answers(DISAGREE), kb)
        priorities = [_item(result, i).priority for i in result.divergent]
        assert priorities == sorted(priorities, reverse=True)
        assert result.divergent.index("2.1") < result.divergent.index("5.6")

    def test_priority_formula(self, kb: KnowledgeBase) -> None:
        """5.6: local (3-1)/3, study from Appendix 4 stakeholder means, severity 2/3; weights .45/.35/.20."""
        item = _item(build_consensus(parse_answers(DISAGREE), kb), "5.6")
        means = kb.study.importance["stakeholder"].means
        pw, lm = means["peer_worker"]["5.6"], means["line_manager"]["5.6"]
        assert pw is not None and lm is not None
        study = (pw + lm) / 2
        expected = 0.45 * (2 / 3) + 0.35 * (study - 1) / 3 + 0.20 * (2 / 3)
        assert item.priority == pytest.approx(expected, abs=0.002)


class TestRoleStarData:
    """knowledge/role_star.yaml: the axes, their items and their evidence."""

    def test_axes_map_to_the_items_of_the_brief(self) -> None:
        """Each core component is scored from the inventory items that express it, in drawing order."""
        star = load_role_star(ROOT)
        axes = {a.id: a.items for a in star.axes}
        assert list(axes) == ["shared_understanding", "distinct_function", "different_relationships",
                              "lived_experience", "own_terms", "bridging", "professionalism", "boundaries",
                              "crisis_skills"]
        assert axes["distinct_function"] == ["2.2", "2.6", "5.8"] and axes["lived_experience"] == ["1.2"]
        assert axes["own_terms"] == ["2.4", "5.6"] and axes["bridging"] == ["3.1", "3.2", "3.4"]
        assert {a.id: a.inverse for a in star.axes if a.inverse} == {"own_terms": ["2.4", "5.6"]}

    def test_every_axis_points_one_way(self, kb: KnowledgeBase) -> None:
        """No plain axis item is one the rules say to avoid; no inverse item one they say to put in place."""
        directions: dict[str, set[str]] = {}
        for rule in kb.rules:
            for ref in rule.items:
                directions.setdefault(ref.id, set()).add(ref.direction)
        for axis in load_role_star(ROOT).axes:
            for item_id in axis.items:
                wrong = "put_in_place" if item_id in axis.inverse else "avoid"
                assert wrong not in directions.get(item_id, set()), (axis.id, item_id)

    def test_inverse_items_are_handled(self) -> None:
        """1.3, 5.6 and 5.9 (whose yes is not more of a component) are scored the other way or left out,
        with a reason; every item of 'Expectations of the role' (2.x) is on an axis."""
        star = load_role_star(ROOT)
        inverse = {i for a in star.axes for i in a.inverse}
        left_out = {x.item: x.reason for x in star.left_out}
        assert inverse == {"2.4", "5.6"} and set(left_out) == {"1.3", "5.9"}
        placed = {i for a in star.axes for i in a.items}
        assert {f"2.{n}" for n in range(1, 9)} <= placed and not placed & set(left_out)

    @pytest.mark.skipif(not STUDY.exists(), reason="study text not available")
    def test_evidence_is_in_the_study(self) -> None:
        """Every locator is a path of real headings and every excerpt is verbatim."""
        study = Study.read(STUDY)
        star = load_role_star(ROOT)
        for ev in [*star.evidence, *(e for a in star.axes for e in a.evidence)]:
            assert study.locator_ok(ev.locator), ev.locator
            assert ev.excerpt is None or study.excerpt_ok(ev.excerpt), ev.excerpt

    @pytest.mark.parametrize(("items", "words"), [
        ('["2.9"]', ["role_star.yaml", "axes[2].items", "unknown item id '2.9'"]),  # no such item
        ('["2.7", "2.1"]', ["role_star.yaml", "2.1", "more than one axis"]),  # 2.1 would count twice
    ])
    def test_bad_axis_items_are_refused(self, tmp_path: Path, items: str, words: list[str]) -> None:
        """An unknown item, or an item on two axes, is refused naming the file, the path and the item."""
        (tmp_path / "knowledge").mkdir()
        text = (ROOT / "knowledge" / "role_star.yaml").read_text(encoding="utf-8")
        (tmp_path / "knowledge" / "role_star.yaml").write_text(text.replace('["2.7"]', items))
        with pytest.raises(KnowledgeError) as err:
            load_role_star(tmp_path)
        assert all(w in str(err.value) for w in words), str(err.value)

    def test_scores(self, kb: KnowledgeBase) -> None:
        """A group's axis score is the mean of yes=1/partly=0.5/no=0; no answers give None."""
        star = build_consensus(parse_answers(DISAGREE), kb).star
        axis = [a.id for a in star.axes]
        lines = {ln.group: ln.scores for ln in star.lines}
        assert lines["peer_worker"][axis.index("shared_understanding")] == 0.0
        assert lines["line_manager"][axis.index("shared_understanding")] == 1.0
        assert lines["peer_worker"][axis.index("distinct_function")] == 0.5  # 2.2 partly; 5.8 unanswered
        assert lines["peer_worker"][axis.index("crisis_skills")] is None

    def test_inverse_items_count_the_other_way(self, kb: KnowledgeBase) -> None:
        """'Disclosure on own terms': expected to disclose (2.4) and colleagues told (5.6) score 0, 'no' 1."""
        text = DISAGREE + '      "2.4": no\n'  # the line manager: not expected to disclose; 5.6 yes
        star = build_consensus(parse_answers(text), kb).star
        at = [a.id for a in star.axes].index("own_terms")
        lines = {ln.group: (ln.scores[at], ln.answered[at]) for ln in star.lines}
        assert lines["peer_worker"] == (0.0, 1)  # 5.6 yes
        assert lines["line_manager"] == (0.5, 2)  # 2.4 no (1), 5.6 yes (0)


class TestSvg:
    """The role star picture: structure, labels, escaping."""

    def test_structure(self, kb: KnowledgeBase) -> None:
        """One line per group, one label per axis, a viewBox, and a legend entry per group."""
        result = build_consensus(load_answers(EXAMPLES / "nhs-inpatient-new.yaml"), kb)
        root = ET.fromstring(role_star_svg(result))
        assert root.tag == f"{SVG}svg" and root.get("viewBox")
        lines = [p for p in root.iter(f"{SVG}path") if p.get("class") == "group"]
        assert [p.get("data-group") for p in lines] == result.groups
        labels = [t for t in root.iter(f"{SVG}text") if t.get("class") == "axis-label"]
        assert [t.get("data-axis") for t in labels] == [a.id for a in result.star.axes]
        assert [" ".join(s.text or "" for s in t) for t in labels] == [a.title for a in result.star.axes]
        legend = [g for g in root.iter(f"{SVG}g") if g.get("class") == "legend-entry"]
        assert [g.get("data-group") for g in legend] == result.groups

    def test_sparse_file_draws_gaps(self, kb: KnowledgeBase) -> None:
        """An axis a group did not answer is a gap in its line: no vertex there (it is not drawn as 0),
        no closed shape, no marker, and the legend says how many axes each group answered."""
        result = build_consensus(load_answers(EXAMPLES / "nhs-inpatient-new.yaml"), kb)
        lay = star_layout(result)
        n = result.groups.index("coworker")
        scores = result.star.lines[n].scores
        answered = [i for i, v in enumerate(scores) if v is not None]
        assert answered == [0, 1]  # shared understanding, distinct function: 7 of 9 unanswered
        assert lay.runs[n] == [[(lay.cx, round(lay.cy - 0.5 * RADIUS, 1)), _vertex(lay, 1, 9, 0.0)]]
        assert not lay.closed[n] and sorted(m.axis for m in lay.marks if m.group == n) == answered
        root = ET.fromstring(role_star_svg(result))
        line = next(p for p in root.iter(f"{SVG}path") if p.get("data-group") == "coworker")
        assert line.get("fill") == "none" and "Z" not in (line.get("d") or "") and line.get("data-gaps") == "7"
        text = " ".join(" ".join(t.itertext()) for t in root.iter(f"{SVG}text"))
        assert "Coworkers (1): 2 of 9 axes" in text and "A break in a group's line" in text
        assert (line.get("d") or "").count(",") == 2  # two vertices: the answered axes, nothing for the rest

    def test_fully_answered_group_is_a_closed_shape(self, kb: KnowledgeBase) -> None:
        """A group that answered every axis gets a closed, filled polygon."""
        result = build_consensus(parse_answers(_every_axis_file(["peer_worker", "coworker"])), kb)
        root = ET.fromstring(role_star_svg(result))
        lines = [p for p in root.iter(f"{SVG}path") if p.get("class") == "group"]
        assert all((p.get("d") or "").endswith("Z") and p.get("fill") != "none" for p in lines)

    @pytest.mark.parametrize("name", ["nhs", "six-groups-ties", "six-groups-spread", "one-axis-each"])
    def test_labels_never_meet_markers(self, kb: KnowledgeBase, name: str) -> None:
        """No text box (axis and ring labels, legend, title) meets a marker or another text box, and
        everything lies inside the picture."""
        files = {"nhs": (EXAMPLES / "nhs-inpatient-new.yaml").read_text(encoding="utf-8"),
                 "six-groups-ties": _every_axis_file(list(GROUPS), answer=lambda g, i: "yes"),
                 "six-groups-spread": _every_axis_file(list(GROUPS), answer=lambda g, i: ("yes", "partly",
                                                                                         "no")[(g + i) % 3]),
                 "one-axis-each": _every_axis_file(list(GROUPS), only=True)}
        lay = star_layout(build_consensus(parse_answers(files[name]), kb))
        assert lay.marks and any(t.kind == "ring" for t in lay.texts)
        texts = lay.texts
        for t in texts:
            assert not any(t.box.meets(m.box) for m in lay.marks), (t.kind, t.lines)
            box = t.box
            assert box.x0 >= 0 and box.x1 <= lay.width and box.y0 >= 0 and box.y1 <= lay.height, t.lines
        for a, b in itertools.combinations(texts, 2):
            assert not a.box.meets(b.box), (a.lines, b.lines)

    def test_text_is_escaped(self, kb: KnowledgeBase) -> None:
        """Markup and control characters in the organisation cannot break or inject into the SVG."""
        hostile = 'Ward <script>alert(1)</script> &\\x07'
        answers = parse_answers(DISAGREE.replace('Ward <7> & \\"Annexe\\"', hostile))
        svg = role_star_svg(build_consensus(answers, kb))
        root = ET.fromstring(svg)  # parses: nothing unescaped
        assert "<script>" not in svg and root.find(f"{SVG}script") is None
        title = root.find(f"{SVG}title")
        assert title is not None and title.text == "Role star: Ward <script>alert(1)</script> &"

    @pytest.mark.skipif(shutil.which("chromium") is None, reason="chromium is not installed")
    def test_browser_renders_it(self, kb: KnowledgeBase, tmp_path: Path) -> None:
        """A headless browser draws the SVG to a non-trivial PNG (the picture is checked by eye too)."""
        result = build_consensus(load_answers(EXAMPLES / "nhs-inpatient-new.yaml"), kb)
        page = tmp_path / "star.svg"
        page.write_text(role_star_svg(result), encoding="utf-8")
        shot = tmp_path / "star.png"
        subprocess.run(["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                        "--window-size=760,520", f"--screenshot={shot}", page.as_uri()],
                       check=True, capture_output=True, timeout=120)
        data = shot.read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 10_000


class TestStarText:
    """The terminal star: axes × groups with values and bars."""

    @pytest.mark.parametrize("width", [40, 60, 80, 120])
    def test_fits_width(self, kb: KnowledgeBase, width: int) -> None:
        """No line is wider than the terminal, side by side or stacked."""
        result = build_consensus(load_answers(EXAMPLES / "nhs-inpatient-new.yaml"), kb)
        text = star_text(result, width)
        assert all(len(line) <= width for line in text.splitlines()), text
        assert "█" in text and "Shared understanding" in text

    def test_values_and_bars(self, kb: KnowledgeBase) -> None:
        """A score of 1 is a full bar, 0 an empty one."""
        text = star_text(build_consensus(parse_answers(DISAGREE), kb), 80)
        row = next(line for line in text.splitlines() if line.startswith("Shared understanding"))
        assert "0.00 ░░░░░░░░░░" in row and "1.00 ██████████" in row


class TestCli:
    """`peeradvisor consensus FILE`."""

    def test_json_contract(self, disagree_file: Path) -> None:
        """--format json has the contract's keys, with 2.1 among the divergent items."""
        result = runner.invoke(app, ["consensus", str(disagree_file), "--format", "json"])
        assert result.exit_code == 0, result.stderr
        data = json.loads(result.stdout)
        assert data["format"] == "peeradvisor/consensus@1"
        assert data["groups"] == ["peer_worker", "line_manager"]
        assert {i["id"] for i in data["items"]} >= {"2.1", "5.6"}
        assert data["divergent"][0] == "2.1" and "star" in data

    def test_text(self, disagree_file: Path) -> None:
        """The terminal view ranks divergent items and draws the star within 80 columns."""
        result = runner.invoke(app, ["consensus", str(disagree_file)])
        assert result.exit_code == 0, result.stderr
        out = result.stdout
        assert "Where the groups diverge" in out and " 1. 2.1 Shared understanding" in out
        assert "Role star" in out and all(len(line) <= 80 for line in out.splitlines())

    def test_six_groups_fit_80_columns(self, tmp_path: Path) -> None:
        """With all six groups the answers table and the star switch to layouts that still fit."""
        said = dict(zip(GROUPS, ["no", "yes", "partly", "yes", "no", "yes"], strict=True))
        responses = [{"respondent": {"group": g}, "inventory": {"2.1": {"happening": a, "importance": 4},
                                                                 "2.7": "partly"}} for g, a in said.items()]
        path = tmp_path / "six.json"
        path.write_text(json.dumps({"format": "peeradvisor/answers@1", "organisation": "Six",
                                    "context": {"employer": "nhs", "setting": "community"},
                                    "responses": responses}), encoding="utf-8")
        result = runner.invoke(app, ["consensus", str(path)])
        assert result.exit_code == 0, result.stderr
        assert "Key: PW peer workers" in result.stdout and "Commissioners" in result.stdout
        assert all(len(line) <= 80 for line in result.stdout.splitlines())

    def test_markdown_and_html(self, disagree_file: Path, tmp_path: Path) -> None:
        """Markdown and HTML render; HTML embeds the SVG and escapes the organisation."""
        md = runner.invoke(app, ["consensus", str(disagree_file), "-f", "md"])
        assert md.exit_code == 0 and "## Where the groups diverge" in md.stdout and "\\<7\\>" in md.stdout
        assert "Peer workers 1, Line managers 1." in md.stdout  # separators keep their spaces
        assert "| 2.1 Shared understanding of role (divergent) |" in md.stdout
        assert "Shared understanding of the peer worker role; Chapter 4" in md.stdout
        out = tmp_path / "c.html"
        html = runner.invoke(app, ["consensus", str(disagree_file), "-f", "html", "-o", str(out)])
        assert html.exit_code == 0, html.stderr
        page = out.read_text(encoding="utf-8")
        assert "<svg" in page and "Ward &lt;7&gt;" in page and "<7>" not in page

    def test_bad_file_exit_2(self, tmp_path: Path) -> None:
        """An invalid answers file exits 2 with one Error line naming it, nothing on stdout."""
        bad = tmp_path / "bad.yaml"
        bad.write_text("format: peeradvisor/answers@1\norganisation: x\ncontext: {employer: nhs}\n")
        result = runner.invoke(app, ["consensus", str(bad), "-f", "json"])
        assert result.exit_code == 2 and result.stdout == ""
        assert result.stderr.startswith("Error: ") and "bad.yaml" in result.stderr

    def test_refuses_to_overwrite_input(self, disagree_file: Path) -> None:
        """--output pointing at the answers file is refused."""
        result = runner.invoke(app, ["consensus", str(disagree_file), "-o", str(disagree_file)])
        assert result.exit_code == 2 and "input" in result.stderr
        assert disagree_file.read_text(encoding="utf-8") == DISAGREE
