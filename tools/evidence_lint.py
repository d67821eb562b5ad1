"""Check rule evidence in YAML files against the study text (a developer aid).

usage: python3 tools/evidence_lint.py rules/*.yaml   [--seed PATH]
"""
import re
import sys
from pathlib import Path

import yaml

SEED = Path(__file__).resolve().parents[1].parent / "shared" / "seed" / "000_6a7dee68b5e046ac.txt"
HEAD = re.compile(r"(Chapter|Appendix) \d+$|(Table|Figure) \d+$|Abstract$|Scientific summary$|Plain English summary$")


def norm(text):
    text = re.sub(r"</?i>|\*", "", text)
    for a, b in (("\u2018", "'"), ("\u2019", "'"), ("\u201c", '"'), ("\u201d", '"'), ("\u2013", "-"), ("\u2014", "-")):
        text = text.replace(a, b)
    text = re.sub(r"\.\s*\.\s*\.|\u2026", " \u2026 ", text)
    return re.sub(r"\s+", " ", text).strip().lower()


def main(argv):
    seed_path = SEED
    if "--seed" in argv:
        seed_path = Path(argv[argv.index("--seed") + 1])
    raw = seed_path.read_text(encoding="utf-8")
    seed = norm(raw)
    headings = {norm(line) for line in raw.splitlines() if 0 < len(line.strip()) < 160}
    bad = 0
    for name in [a for a in argv if a.endswith((".yaml", ".yml"))]:
        data = yaml.safe_load(Path(name).read_text(encoding="utf-8")) or {}
        for rule in data.get("rules", []):
            for ev in rule.get("evidence", []) or []:
                parts = [p.strip() for p in str(ev.get("locator", "")).split("\u203a")]
                if not HEAD.match(parts[0]) or any(norm(p) not in headings for p in parts[1:]):
                    bad += 1
                    print(f"{name}: {rule.get('id')}: locator not in report: {ev.get('locator')!r}")
                exc = ev.get("excerpt")
                if exc:
                    at = 0
                    for part in (p.strip(" ,;:") for p in norm(exc).split("\u2026")):
                        if len(part.split()) < 3:
                            continue
                        at = seed.find(part, at)
                        if at < 0:
                            bad += 1
                            print(f"{name}: {rule.get('id')}: excerpt not verbatim: {part[:70]!r}")
                            break
                    if len(exc.split()) > 45:
                        print(f"{name}: {rule.get('id')}: excerpt has {len(exc.split())} words (keep <= ~40)")
    print(f"{bad} problem(s)")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
