"""The answers file loader: what it accepts, and every refusal named by file and field path."""

from __future__ import annotations

from pathlib import Path

import pytest

from peeradvisor.answers import load_answers, parse_answers
from peeradvisor.errors import InputError

BASE = """format: peeradvisor/answers@1
organisation: Test ward
stage: new
context:
  employer: nhs
  setting: inpatient
  team_size: 10
  peer_workers: 2
responses:
  - respondent: {group: peer_worker}
    inventory:
      "2.1": {happening: yes, importance: 4}
      "2.2": partly
    top3: ["2.1"]
"""


def refusal(text: str, name: str = "answers.yaml") -> InputError:
    with pytest.raises(InputError) as info:
        parse_answers(text, name)
    return info.value


class TestAccepts:
    def test_contract_example_shapes(self) -> None:
        """Shorthand happening, YAML booleans for yes/no and quoted ids are all read as the contract says."""
        answers = parse_answers(BASE)
        inv = answers.responses[0].inventory
        assert inv["2.1"].happening == "yes" and inv["2.1"].importance == 4
        assert inv["2.2"].happening == "partly" and inv["2.2"].importance is None

    def test_unquoted_item_keys(self) -> None:
        """An unquoted `2.1:` key (a YAML float) still names item 2.1."""
        answers = parse_answers(BASE.replace('"2.2": partly', "2.2: partly"))
        assert "2.2" in answers.responses[0].inventory

    def test_boolean_yes_no_in_supervision(self) -> None:
        """`wellbeing_space: no` arrives as False from YAML 1.1 and means the answer no."""
        text = BASE.replace("  peer_workers: 2\n", "  peer_workers: 2\n  supervision: {wellbeing_space: no}\n")
        assert parse_answers(text).context.supervision.wellbeing_space == "no"

    def test_json_file(self, tmp_path: Path) -> None:
        """A JSON answers file is read by the same loader."""
        path = tmp_path / "a.json"
        path.write_text('{"format": "peeradvisor/answers@1", "organisation": "X", '
                        '"context": {"employer": "voluntary", "setting": "bme"}, "responses": []}')
        assert load_answers(path).context.setting == "bme"

    def test_examples_valid(self) -> None:
        """Every bundled example is a valid answers file."""
        for path in sorted(Path(__file__).resolve().parents[1].joinpath("examples").glob("*.yaml")):
            load_answers(path)


@pytest.mark.parametrize(("text", "path", "words"), [
    (BASE.replace("answers@1", "answers@2"), "format", "peeradvisor/answers@1"),
    (BASE.replace("employer: nhs", "employer: council"), "context.employer", "nhs, voluntary, partnership"),
    (BASE.replace('"2.2": partly', '"9.9": partly'), "responses[0].inventory", "unknown item id '9.9'"),
    (BASE.replace("importance: 4", "importance: 9"), "responses[0].inventory.2.1.importance", "must be one of"),
    (BASE.replace("team_size: 10", "team_size: -3"), "context.team_size", "greater than or equal to 1"),
    (BASE.replace("peer_workers: 2", "peer_workers: 12"), "context", "cannot exceed team_size"),
    (BASE.replace('top3: ["2.1"]', 'top3: ["2.1", "2.2", "1.1", "1.2"]'), "responses[0].top3", "too many"),
    (BASE.replace('top3: ["2.1"]', 'top3: ["2.1", "2.1"]'), "responses[0].top3", "distinct"),
    (BASE.replace("happening: yes", "happening: maybe"), "responses[0].inventory.2.1.happening", "dont_know"),
    (BASE.replace("stage: new", "stage: old"), "stage", "planning, new, established"),
    (BASE.replace("  setting: inpatient\n", ""), "context.setting", "required"),
    (BASE.replace("organisation: Test ward", "organisation: '  '"), "organisation", "blank"),
    (BASE + "colour: blue\n", "colour", "not a field"),
])
def test_refusals_name_the_field(text: str, path: str, words: str) -> None:
    """Each malformed file is refused with the field path and what is wrong."""
    err = refusal(text)
    assert err.path == path
    assert words in err.message
    assert str(err).startswith("answers.yaml: ")


