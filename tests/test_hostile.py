"""Hostile input, round two: the terminal, special files, full disks, dates, duplicate keys, two sessions.

Each test pins one defect found by the second round of attacks (issue #17); the numbers are the issue's.
"""

from __future__ import annotations

import errno
import io
import json
import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from peeradvisor import yamlio
from peeradvisor.answers import load_answers
from peeradvisor.cli import app
from peeradvisor.errors import InputError
from peeradvisor.kb import KnowledgeBase

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "nhs-inpatient-new.yaml"
runner = CliRunner()

ESC_ORG = "Evil\x1b]0;PWNED\x07 Trust\x1b[2J\x1b[3J \x1b]8;;http://evil.example/\x1b\\click\x1b]8;;\x1b\\"
FAKE_LINE = "acute\n  99. Fake answer: yes"


def invoke(*args: str, input: str | None = None):  # type: ignore[no-untyped-def]  # noqa: A002
    return runner.invoke(app, list(args), input=input)


def answers(organisation: str = "Riverside", detail: str = "acute", label: str = "Ward manager",
            **extra: Any) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    data["assessed_on"] = str(data["assessed_on"])
    data["organisation"] = organisation
    data["context"]["setting_detail"] = detail
    data["responses"][1]["respondent"]["label"] = label
    data.update(extra)
    return data


def write_json(path: Path, data: dict[str, Any]) -> Path:
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def no_controls(text: str) -> bool:
    """No ESC, no other C0 control but tab and newline, no DEL or C1: nothing a terminal would obey."""
    return not any(ord(c) < 32 and c not in "\t\n" or 0x7F <= ord(c) <= 0x9F for c in text)


def _limit_memory() -> None:
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (512 * 2**20, 512 * 2**20))


def run_cli(*args: str, **kwargs: Any) -> subprocess.CompletedProcess[bytes]:
    """The real program in its own process (standard output a real file, pipe or device)."""
    env = {**os.environ, "NO_COLOR": "1", "PEERADVISOR_WIDTH": "80"}
    kwargs.setdefault("timeout", 120)
    return subprocess.run([sys.executable, "-m", "peeradvisor", *args], cwd=ROOT, env=env, check=False, **kwargs)


