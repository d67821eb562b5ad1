"""A real browser opens the HTML memo: it draws a page, and hostile free text creates no element.

Needs Debian's chromium (`apt-get install -y chromium`); skipped when it is not installed."""

from __future__ import annotations

import shutil
import struct
import subprocess
import zlib
from pathlib import Path

import pytest
from conftest import StartTags
from typer.testing import CliRunner

from peeradvisor.answers import answers_to_data, load_answers
from peeradvisor.cli import app
from peeradvisor.yamlio import dump_yaml

ROOT = Path(__file__).resolve().parents[1]
HOSTILE = '<script>alert(1)</script> "><img src=x onerror=alert(1)> {{ 7*7 }}'
WIDTH, HEIGHT = 1000, 2000
CHROMIUM = next((p for p in map(shutil.which, ("chromium", "chromium-browser", "google-chrome")) if p), None)


def chromium(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    if CHROMIUM is None:
        pytest.skip("chromium is not installed")
    profile = tmp_path / "profile"
    command = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
               "--disable-component-update", "--disable-sync", "--no-first-run", f"--user-data-dir={profile}",
               *args]
    try:
        return subprocess.run(command, capture_output=True, timeout=120, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        pytest.skip(f"chromium could not run: {exc}")


@pytest.fixture(scope="module")
def hostile_html(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("browser")
    data = answers_to_data(load_answers(ROOT / "examples" / "nhs-inpatient-new.yaml"))
    data["organisation"] = HOSTILE
    data["context"]["setting_detail"] = HOSTILE
    data["responses"][0]["respondent"]["label"] = HOSTILE
    answers = folder / "hostile.yaml"
    answers.write_text(dump_yaml(data), encoding="utf-8")
    memo = folder / "memo.html"
    result = CliRunner().invoke(app, ["advise", str(answers), "-f", "html", "-o", str(memo),
                                      "--date", "2026-12-01"])
    assert result.exit_code == 0, result.stderr
    return memo


def png_rows(data: bytes) -> tuple[int, int, list[bytes]]:
    """Width, height and the filtered scanlines of an 8-bit RGB or RGBA PNG (no full decode needed)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, width, height, channels, idat = 8, 0, 0, 4, b""
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, colour = struct.unpack(">IIBB", body[:10])
            assert depth == 8 and colour in (2, 6), f"unexpected PNG format (depth {depth}, colour {colour})"
            channels = 4 if colour == 6 else 3
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    raw = zlib.decompress(idat)
    stride = 1 + width * channels
    return width, height, [raw[i * stride:(i + 1) * stride] for i in range(height)]


def test_screenshot_is_not_blank(hostile_html: Path, tmp_path: Path) -> None:
    """Headless chromium renders the memo to a full-size PNG with plenty of drawn rows."""
    shot = tmp_path / "memo.png"
    chromium(tmp_path, f"--screenshot={shot}", f"--window-size={WIDTH},{HEIGHT}", hostile_html.as_uri())
    assert shot.exists(), "chromium wrote no screenshot"
    width, height, rows = png_rows(shot.read_bytes())
    assert (width, height) == (WIDTH, HEIGHT)
    # A row of one colour filters to at most two byte values past its first pixel; drawn rows do not.
    drawn = sum(1 for row in rows if len(set(row[5:])) > 2)
    assert drawn > height // 5, f"only {drawn} of {height} rows have anything drawn on them"


def test_dom_has_no_injected_element(hostile_html: Path, tmp_path: Path) -> None:
    """In the DOM the browser builds, the hostile text is text: no script, no img, no onerror handler."""
    result = chromium(tmp_path, "--dump-dom", hostile_html.as_uri())
    dom = result.stdout.decode("utf-8")
    assert "<h1>" in dom, f"chromium gave no DOM: {result.stderr.decode(errors='replace')[-500:]}"
    parser = StartTags()
    parser.feed(dom)
    names = {tag for tag, _ in parser.tags}
    assert "script" not in names and "img" not in names
    assert not any(name.startswith("on") for _, attrs in parser.tags for name in attrs)
    escaped = "&lt;script&gt;alert(1)&lt;/script&gt; \"&gt;&lt;img src=x onerror=alert(1)&gt; {{ 7*7 }}"
    assert f"<h1>{escaped}</h1>" in dom
