"""The command line: exit codes, where messages go, and the contract's JSON shapes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from peeradvisor.cli import app

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))
runner = CliRunner()


def invoke(*args: str):  # type: ignore[no-untyped-def]
    return runner.invoke(app, list(args))


@pytest.mark.parametrize("example", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_advise_json_matches_contract(example: Path) -> None:
    """`advise --format json` prints the contract report for every example."""
    result = invoke("advise", str(example), "--format", "json")
    assert result.exit_code == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["format"] == "peeradvisor/report@1"
    assert report["findings"], "every example should give some advice"
    assert [f["rank"] for f in report["findings"]] == list(range(1, len(report["findings"]) + 1))
    for finding in report["findings"]:
        assert {"id", "kind", "rank", "score", "title", "advice", "themes", "items", "because",
                "evidence"} <= set(finding)
        assert finding["kind"] in {"warning", "recommendation", "strength", "caveat"}
        assert set(finding["themes"]) <= {"distinctiveness", "peer_identity", "support", "structures", "culture"}
        assert all(i["direction"] in {"put_in_place", "avoid", "review"} for i in finding["items"])
        assert finding["evidence"] and all(e["locator"].split(" › ")[0] for e in finding["evidence"])
        assert finding["because"], f"{finding['id']} has no reasons"


def test_advise_text_leads_with_what_to_do() -> None:
    """The default terminal view starts with the priorities (why, who, when); --all adds every finding in full."""
    result = invoke("advise", str(ROOT / "examples" / "nhs-inpatient-new.yaml"))
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[3] == "Start here" and lines[4].startswith(" 1. ")
    assert "Why:" in result.stdout and "Who:" in result.stdout and "Study: Chapter" not in result.stdout
    full = invoke("advise", str(ROOT / "examples" / "nhs-inpatient-new.yaml"), "--all")
    assert "Every finding in full" in full.stdout and "Study: Chapter" in full.stdout


@pytest.mark.parametrize(("content", "words"), [
    ("format: nope\n", "format"),
    ("[1, 2]\n", "not a list"),
    ("", "is empty"),
])
def test_bad_file_exit_2_one_line(tmp_path: Path, content: str, words: str) -> None:
    """A bad answers file exits 2 with one `Error:` line on stderr naming the file; nothing on stdout."""
    path = tmp_path / "bad.yaml"
    path.write_text(content)
    result = invoke("advise", str(path), "--format", "json")
    assert result.exit_code == 2
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"Error: {path}") and words in lines[0]
    assert "Traceback" not in result.stderr


def test_missing_file_exit_2() -> None:
    """A file that does not exist is an input error, not a crash."""
    result = invoke("advise", "no-such-file.yaml")
    assert result.exit_code == 2 and "no such file" in result.stderr


def test_output_never_overwrites_input(tmp_path: Path) -> None:
    """--output pointing at the input file is refused and the input is left as it was."""
    path = tmp_path / "a.yaml"
    original = (ROOT / "examples" / "nhs-inpatient-new.yaml").read_text()
    path.write_text(original)
    result = invoke("advise", str(path), "--format", "json", "--output", str(path))
    assert result.exit_code == 2
    assert path.read_text() == original


def test_validate_reports_each_file(tmp_path: Path) -> None:
    """`validate` says which files are valid and exits 2 if any is not."""
    bad = tmp_path / "bad.yaml"
    bad.write_text("format: peeradvisor/answers@1\norganisation: X\ncontext: {employer: nhs}\n")
    result = invoke("validate", str(EXAMPLES[0]), str(bad))
    assert result.exit_code == 2
    assert "valid" in result.stdout
    assert "context.setting: is required" in result.stderr


def test_validate_lists_every_problem(tmp_path: Path) -> None:
    """`validate` prints every problem of a file, one `Error: FILE: path: message` line each, and exits 2."""
    bad = tmp_path / "three.yaml"
    bad.write_text("format: peeradvisor/answers@1\norganisation: X\nstage: old\n"
                   "context: {employer: council, setting: inpatient}\n"
                   "responses:\n  - respondent: {group: peer_worker}\n    inventory: {'2.1': {importance: 9}}\n")
    result = invoke("validate", str(bad))
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert lines == [
        f"Error: {bad}: stage: must be one of planning, new, established (got 'old')",
        f"Error: {bad}: context.employer: must be one of nhs, voluntary, partnership (got 'council')",
        f"Error: {bad}: responses[0].inventory.2.1.importance: must be one of 1, 2, 3, 4, dont_know, "
        "not_relevant (got 9)",
    ] or len(lines) == 3, lines
    assert "more problem" not in result.stderr


def test_advise_lists_every_problem(tmp_path: Path) -> None:
    """Every command that loads an answers file reports all its problems, each on its own `Error:` line."""
    bad = tmp_path / "two.yaml"
    bad.write_text("format: peeradvisor/answers@1\norganisation: X\ncontext: {employer: nhs, setting: ward, "
                   "team_size: 0}\n")
    result = invoke("advise", str(bad))
    assert result.exit_code == 2 and result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 2 and all(line.startswith(f"Error: {bad}: context.") for line in lines)


def test_rules_json_lists_every_rule(kb) -> None:  # type: ignore[no-untyped-def]
    """`rules --format json` lists every rule with the finding's shape (what check_evidence reads)."""
    result = invoke("rules", "--format", "json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["format"] == "peeradvisor/rules@1"
    assert len(data["rules"]) == len(kb.rules)
    assert all({"id", "kind", "title", "themes", "items", "evidence"} <= set(r) for r in data["rules"])


def test_rules_lint_passes_on_real_knowledge_base() -> None:
    """The bundled knowledge base lints clean (references, cycles, and evidence where the study is present)."""
    result = invoke("rules", "lint")
    assert result.exit_code == 0, result.stderr
    assert "0 error(s)" in result.stdout


def test_rules_coverage_reaches_all_items() -> None:
    """Coverage: all 40 items, 5 themes and every Chapter 5 section are reached."""
    result = invoke("rules", "coverage", "--format", "json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert all(data["items"].values()) and all(data["themes"].values())
    assert all(data["chapter5_sections"].values())


def test_internal_error_is_short_without_debug(monkeypatch: pytest.MonkeyPatch) -> None:
    """An unexpected failure prints one short line and exits 1; the traceback only appears with --debug."""
    import peeradvisor.commands.advise as advise_module

    def boom(*_: object, **__: object) -> None:
        raise RuntimeError("secret answer text")

    monkeypatch.setattr(advise_module, "run_advise", boom)
    result = invoke("advise", str(EXAMPLES[0]), "--format", "json")
    assert result.exit_code == 1
    assert "internal error (RuntimeError)" in result.stderr
    assert "secret answer text" not in result.stderr and "Traceback" not in result.stderr


class TestAdviseWhatIf:
    def test_set_shows_findings_that_disappear(self) -> None:
        """`advise FILE --set` re-runs with a changed answer and names the findings that go away."""
        path = str(ROOT / "examples" / "nhs-inpatient-new.yaml")
        result = invoke("advise", path, "--set", "context.staffing_pressure=false", "--format", "json")
        assert result.exit_code == 0, result.stderr
        data = json.loads(result.stdout)
        gone = {row["id"] for row in data["disappeared"]}
        assert gone and all("staff" in row["title"].lower() for row in data["disappeared"])
        assert not gone & {f["id"] for f in data["report"]["findings"]}

    def test_set_bad_value_exit_2(self) -> None:
        """A --set value the contract does not allow is refused with the field named."""
        path = str(ROOT / "examples" / "nhs-inpatient-new.yaml")
        result = invoke("advise", path, "--set", "context.setting=moon")
        assert result.exit_code == 2 and "context.setting" in result.stderr

    def test_set_refuses_memo_formats(self) -> None:
        """--set compares findings; it is refused for html/docx memos rather than ignored."""
        path = str(ROOT / "examples" / "nhs-inpatient-new.yaml")
        result = invoke("advise", path, "--set", "context.staffing_pressure=false", "--format", "html")
        assert result.exit_code == 2 and "--set" in result.stderr


def test_output_under_a_file_is_an_input_error(tmp_path: Path) -> None:
    """--output whose folder is really a file gives exit 2 and a clear message, not an internal error."""
    blocker = tmp_path / "file.txt"
    blocker.write_text("x")
    result = invoke("advise", str(EXAMPLES[0]), "--format", "json", "--output", str(blocker / "out.json"))
    assert result.exit_code == 2 and "cannot write here" in result.stderr
