"""The JSON schema for rule files (schema/rules.schema.json): current, true to the loader, used by every file."""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from typer.testing import CliRunner

from peeradvisor.cli import app

ROOT = Path(__file__).resolve().parents[1]
SCHEMA_FILE = ROOT / "schema" / "rules.schema.json"
RULE_FILES = sorted((ROOT / "rules").glob("*.yaml"))
FIRST_LINE = "# yaml-language-server: $schema=../schema/rules.schema.json"


class Yaml12Loader(yaml.SafeLoader):
    """Reads booleans as YAML 1.2 does (only true/false), as editors do: `happening: [no]` stays a string."""


Yaml12Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
Yaml12Loader.add_implicit_resolver("tag:yaml.org,2002:bool", re.compile(r"^(?:true|false)$"), list("tf"))


def validator() -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(json.loads(SCHEMA_FILE.read_text(encoding="utf-8")))


def a_rule(**changes: Any) -> dict[str, Any]:
    """A valid warning from the real rules, changed; a key changed to None is removed."""
    files = [yaml.load(path.read_text(encoding="utf-8"), Loader=Yaml12Loader) for path in RULE_FILES]
    rules = [r for data in files for r in data["rules"]]
    rule = copy.deepcopy(next(r for r in rules if r["kind"] == "warning"))
    rule.update(changes)
    return {"rules": [{k: v for k, v in rule.items() if v is not None}]}


def test_committed_schema_is_current() -> None:
    """schema/rules.schema.json is what `peeradvisor rules schema` prints (regenerate it if this fails)."""
    result = CliRunner().invoke(app, ["rules", "schema"])
    assert result.exit_code == 0
    assert SCHEMA_FILE.read_text(encoding="utf-8") == result.stdout, \
        "run: uv run peeradvisor rules schema > schema/rules.schema.json"


def test_schema_is_valid_json_schema() -> None:
    """The schema is itself a valid draft 2020-12 schema."""
    jsonschema.Draft202012Validator.check_schema(json.loads(SCHEMA_FILE.read_text(encoding="utf-8")))


@pytest.mark.parametrize("path", RULE_FILES, ids=[p.name for p in RULE_FILES])
def test_every_rule_file_names_and_meets_the_schema(path: Path) -> None:
    """Each rule file starts with the editor's schema line, and the schema accepts all of it."""
    text = path.read_text(encoding="utf-8")
    assert text.splitlines()[0] == FIRST_LINE
    errors = [f"{list(e.absolute_path)}: {e.message[:120]}"
              for e in validator().iter_errors(yaml.load(text, Loader=Yaml12Loader))]
    assert errors == []


def test_yaml_names_of_conditions() -> None:
    """Condition properties carry their YAML names (`is`, `in`, `not`, `all`), never the Python ones."""
    defs = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))["$defs"]
    assert {"is", "in", "not_in"} <= set(defs["ContextCondition"]["properties"])
    assert set(defs["NotCondition"]["properties"]) == {"not"}
    assert set(defs["AllCondition"]["properties"]) == {"all"}
    assert "is_" not in json.dumps(defs) and "all_" not in json.dumps(defs)


@pytest.mark.parametrize(("rule", "why"), [
    (a_rule(support=None), "support is required"),
    (a_rule(action=None), "a warning needs an action"),
    (a_rule(kind="derive", concludes=None), "a derive rule needs concludes"),
    (a_rule(when=[{"context": "setting", "is": "inpatient", "in": ["bme"]}]), "one context test only"),
    (a_rule(when=[{"measure": "peer_share"}]), "a measure needs a comparison"),
    (a_rule(when=[{"item": "2.1", "importance_ge": 2, "importance_le": 3}]), "not both importance bounds"),
    (a_rule(when=[{"item": "9.9", "happening": ["no"]}]), "unknown item"),
    (a_rule(when=[{"context": "staffing", "is": True}]), "unknown context field"),
    (a_rule(when=[{"not": {"derived": "risk.x"}, "all": [{"derived": "risk.y"}]}]), "two kinds in one condition"),
    (a_rule(when=[{"item": "2.1", "happening": ["maybe"]}]), "not an answer"),
    (a_rule(owner="someone"), "not an owner"),
])
def test_schema_refuses_what_the_loader_refuses(rule: dict[str, Any], why: str) -> None:
    """The editor flags the mistakes the loader would refuse."""
    assert list(validator().iter_errors(rule)), why


def test_schema_accepts_a_valid_rule() -> None:
    """The same rule unchanged is accepted (so each refusal above is about its one change)."""
    assert list(validator().iter_errors(a_rule())) == []


def test_readme_rule_example_is_valid() -> None:
    """The rule in the README's "Writing a rule" loads, and meets the schema."""
    from peeradvisor.kb.models import RuleFile

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## Writing a rule"):]
    example = section[section.index("```yaml") + len("```yaml"):section.index("```\n", section.index("```yaml") + 7)]
    assert example.splitlines()[1] == FIRST_LINE
    RuleFile.model_validate(yaml.safe_load(example))
    assert list(validator().iter_errors(yaml.load(example, Loader=Yaml12Loader))) == []