class TestTerminal:
    """1. No escape sequence or fake line from an answers file (or a file name) reaches the terminal."""

    def test_advise_text_shows_escapes_visibly(self, tmp_path: Path) -> None:
        """An organisation that would retitle the window and clear the screen is shown, not obeyed."""
        result = invoke("advise", str(write_json(tmp_path / "a.json", answers(ESC_ORG))))
        assert result.exit_code == 0, result.stderr
        assert no_controls(result.stdout)
        assert "Evil␛]0;PWNED␇ Trust␛[2J" in result.stdout

    def test_consensus_and_options_text(self, tmp_path: Path) -> None:
        """consensus and options print the organisation without its control characters."""
        path = write_json(tmp_path / "a.json", answers(ESC_ORG))
        for command in ("consensus", "options"):
            result = invoke(command, str(path))
            assert result.exit_code == 0, result.stderr
            assert no_controls(result.stdout) and "␛[2J" in result.stdout

    def test_since_names_the_earlier_organisation_safely(self, tmp_path: Path) -> None:
        """--since prints the earlier file's organisation on one line, without escapes."""
        old = write_json(tmp_path / "old.json", answers(ESC_ORG + "\n 1. ! WARNING fake"))
        new = write_json(tmp_path / "new.json", answers())
        result = invoke("advise", str(new), "--since", str(old))
        assert result.exit_code == 0, result.stderr
        assert no_controls(result.stdout)
        assert not any(line.startswith(" 1. ! WARNING fake") for line in result.stdout.splitlines())

    def test_batch_sites_table(self, tmp_path: Path) -> None:
        """The batch's table of sites shows each organisation without escapes."""
        folder = tmp_path / "in"
        folder.mkdir()
        write_json(folder / "a.json", answers(ESC_ORG))
        result = invoke("advise", str(folder), "--format", "md", "--output", str(tmp_path / "out"))
        assert result.exit_code == 0, result.stderr
        assert "Sites" in result.stdout and no_controls(result.stdout)

    def test_assess_review_cannot_show_a_fake_line(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                                   ) -> None:
        """A line break in setting_detail cannot print a fake numbered answer in the assess review."""
        monkeypatch.chdir(tmp_path)
        data = answers(ESC_ORG, detail=FAKE_LINE)
        (tmp_path / "mine.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
        result = invoke("assess", "--resume", "mine.yaml", input="\n\n")
        assert result.exit_code == 0, result.stderr
        assert "Review your answers" in result.stdout and no_controls(result.stdout)
        assert not any(line.lstrip().startswith("99. Fake") for line in result.stdout.splitlines())
        assert "acute 99. Fake answer: yes" in result.stdout

    def test_error_lines_show_file_names_safely(self, tmp_path: Path) -> None:
        """An `Error:` line naming a file with escapes and a line break stays one safe line."""
        name = tmp_path / "x\x1b[2J\nError: fake.yaml"
        result = invoke("validate", str(name))
        assert result.exit_code == 2
        assert no_controls(result.stderr) and len(result.stderr.splitlines()) == 1
        assert "␛[2J" in result.stderr

    def test_every_console_strips_controls(self) -> None:
        """Whatever a view prints through the console factory, Rich's own styling aside, no control passes."""
        from peeradvisor.console import make_console

        buffer = io.StringIO()
        console = make_console(file=buffer, width=60)
        console.print("a\x1b[31mred\x9b b\u202ec\u200bd", markup=False)
        assert buffer.getvalue() == "a␛[31mred� bcd\n"


def docx_text(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return z.read("word/document.xml").decode("utf-8")


def test_docx_takes_noncharacters(tmp_path: Path) -> None:
    """2. U+FFFE/U+FFFF and controls in organisation, label and detail give a DOCX without them (exit 0)."""
    data = answers("Org\ufffe one\uffff\x01", detail="detail\ufffe\x1b", label="lab\uffffel")
    out = tmp_path / "memo.docx"
    result = invoke("advise", str(write_json(tmp_path / "a.json", data)), "-f", "docx", "-o", str(out))
    assert result.exit_code == 0, result.stderr
    xml = docx_text(out.read_bytes())
    assert "Org one" in xml and "label" in xml and "detail" in xml
    assert not any(c in xml for c in "\ufffe\uffff\x01\x1b")


class TestSpecialOutputs:
    """3. --output refuses anything but a regular file, before doing any work, and leaves it as it was."""

    def test_fifo_refused(self, tmp_path: Path) -> None:
        """A named pipe as --output: exit 2, named, still a pipe."""
        fifo = tmp_path / "pipe"
        os.mkfifo(fifo)
        result = invoke("advise", str(EXAMPLE), "-f", "md", "-o", str(fifo))
        assert result.exit_code == 2 and "named pipe" in result.stderr and str(fifo) in result.stderr
        assert fifo.is_fifo()

    def test_device_through_a_link_refused(self, tmp_path: Path) -> None:
        """A link to /dev/null as --output: exit 2; the link and the device stay."""
        link = tmp_path / "null.md"
        link.symlink_to(os.devnull)
        result = invoke("advise", str(EXAMPLE), "-f", "md", "-o", str(link))
        assert result.exit_code == 2 and "a device" in result.stderr
        assert link.is_symlink() and Path(os.devnull).is_char_device()

    def test_link_to_own_stdout_refused(self, tmp_path: Path) -> None:
        """A link to /proc/self/fd/1 (standard output, here a pipe) is refused, not replaced by a file."""
        link = tmp_path / "out.md"
        link.symlink_to("/proc/self/fd/1")
        done = run_cli("advise", str(EXAMPLE), "-f", "md", "-o", str(link), capture_output=True)
        assert done.returncode == 2 and b"not a regular file" in done.stderr
        assert link.is_symlink()

    def test_link_to_a_file_writes_the_file(self, tmp_path: Path) -> None:
        """A link to a regular file keeps the link and replaces the file it points to."""
        target = tmp_path / "real.md"
        target.write_text("old")
        link = tmp_path / "link.md"
        link.symlink_to(target)
        assert invoke("advise", str(EXAMPLE), "-f", "md", "-o", str(link)).exit_code == 0
        assert link.is_symlink() and target.read_text(encoding="utf-8").startswith("# Advice memo")

    def test_other_writers_refuse_too(self, tmp_path: Path) -> None:
        """survey -o a named pipe is refused the same way (every write goes through one function)."""
        fifo = tmp_path / "survey.csv"
        os.mkfifo(fifo)
        result = invoke("survey", "--format", "csv", "-o", str(fifo), "--force")
        assert result.exit_code == 2 and "named pipe" in result.stderr


class TestFullDisk:
    """4. A full disk is reported as such (exit 1), nothing half-written is left, assess keeps its hint."""

    def test_stdout_full(self) -> None:
        """advise -f html > /dev/full: exit 1, 'no space left'."""
        with open("/dev/full", "wb") as full:
            done = run_cli("advise", str(EXAMPLE), "-f", "html", stdout=full, stderr=subprocess.PIPE)
        assert done.returncode == 1 and b"no space left" in done.stderr

    def test_short_writes_are_not_taken_as_done(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """A disk that takes part of a write and then fails raises, where Python's buffering would not."""
        from peeradvisor.cli_errors import _WholeWrites

        calls: list[int] = []

        def short_then_full(fd: int, data: Any) -> int:
            calls.append(len(data))
            if len(calls) > 1:
                raise OSError(errno.ENOSPC, "No space left on device")
            return len(data) // 2

        monkeypatch.setattr(os, "write", short_then_full)
        writer = io.BufferedWriter(_WholeWrites(99))
        with pytest.raises(OSError, match="No space"):
            writer.write(b"x" * 100_000)

    def test_output_file_full(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        """-o on a full disk: exit 1 naming the file and the full disk; the old file stays whole, no temp."""
        out = tmp_path / "memo.html"
        out.write_text("the earlier memo")

        def full(fd: int, data: Any) -> int:
            raise OSError(errno.ENOSPC, "No space left on device")

        monkeypatch.setattr(yamlio.os, "write", full)
        result = invoke("advise", str(EXAMPLE), "-f", "html", "-o", str(out))
        assert result.exit_code == 1
        assert f"{out}: no space left on the device; nothing was written" in result.stderr
        assert out.read_text() == "the earlier memo" and sorted(tmp_path.iterdir()) == [out]

    def test_assess_save_fails_with_the_resume_hint(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                                    ) -> None:
        """assess: when an autosave fails, the session stops saying why and how to resume what was saved."""
        monkeypatch.chdir(tmp_path)
        real = yamlio.write_all
        saves: list[int] = []

        def full_after_two(fd: int, data: bytes) -> None:
            saves.append(fd)
            if len(saves) > 2:
                raise OSError(errno.ENOSPC, "No space left on device")
            real(fd, data)

        monkeypatch.setattr(yamlio, "write_all", full_after_two)
        typed = "\n".join(["Riverside", "nhs", "inpatient", "acute", "new", "paid", "18"]) + "\n"
        result = invoke("assess", input=typed)
        assert result.exit_code == 1
        assert "no space left on the device" in result.stderr
        flat = " ".join(result.stdout.split())
        assert "peeradvisor assess --resume answers-riverside.yaml" in flat
        assert load_answers(tmp_path / "answers-riverside.yaml").context.setting_detail == "acute"

    def test_closed_pipe_is_quiet(self) -> None:
        """advise … | head -1: exit 0, no message, for the terminal view and for JSON."""
        for fmt in ("text", "json"):
            with subprocess.Popen([sys.executable, "-m", "peeradvisor", "advise", str(EXAMPLE), "-f", fmt],
                                  cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE) as proc:
                assert proc.stdout is not None and proc.stderr is not None
                proc.stdout.readline()
                proc.stdout.close()
                err = proc.stderr.read()
                assert proc.wait(timeout=60) == 0 and err == b""


class TestSpecialInputs:
    """5. Inputs must be regular files, read no further than the size limit."""

    @pytest.mark.parametrize("command", ["advise", "validate"])
    def test_fifo_refused_without_waiting(self, tmp_path: Path, command: str) -> None:
        """A named pipe nobody writes to is refused at once (exit 2), by advise and validate."""
        fifo = tmp_path / "answers.yaml"
        os.mkfifo(fifo)
        try:
            done = run_cli(command, str(fifo), capture_output=True, timeout=30)
        except subprocess.TimeoutExpired:
            pytest.fail(f"{command} waited for a writer to the named pipe")
        assert done.returncode == 2 and b"named pipe (FIFO), not a regular file" in done.stderr

    def test_endless_device_refused(self) -> None:
        """/dev/zero is a device, refused before reading a byte (here: within 512 MB of memory)."""
        done = run_cli("validate", "/dev/zero", capture_output=True, preexec_fn=_limit_memory)
        assert done.returncode == 2 and b"is a device, not a regular file" in done.stderr

    def test_never_reads_past_the_limit(self) -> None:
        """A file whose size says 0 (as /proc files do) is still read only up to the limit + 1 byte."""
        assert os.stat("/proc/self/status").st_size == 0
        with pytest.raises(InputError, match="the limit is 100"):
            yamlio.read_bytes(Path("/proc/self/status"), max_bytes=100)

    def test_rules_in_a_pipe_refused(self, tmp_path: Path) -> None:
        """rules lint on a knowledge base whose rule file is a named pipe: exit 2, no wait."""
        import shutil

        shutil.copytree(ROOT / "rules", tmp_path / "rules")
        shutil.copytree(ROOT / "knowledge", tmp_path / "knowledge")
        os.mkfifo(tmp_path / "rules" / "zz-pipe.yaml")
        done = run_cli("--debug", "rules", "lint", "--kb", str(tmp_path), capture_output=True)
        assert done.returncode == 2 and b"named pipe" in done.stderr


BASE = EXAMPLE.read_text(encoding="utf-8")
SMALL = "format: peeradvisor/answers@1\norganisation: X\nstage: new\ncontext: {employer: nhs, setting: inpatient}\n"


def refused(tmp_path: Path, text: str, name: str = "a.yaml") -> Any:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    result = invoke("validate", str(path))
    assert result.exit_code == 2, result.stdout
    return result.stderr


class TestDates:
    """6. Only `assessed_on` is a date; an impossible one is exit 2, and free text stays as written."""

    @pytest.mark.parametrize("date", ["2026-02-29", "2026-13-01", "2026-00-10", "'2026-02-30'"])
    def test_impossible_date_exit_2(self, tmp_path: Path, date: str) -> None:
        """An impossible assessed_on, quoted or not, is exit 2 naming the field, not an internal error."""
        err = refused(tmp_path, BASE.replace("assessed_on: 2026-11-25", f"assessed_on: {date}"))
        assert "assessed_on:" in err and "is not a date in the calendar" in err

    def test_dates_in_free_text_stay_text(self, tmp_path: Path) -> None:
        """An unquoted date in organisation or setting_detail is the text as written, impossible or not."""
        path = tmp_path / "a.yaml"
        path.write_text(BASE.replace('organisation: "Riverside NHS Trust — Ward 4"', "organisation: 2026-02-29")
                        .replace("setting_detail: acute admissions", "setting_detail: 2026-13-01"), encoding="utf-8")
        loaded = load_answers(path)
        assert loaded.organisation == "2026-02-29" and loaded.context.setting_detail == "2026-13-01"
        assert str(loaded.assessed_on) == "2026-11-25"


@pytest.mark.parametrize("word", ["yes", "true", "no", "false"])
def test_boolean_importance_refused(tmp_path: Path, word: str) -> None:
    """7. `importance: yes` (or true) is refused, not read as 1 (not at all important)."""
    err = refused(tmp_path, BASE.replace('"1.1": {happening: yes, importance: 3}',
                                         f'"1.1": {{happening: yes, importance: {word}}}'))
    assert "responses[0].inventory.1.1.importance: must be one of 4, 3, 2, 1" in err


class TestNumbersAndKeys:
    """11. Overlong integers exit 2; a key given twice is refused with both lines."""

    @pytest.mark.parametrize("name", ["a.yaml", "a.json"])
    def test_overlong_integer(self, tmp_path: Path, name: str) -> None:
        """A 5,000-digit team size is exit 2 (invalid input), not exit 1."""
        data = answers()
        text = json.dumps(data).replace('"team_size": 18', '"team_size": ' + "9" * 5000)
        assert "too long" in refused(tmp_path, text, name)

    def test_yaml_duplicate_stage(self, tmp_path: Path) -> None:
        """A repeated `stage` names the key and both lines."""
        text = SMALL + "stage: planning\n"
        assert "line 5: 'stage' is given twice in one mapping (lines 3 and 5)" in refused(tmp_path, text)

    def test_yaml_duplicate_inventory_item(self, tmp_path: Path) -> None:
        """The same inventory item twice in one response names the item and both lines."""
        text = SMALL + ("responses:\n  - respondent: {group: peer_worker}\n    inventory:\n"
                        '      "2.1": yes\n      "2.2": no\n      "2.1": no\n')
        assert "line 10: '2.1' is given twice in one mapping (lines 8 and 10)" in refused(tmp_path, text)

    def test_json_duplicate_key(self, tmp_path: Path) -> None:
        """JSON too: the second `organisation` is refused with both lines."""
        text = '{"format": "peeradvisor/answers@1",\n"organisation": "A",\n' \
               '"context": {"employer": "nhs", "setting": "inpatient"},\n"organisation": "B"}\n'
        err = refused(tmp_path, text, "a.json")
        assert "line 4: 'organisation' is given twice in one mapping (lines 2 and 4)" in err

    def test_same_item_quoted_and_not(self, tmp_path: Path) -> None:
        """`2.1:` and `"2.1":` in one inventory are the same item: refused."""
        err = refused(tmp_path, BASE.replace('      "1.1": {happening: yes, importance: 3}\n',
                                             '      "1.1": {happening: yes, importance: 3}\n      1.1: no\n', 1))
        assert "item 1.1 is given twice" in err


class TestTwoSessions:
    """12. Two assess sessions on one file never silently overwrite each other's answers."""

    def test_second_session_refused_naming_the_first(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                                     ) -> None:
        """While one session holds the file, `assess --resume` on it is refused with that session's pid."""
        from peeradvisor.commands.assess import SessionLock

        monkeypatch.chdir(tmp_path)
        path = tmp_path / "mine.yaml"
        path.write_text(BASE, encoding="utf-8")
        lock = SessionLock(path)
        lock.acquire()
        try:
            result = invoke("assess", "--resume", "mine.yaml", input="\n\n")
        finally:
            lock.release()
        assert result.exit_code == 2
        assert f"is open in another assess session (pid {os.getpid()})" in result.stderr
        assert path.read_text(encoding="utf-8") == BASE
        assert invoke("assess", "--resume", "mine.yaml", input="\n\n").exit_code == 0  # released
        assert not (tmp_path / ".mine.yaml.lock").exists()

    def test_file_changed_under_the_session(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        """A file rewritten by another program during a session is not overwritten: the session stops."""
        from peeradvisor.commands import assess as assess_command

        monkeypatch.chdir(tmp_path)
        path = tmp_path / "mine.yaml"
        path.write_text(BASE, encoding="utf-8")
        real = assess_command.FileSaver.__call__

        def meddle(self: Any, session: Any) -> Any:
            path.write_text(BASE.replace("Ward 4", "Ward 5"), encoding="utf-8")
            return real(self, session)

        monkeypatch.setattr(assess_command.FileSaver, "__call__", meddle)
        result = invoke("assess", "--resume", "mine.yaml", input="2\nvoluntary\n\n\n")
        assert result.exit_code == 2 and "was changed by another program" in result.stderr
        assert "Ward 5" in path.read_text(encoding="utf-8")


class TestMarkdownAndInvisible:
    """Minor: emphasis, autolinks, bidi and zero-width characters."""

    def test_markdown_free_text(self, tmp_path: Path) -> None:
        """*x*, _x_ and bare URLs in free text stay text in the Markdown memo (readable, copyable)."""
        data = answers("*Bold* _it_ https://evil.example/x www.evil.example HTTP://A")
        result = invoke("advise", str(write_json(tmp_path / "a.json", data)), "-f", "md")
        title = result.stdout.splitlines()[0]
        assert title == "# Advice memo: \\*Bold\\* \\_it\\_ https\\://evil.example/x www\\.evil.example HTTP\\://A"

    @pytest.mark.parametrize("fmt", ["text", "md", "html", "json"])
    def test_bidi_and_zero_width(self, tmp_path: Path, fmt: str) -> None:
        """A right-to-left override or zero-width space appears in no format (JSON keeps it, escaped)."""
        data = answers("Trust \u202egnp.exe\u202c zero\u200bwidth \ufeff")
        result = invoke("advise", str(write_json(tmp_path / "a.json", data)), "-f", fmt)
        assert result.exit_code == 0
        assert not any(c in result.stdout for c in "\u202e\u202c\u200b\ufeff")
        if fmt == "json":
            assert json.loads(result.stdout)["organisation"] == data["organisation"]

    def test_joiners_kept_where_scripts_need_them(self) -> None:
        """Zero-width joiners stay inside Devanagari and emoji; the England flag keeps its tags."""
        from peeradvisor import safe_text

        for text in ("क्\u200dष", "👩\u200d⚕️", "🏴\U000e0067\U000e0062\U000e0065\U000e006e\U000e0067\U000e007f"):
            assert safe_text.line(text) == text and safe_text.terminal(text) == text
        assert safe_text.line("ab\u200dcd") == "abcd"

    def test_yaml_written_with_escapes(self) -> None:
        """An answers file written by peeradvisor holds such text exactly, as escapes."""
        data = {"organisation": "A\u202eB\x1b[2J\x85"}
        text = yamlio.dump_yaml(data)
        assert no_controls(text) and "\u202e" not in text and yaml.safe_load(text) == data


HOSTILE = list("\x00\x07\x08\x0b\x0c\r\n\t\x1b\x7f\x85\x9b\x9c\ufffe\uffff\ufdd0\u202e\u2066\u200b\u200d\ufeff"
               "\u2028<>&\"'*_[]`|\\#!():/@ a")
free_text = st.one_of(st.text(max_size=60), st.text(alphabet=st.sampled_from(HOSTILE), max_size=60))


_PLAIN: dict[str, dict[str, str]] = {}  # the outputs for plain text, made once


def _unescaped_angles(text: str) -> int:
    return len(re.findall(r"(?<!\\)<", text))


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(organisation=free_text, detail=free_text, label=free_text)
def test_no_format_passes_hostile_text(kb: KnowledgeBase, organisation: str, detail: str, label: str) -> None:
    """For any Unicode in the free-text fields, every format is produced and none holds ESC, a C1 control,
    U+FFFE/U+FFFF or a `<` of its own (HTML: the same tags as a plain memo; Markdown: every `<` escaped)."""
    import datetime as dt
    import xml.dom.minidom

    from conftest import StartTags

    from peeradvisor.answers import answers_from_data
    from peeradvisor.core import advise
    from peeradvisor.render.advice import Prepared, render_as

    def outputs(org: str, det: str, lab: str) -> dict[str, str]:
        loaded = answers_from_data(answers(org if org.strip() else f"x{org}", det, lab), "generated.json")
        prepared = Prepared(loaded, advise(loaded, kb), kb, dt.date(2026, 1, 2))
        out = {fmt: str(render_as(fmt, prepared)) for fmt in ("text", "md", "html", "json")}
        with zipfile.ZipFile(io.BytesIO(bytes(render_as("docx", prepared)))) as z:
            for name in z.namelist():
                if name.endswith(".xml"):
                    out[name] = z.read(name).decode("utf-8")
                    xml.dom.minidom.parseString(out[name])  # well-formed XML
        return out

    def tags(html: str) -> list[str]:
        parser = StartTags()
        parser.feed(html)
        return [tag for tag, _ in parser.tags]

    got = outputs(organisation, detail, label)
    plain = _PLAIN.get("memo") or _PLAIN.setdefault("memo", outputs("Riverside", "acute", "Ward manager"))
    for name, text in got.items():
        assert not any(c in text for c in "\x1b\ufffe\uffff"), name
        assert not any(0x80 <= ord(c) <= 0x9F for c in text), name
    assert tags(got["html"]) == tags(plain["html"])
    assert _unescaped_angles(got["md"]) == _unescaped_angles(plain["md"])
    assert json.loads(got["json"])["organisation"] == (organisation if organisation.strip() else f"x{organisation}")