@pytest.mark.parametrize(("content", "words"), [
    (b"", "is empty"),
    (b"   \n\n", "is empty"),
    (b"\x89PNG\r\n\x1a\n\x00\x00binary", "binary"),
    (b"format: [unclosed\n", "not valid YAML"),
    (b"- a\n- list\n", "not a list"),
    (b"just a string\n", "must be a mapping"),
    (b"!!python/object/apply:os.system ['echo hacked']\n", "not valid YAML"),
    (b"\xff\xfe\xfa bad", "not UTF-8"),
])
def test_refusals_of_whole_files(tmp_path: Path, content: bytes, words: str) -> None:
    """Empty, binary, unparsable, non-mapping and object-building files are refused, never executed."""
    path = tmp_path / "bad.yaml"
    path.write_bytes(content)
    with pytest.raises(InputError) as info:
        load_answers(path)
    assert words in str(info.value)
    assert str(path) in str(info.value)


def test_deep_nesting_refused() -> None:
    """A pathologically nested file is refused with a clear message rather than a crash."""
    text = BASE + "extra: " + "[" * 200 + "]" * 200 + "\n"
    assert "nested too deeply" in refusal(text).message


def test_huge_file_refused(tmp_path: Path) -> None:
    """Files over the size limit are refused before parsing."""
    path = tmp_path / "big.yaml"
    path.write_text(BASE + "# " + "x" * 2_100_000 + "\n")
    with pytest.raises(InputError, match="the limit is"):
        load_answers(path)


def test_alias_bomb_refused() -> None:
    """YAML aliases that expand exponentially are refused quickly instead of exhausting memory."""
    lines = ['a0: &a0 ["x","x","x","x","x","x","x","x","x","x"]']
    lines += [f"a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 9)]
    assert "more than" in refusal(BASE + "\n".join(lines) + "\n").message


def test_number_date_refused() -> None:
    """`assessed_on: 0` is not read as a Unix timestamp: dates are written YYYY-MM-DD."""
    err = refusal(BASE.replace("stage: new", "stage: new\nassessed_on: 0"))
    assert err.path == "assessed_on" and "YYYY-MM-DD" in err.message


def test_fields_that_do_not_apply_are_ignored() -> None:
    """`led_by` for an NHS employer and `partner` outside a partnership are accepted but not used."""
    from peeradvisor.facts import flatten_context

    answers = parse_answers(BASE.replace("  employer: nhs\n", "  employer: nhs\n  led_by: professional\n"
                                                               "  partner: voluntary\n"))
    flat = flatten_context(answers)
    assert "led_by" not in flat and "partner" not in flat
    assert answers.context.led_by == "professional"  # what the user wrote is kept


def test_every_problem_listed() -> None:
    """An unknown item and a bad answer beside it are both reported, each with its own path, one line each."""
    text = BASE.replace('"2.2": partly', '"9.9": partly').replace("importance: 4", "importance: 9")
    err = refusal(text)
    assert [(p.path, p.message.split(";")[0]) for p in err.problems] == [
        ("responses[0].inventory.2.1.importance", "must be one of 1, 2, 3, 4, dont_know, not_relevant (got 9)"),
        ("responses[0].inventory", "unknown item id '9.9'"),
    ]
    assert str(err).splitlines() == err.lines() and len(err.lines()) == 2
    assert (err.path, err.message) == (err.problems[0].path, err.problems[0].message)


def test_written_files_follow_the_umask(tmp_path: Path) -> None:
    """A file peeradvisor writes can be read by colleagues as any file the user makes (not owner-only)."""
    import os

    from peeradvisor.yamlio import atomic_write

    mask = os.umask(0o022)
    try:
        atomic_write(tmp_path / "new.yaml", "x: 1\n")
        existing = tmp_path / "private.yaml"
        existing.write_text("x: 0\n")
        existing.chmod(0o600)
        atomic_write(existing, "x: 1\n")
    finally:
        os.umask(mask)
    assert (tmp_path / "new.yaml").stat().st_mode & 0o777 == 0o644
    assert existing.stat().st_mode & 0o777 == 0o600


@pytest.mark.parametrize("label", ["Zoë, service user", "A: b # c", "{x}", "'quoted' \"both\"", "- dash", "yes",
                                   "x" * 200, "line\nbreak", "[1, 2]", "&anchor *alias", "2.1"])
def test_compact_yaml_reads_back(label: str) -> None:
    """The compact layout of import and merge reads back as written, whatever a label holds."""
    import yaml

    from peeradvisor.yamlio import dump_yaml

    data = {"responses": [{"respondent": {"group": "coworker", "label": label},
                           "inventory": {"2.1": {"happening": "yes", "importance": 4}}, "top3": ["2.1", "5.8"]}]}
    assert yaml.safe_load(dump_yaml(data, compact=True)) == data
