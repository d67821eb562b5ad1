"""A real browser opens the HTML memo: it draws a page, and hostile free text creates no element.

Needs Debian's chromium (`apt-get install -y chromium`); skipped when it is not installed."""

from __future__ import annotations

import html
import json
import re
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


# ---------------------------------------------------------------- the consensus page and its role star
def pixels(data: bytes) -> tuple[int, int, list[bytes]]:
    """Width, height and the unfiltered RGB(A) rows of a PNG (the five PNG filters undone)."""
    width, height, rows = png_rows(data)
    channels = (len(rows[0]) - 1) // width
    out: list[bytes] = []
    prior = bytes(width * channels)
    for row in rows:
        kind, line = row[0], bytearray(row[1:])
        for i in range(len(line)):
            left = line[i - channels] if i >= channels else 0
            up, corner = prior[i], prior[i - channels] if i >= channels else 0
            if kind == 1:
                line[i] = (line[i] + left) & 0xFF
            elif kind == 2:
                line[i] = (line[i] + up) & 0xFF
            elif kind == 3:
                line[i] = (line[i] + (left + up) // 2) & 0xFF
            elif kind == 4:
                p = left + up - corner
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
                line[i] = (line[i] + (left if pa <= pb and pa <= pc else up if pb <= pc else corner)) & 0xFF
        out.append(bytes(line))
        prior = out[-1]
    return width, height, out


@pytest.fixture(scope="module")
def consensus_html(tmp_path_factory: pytest.TempPathFactory) -> Path:
    page = tmp_path_factory.mktemp("consensus") / "consensus.html"
    result = CliRunner().invoke(app, ["consensus", str(ROOT / "examples" / "nhs-inpatient-new.yaml"),
                                      "-f", "html", "-o", str(page)])
    assert result.exit_code == 0, result.stderr
    return page


def test_consensus_screenshot_draws_the_star(consensus_html: Path, tmp_path: Path) -> None:
    """Headless chromium draws the consensus page with the role star on it: each group's colour is
    there in the picture, on a page that is not blank."""
    shot = tmp_path / "consensus.png"
    chromium(tmp_path, f"--screenshot={shot}", f"--window-size={WIDTH},{HEIGHT}", "--hide-scrollbars",
             consensus_html.as_uri())
    assert shot.exists(), "chromium wrote no screenshot"
    width, height, rows = pixels(shot.read_bytes())
    channels = len(rows[0]) // width
    seen = {bytes(row[i:i + 3]) for row in rows for i in range(0, len(row), channels)}
    for colour in ("0072B2", "D55E00", "009E73"):  # peer workers, coworkers, line managers
        assert bytes.fromhex(colour) in seen, f"no pixel of #{colour}: the star was not drawn"
    drawn = sum(1 for row in rows if len(set(row)) > 4)
    assert drawn > height // 5, f"only {drawn} of {height} rows have anything drawn on them"


MEASURE = """<script>
const boxes = sel => [...document.querySelectorAll(sel)].map(e => {
  const b = e.getBBox(); return {what: (e.textContent || e.getAttribute('class')).trim(),
                                  x0: b.x, y0: b.y, x1: b.x + b.width, y1: b.y + b.height};});
const meets = (a, b) => a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1;
const texts = boxes('svg text'), marks = boxes('svg path.marker');
const found = [];
texts.forEach(t => marks.forEach(m => { if (meets(t, m)) found.push(t.what + ' / marker'); }));
texts.forEach((a, i) => texts.slice(i + 1).forEach(b => { if (meets(a, b)) found.push(a.what + ' / ' + b.what); }));
const out = document.createElement('pre'); out.id = 'measured';
out.textContent = JSON.stringify({texts: texts.length, marks: marks.length, overlaps: found});
document.body.appendChild(out);
</script>"""


def test_star_labels_clear_of_markers_as_drawn(consensus_html: Path, tmp_path: Path) -> None:
    """Measured in the browser (its own fonts, getBBox): no text on the role star meets a marker or
    another text. The page itself has no script; the test adds one to a copy to measure."""
    page = tmp_path / "measure.html"
    page.write_text(consensus_html.read_text(encoding="utf-8").replace("</body>", MEASURE + "</body>"),
                    encoding="utf-8")
    dom = chromium(tmp_path, "--dump-dom", page.as_uri()).stdout.decode("utf-8")
    match = re.search(r'<pre id="measured">(.*?)</pre>', dom, re.S)
    assert match, "the measuring script did not run"
    measured = json.loads(html.unescape(match.group(1)))
    assert measured["texts"] >= 9 + 3 and measured["marks"] >= 3
    assert measured["overlaps"] == []
