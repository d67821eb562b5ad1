"""Every command has help text and is documented in the README."""

from __future__ import annotations

from pathlib import Path

import typer
from typer.main import get_command

from peeradvisor.cli import app

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def _commands() -> list[tuple[str, object]]:
    root = get_command(app)
    out = []
    for name, cmd in root.commands.items():  # type: ignore[attr-defined]
        out.append((name, cmd))
        for sub, subcmd in getattr(cmd, "commands", {}).items():
            out.append((f"{name} {sub}", subcmd))
    return out


def test_every_command_has_help() -> None:
    """No command is left without a one-line help text."""
    missing = [name for name, cmd in _commands() if not (getattr(cmd, "help", None) or "").strip()]
    assert not missing


def test_every_command_in_readme() -> None:
    """The README mentions every command as `peeradvisor <command>`."""
    missing = [name for name, _ in _commands() if f"peeradvisor {name}" not in README]
    assert not missing


def test_readme_has_the_two_commands() -> None:
    """A newcomer's two commands: run the advisor on an example, run the tests."""
    assert "uv run peeradvisor advise examples/" in README
    assert "uv run pytest" in README


def test_typer_hides_locals() -> None:
    """Typer must never print local variables (they hold people's answers)."""
    assert isinstance(app, typer.Typer)
    assert app.pretty_exceptions_show_locals is False


def test_readme_example_is_the_real_output(update_golden: bool) -> None:
    """The README's example is what `peeradvisor advise` prints for the bundled example (80 columns);
    `--update-golden` rewrites it from the real output."""
    import re

    from typer.testing import CliRunner

    block = re.search(r"```text\n\$ uv run peeradvisor advise (\S+)\n(.*?)\n…\n```", README, re.S)
    assert block is not None, "the README's example block is missing"
    root = Path(__file__).resolve().parents[1]
    result = CliRunner().invoke(app, ["advise", str(root / block.group(1))])
    assert result.exit_code == 0
    shown = block.group(2).splitlines()
    real = result.stdout.splitlines()[: len(shown)]
    if update_golden:
        text = README[: block.start(2)] + "\n".join(real) + README[block.end(2):]
        (root / "README.md").write_text(text, encoding="utf-8")
        return
    assert real == shown


def test_usage_lines_read_plainly() -> None:
    """Every command's help names its arguments as FILE, [FILE] or FILE... (never `{file}`, never a
    Python type such as `<list[Path]>`), and its options' values as PATH, not `<path>`."""
    from typer.testing import CliRunner

    runner = CliRunner()
    for name, _ in _commands():
        out = runner.invoke(app, [*name.split(), "--help"]).stdout
        usage = out.splitlines()[0]
        assert usage.startswith(f"Usage: peeradvisor {name} "), usage
        words = usage.split()[3 + name.count(" "):]
        assert all(w in ("[OPTIONS]", "COMMAND", "[ARGS]...") or w.strip("[].").isupper() for w in words), usage
        assert "{" not in usage and "<list[" not in out and "<path>" not in out and "<str>" not in out, name
