"""`advise FOLDER`: a memo per file, bad files reported and skipped, inputs never overwritten; --since."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from peeradvisor.cli import app
from peeradvisor.commands import advise as advise_cmd
from peeradvisor.commands import batch
from peeradvisor.render.advice import Prepared

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))
NHS = ROOT / "examples" / "nhs-inpatient-new.yaml"
DATE = "2026-12-01"
runner = CliRunner()


def invoke(*args: str):  # type: ignore[no-untyped-def]
    return runner.invoke(app, list(args))


@pytest.fixture
def mixed(tmp_path: Path) -> Path:
    folder = tmp_path / "sites"
    folder.mkdir()
    for example in EXAMPLES:
        shutil.copy(example, folder / example.name)
    bad = NHS.read_text(encoding="utf-8").replace('"2.5": {happening: partly, importance: 4}',
                                                  '"2.5": {happening: partly, importance: 7}')
    (folder / "bad-importance.yaml").write_text(bad, encoding="utf-8")
    (folder / "broken.json").write_text("{not json", encoding="utf-8")
    (folder / "notes.txt").write_text("not an answers file", encoding="utf-8")
    return folder


def test_folder_writes_good_memos_and_reports_bad_files(mixed: Path, tmp_path: Path) -> None:
    """Good files give memos; each bad file gets one `Error: file: path: message` line; exit 2."""
    out = tmp_path / "memos"
    result = invoke("advise", str(mixed), "--format", "md", "--output", str(out), "--date", DATE)
    assert result.exit_code == 2
    assert sorted(p.name for p in out.iterdir()) == sorted(f"{p.stem}.md" for p in EXAMPLES)
    errors = [line for line in result.stderr.splitlines() if line.startswith("Error: ")]
    assert errors == [
        f"Error: {mixed / 'bad-importance.yaml'}: responses[0].inventory.2.5.importance: " + errors[0].split(
            "importance: ", 1)[1],
        f"Error: {mixed / 'broken.json'}: " + errors[1].split("broken.json: ", 1)[1],
    ]
    assert "not valid JSON" in errors[1]
    assert "Riverside" in result.stdout and "Northside" in result.stdout
    assert "failed" in result.stdout
    memo = (out / "nhs-inpatient-new.md").read_text(encoding="utf-8")
    single = invoke("advise", str(NHS), "--format", "md", "--date", DATE)
    assert memo == single.stdout


def test_folder_needs_output(mixed: Path) -> None:
    """A folder without --output is refused with exit 2."""
    result = invoke("advise", str(mixed), "--format", "html")
    assert result.exit_code == 2 and "give --output FOLDER" in result.stderr


def test_folder_refuses_since(mixed: Path, tmp_path: Path) -> None:
    """--since takes one answers file, not a folder of them."""
    result = invoke("advise", str(mixed), "-f", "md", "-o", str(tmp_path / "o"), "--since", str(NHS))
    assert result.exit_code == 2 and "--since" in result.stderr


def test_empty_folder_is_refused(tmp_path: Path) -> None:
    """A folder without answers files exits 2."""
    result = invoke("advise", str(tmp_path), "-f", "md", "-o", str(tmp_path / "o"))
    assert result.exit_code == 2 and "no answers files" in result.stderr


def test_output_equal_to_input_is_refused(tmp_path: Path) -> None:
    """`-o` naming the input file exits 2 and leaves the input untouched."""
    source = tmp_path / "answers.json"
    source.write_text(json.dumps({"format": "peeradvisor/answers@1", "organisation": "X",
                                  "context": {"employer": "nhs", "setting": "community"}}), encoding="utf-8")
    before = source.read_bytes()
    result = invoke("advise", str(source), "--format", "json", "--output", str(source))
    assert result.exit_code == 2 and "one of the input files" in result.stderr
    assert source.read_bytes() == before


def test_folder_output_landing_on_an_input_is_refused(tmp_path: Path) -> None:
    """A folder memo that would overwrite one of the inputs stops the batch before anything is written."""
    source = tmp_path / "site.json"
    source.write_text(json.dumps({"format": "peeradvisor/answers@1", "organisation": "X",
                                  "context": {"employer": "nhs", "setting": "community"}}), encoding="utf-8")
    shutil.copy(NHS, tmp_path / "ward.yaml")
    before = source.read_bytes()
    result = invoke("advise", str(tmp_path), "--format", "json", "--output", str(tmp_path))
    assert result.exit_code == 2 and "would overwrite the input" in result.stderr
    assert source.read_bytes() == before and not (tmp_path / "ward.json").exists()


def test_same_stem_inputs_get_distinct_outputs(tmp_path: Path) -> None:
    """site.yaml and site.json do not share one memo: both keep their suffix in the output name."""
    assert batch.plan_outputs([tmp_path / "site.json", tmp_path / "site.yaml", tmp_path / "b.yml"],
                              tmp_path / "out", ".md") == [
        tmp_path / "out" / "site.json.md", tmp_path / "out" / "site.yaml.md", tmp_path / "out" / "b.md"]


def test_large_folder_runs_in_parallel_in_input_order(tmp_path: Path) -> None:
    """Over PARALLEL_OVER files go to worker processes; memos match the single-file ones, rows keep order."""
    folder = tmp_path / "many"
    folder.mkdir()
    names = [f"site{n:02d}.yaml" for n in range(batch.PARALLEL_OVER + 1)]
    for n, name in enumerate(names):
        shutil.copy(EXAMPLES[n % len(EXAMPLES)], folder / name)
    out = tmp_path / "out"
    result = invoke("advise", str(folder), "-f", "json", "-o", str(out), "--date", DATE)
    assert result.exit_code == 0, result.stderr
    singles = [invoke("advise", str(example), "-f", "json", "--date", DATE).stdout for example in EXAMPLES]
    for n, name in enumerate(names):
        assert (out / name.replace(".yaml", ".json")).read_text(encoding="utf-8") == singles[n % len(EXAMPLES)]
    organisations = [json.loads((out / n.replace(".yaml", ".json")).read_text())["organisation"]
                     for n in names]
    first_words = [org.split(" ")[0] for org in organisations]
    assert first_words[:3] == ["Riverside", "Eastgate", "Northside"]
    lines = result.stdout.splitlines()
    assert [line.split(" ")[0] for line in lines if line.startswith("site")] == names  # the summary's order
    sites = [line.split()[0] for line in lines
             if line.startswith("  ") and line[2] != " " and not line.startswith("  Top finding")]
    assert sites == first_words


def test_interrupted_batch_leaves_no_half_written_memo(mixed: Path, tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """Ctrl-C during the second memo: exit 130, the first memo whole, no partial or temporary files."""
    real = advise_cmd.render_as
    calls: list[str] = []

    def interrupt_second(fmt: str, prepared: Prepared, detail: bool = False) -> str | bytes:
        calls.append(fmt)
        if len(calls) == 2:
            raise KeyboardInterrupt
        return real(fmt, prepared, detail)

    monkeypatch.setattr(advise_cmd, "render_as", interrupt_second)
    out = tmp_path / "memos"
    result = invoke("advise", str(mixed), "-f", "md", "-o", str(out), "--date", DATE)
    assert result.exit_code == 130
    written = sorted(p.name for p in out.iterdir())
    assert len(written) == 1 and written[0].endswith(".md") and not any(".tmp" in n for n in written)


def test_since_in_json_keeps_the_contract(tmp_path: Path) -> None:
    """--since adds a `since` key to the JSON report and leaves every contract key as it was."""
    old = tmp_path / "old.yaml"
    old.write_text(NHS.read_text(encoding="utf-8").replace('"6.1": {happening: yes, importance: 4}',
                                                           '"6.1": {happening: no, importance: 4}'),
                   encoding="utf-8")
    plain = json.loads(invoke("advise", str(NHS), "-f", "json").stdout)
    result = invoke("advise", str(NHS), "-f", "json", "--since", str(old))
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    since = data.pop("since")
    assert data == plain and data["answers"]["organisation"] == plain["organisation"]
    assert [c["item"] for c in since["improved"]] == ["6.1"]
    assert since["previous"]["organisation"] == plain["organisation"]


@pytest.mark.parametrize(("fmt", "words"), [("md", "## What changed since 25 November 2026"),
                                            ("html", "What changed since 25 November 2026"),
                                            ("text", "What changed since 25 November 2026")])
def test_since_shown_in_every_format(fmt: str, words: str, tmp_path: Path) -> None:
    """The comparison appears in Markdown, HTML and the terminal view."""
    result = invoke("advise", str(NHS), "-f", fmt, "--since", str(EXAMPLES[0]), "--date", DATE)
    assert result.exit_code == 0, result.stderr
    assert words in result.stdout


def test_since_shown_in_docx(tmp_path: Path) -> None:
    """The comparison appears in the Word memo as a section."""
    import docx

    out = tmp_path / "memo.docx"
    result = invoke("advise", str(NHS), "-f", "docx", "-o", str(out), "--since", str(NHS))
    assert result.exit_code == 0, result.stderr
    headings = [p.text for p in docx.Document(str(out)).paragraphs if p.style.name == "Heading 1"]
    assert "What changed since 25 November 2026" in headings


def test_since_output_may_not_overwrite_the_old_file(tmp_path: Path) -> None:
    """The --since file counts as an input too."""
    old = tmp_path / "old.yaml"
    shutil.copy(NHS, old)
    result = invoke("advise", str(NHS), "-f", "md", "--since", str(old), "-o", str(old))
    assert result.exit_code == 2 and old.read_bytes() == NHS.read_bytes()
