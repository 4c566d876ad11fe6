"""Findings point at the line that built their resource: in text, JSON and SARIF, for a program
run and for a stack export, and never at a wrong file when the line is not known."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import xmlschema

from dynamodb_guardrails.rules import table_alarms
from policy_preview import cli
from policy_preview.model import ResourceRecord
from policy_preview.program.source_positions import (
    UNKNOWN_LIBRARY,
    UNKNOWN_NOT_RECORDED,
    SourceLocation,
    program_position,
    project_position,
    source_location,
    unknown_reason,
)

from .engine_helpers import BILLING, OUR_PACK, REPO, table

FIXTURE = Path(__file__).parent / "fixtures" / "programs" / "positions"
OFFICIAL_SARIF_SCHEMA = Path(__file__).parent / "schemas" / "sarif-2.1.0-rtm.5.json"
ALARMS = table_alarms.META.name
JUNIT_SCHEMA = xmlschema.XMLSchema(Path(__file__).parent / "schemas" / "junit-10.xsd")


def line_of(path: Path, marker: str) -> int:
    """The line carrying `# at: <marker>` (the fixture marks its lines instead of tests counting)."""
    [line] = [
        i for i, text in enumerate(path.read_text().splitlines(), 1) if text.endswith(f"# at: {marker}")
    ]
    return line


# --- the position format ---------------------------------------------------------------------------


def test_an_sdk_position_becomes_the_engines_project_relative_form(tmp_path: Path) -> None:
    file = tmp_path / "app" / "my tables.py"
    assert project_position(file.as_uri(), 12, tmp_path) == "project:///app/my%20tables.py#12"
    assert project_position(file.as_uri(), 12, tmp_path, column=5) == "project:///app/my%20tables.py#12,5"
    assert source_location("project:///app/my%20tables.py#12,5") == SourceLocation("app/my tables.py", 12)
    # What the SDK sends when it has no usable frame: nothing is recorded.
    assert project_position("", 0, tmp_path) is None
    assert project_position("https://example.com/x.py", 3, tmp_path) is None


@pytest.mark.parametrize(
    ("position", "reason"),
    [
        (None, UNKNOWN_NOT_RECORDED),
        ("", UNKNOWN_NOT_RECORDED),
        ("file:///abs/x.py#3", UNKNOWN_NOT_RECORDED),
        ("project:///x.py", UNKNOWN_NOT_RECORDED),  # no line
        ("project:///x.py#0", UNKNOWN_NOT_RECORDED),
        ("project:///../venv/lib/python3.11/site-packages/pulumi/runtime/stack.py#235", UNKNOWN_LIBRARY),
        ("project:///.venv/lib/python3.11/site-packages/kit/__init__.py#9", UNKNOWN_LIBRARY),
        ("project:///../shared/tables.py#4", UNKNOWN_LIBRARY),  # outside the project: not its file
    ],
)
def test_positions_that_would_point_at_a_wrong_file_are_unknown(position: str | None, reason: str) -> None:
    assert source_location(position) is None
    assert unknown_reason(position) == reason


def test_a_program_run_takes_the_innermost_frame_of_the_projects_own_code(tmp_path: Path) -> None:
    library = tmp_path / ".venv" / "lib" / "python3.11" / "site-packages" / "kit" / "__init__.py"
    own = tmp_path / "tools" / "runner.py"
    frames = [(library.as_uri(), 9), ("", 0), (own.as_uri(), 3), ((tmp_path / "main.py").as_uri(), 20)]
    assert program_position(frames, tmp_path, excluded=(own.parent,)) == "project:///main.py#20"
    # No frame of the project at all (the root Stack): the first one, which reports call library code.
    assert (
        program_position(frames[:2], tmp_path)
        == "project:///.venv/lib/python3.11/site-packages/kit/__init__.py#9"
    )


# --- end to end on a program whose lines are known ------------------------------------------------


@pytest.fixture(scope="module")
def pack_config(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("config") / "billing-and-alarms.json"
    path.write_text(json.dumps({"all": "disabled", BILLING: "mandatory", ALARMS: "mandatory"}))
    return path


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    code = cli.main(list(argv))
    return code, capsys.readouterr().out


def _sources(text: str, resource: str) -> set[str]:
    """The `source:` lines of one resource's block in the text report's findings by resource."""
    lines = text.splitlines()
    start = next(
        i for i, line in enumerate(lines) if line.startswith("    urn:") and line.endswith(f"::{resource}")
    )
    block = []
    for line in lines[start + 1 :]:
        if not line.startswith("        "):
            break
        block.append(line.strip())
    return {line for line in block if line.startswith("source: ")}


def _schema(name: str) -> dict[str, Any]:
    schema = resources.files("policy_preview.report").joinpath("schemas", name)
    return json.loads(schema.read_text(encoding="utf-8"))


@pytest.mark.slow
def test_findings_on_a_program_show_the_constructing_line_in_text_json_and_sarif(
    capsys: pytest.CaptureFixture[str], pack_config: Path, tmp_path: Path
) -> None:
    main, component = FIXTURE / "__main__.py", FIXTURE / "app" / "tables.py"
    args = (str(FIXTURE), "--policy-pack", str(OUR_PACK), "--policy-pack-config", str(pack_config))
    code, text = _run(capsys, *args)
    assert code == 1
    # Relative to the project root; a component's child at the line inside the component's module;
    # a child of a library component at the program line that built the component.
    assert f"source: __main__.py:{line_of(main, 'provisioned')}" in _sources(text, "provisioned")
    assert f"source: app/tables.py:{line_of(component, 'legacy child')}" in _sources(text, "legacy-orders")
    assert f"source: __main__.py:{line_of(main, 'library component')}" in _sources(text, "kit-table")

    code, out = _run(capsys, *args, "--format", "json")
    report = json.loads(out)
    jsonschema.Draft7Validator(_schema("report.schema.json")).validate(report)
    sources = {(f["policy"], f["resourceName"]): f["source"] for f in report["findings"]}
    assert sources[(BILLING, "legacy-orders")] == {
        "path": "app/tables.py",
        "line": line_of(component, "legacy child"),
        "unknownReason": None,
    }
    # The stack policy's finding names the table, so it points at the table's line too.
    assert sources[(ALARMS, "provisioned")]["line"] == line_of(main, "provisioned")

    sarif_file = tmp_path / "policy.sarif"
    code, _ = _run(capsys, *args, "--format", "sarif", "--output", str(sarif_file))
    sarif = json.loads(sarif_file.read_text())
    jsonschema.Draft7Validator(_schema("sarif-2.1.0-subset.schema.json")).validate(sarif)
    jsonschema.Draft4Validator(json.loads(OFFICIAL_SARIF_SCHEMA.read_text())).validate(sarif)
    located = {
        (r["ruleId"], r["locations"][0]["logicalLocations"][0]["name"]): r["locations"][0]["physicalLocation"]
        for r in sarif["runs"][0]["results"]
    }
    # Relative to the repository root, where GitHub resolves it to annotate the pull request.
    assert located[(BILLING, "legacy-orders")] == {
        "artifactLocation": {"uri": component.relative_to(REPO).as_posix(), "uriBaseId": "%SRCROOT%"},
        "region": {"startLine": line_of(component, "legacy child")},
    }
    assert located[(ALARMS, "kit-table")]["region"]["startLine"] == line_of(main, "library component")

    junit_file = tmp_path / "policy.xml"
    assert _run(capsys, *args, "--format", "junit", "--output", str(junit_file))[0] == 1
    JUNIT_SCHEMA.validate(str(junit_file))
    failures = ET.parse(junit_file).getroot().iter("failure")
    assert any(
        f"source: app/tables.py:{line_of(component, 'legacy child')}" in (f.text or "") for f in failures
    )


# --- stack exports ------------------------------------------------------------------------------


@pytest.mark.slow
def test_an_export_position_is_shown_and_a_missing_one_is_said_to_be_unknown(
    tmp_path: Path, records: list[ResourceRecord], capsys: pytest.CaptureFixture[str]
) -> None:
    project = tmp_path / "proj"
    (project / "infra").mkdir(parents=True)
    (project / "Pulumi.yaml").write_text("name: demo\nruntime: python\nmain: infra/\n")
    (project / "infra" / "tables.py").write_text("# tables\n" * 10)
    export = tmp_path / "stack.json"
    export.write_text("{}")  # the records are injected; the file only has to exist
    records += [
        _with_position(table("events", "PROVISIONED"), "project:///infra/tables.py#7"),
        table("legacy", "PROVISIONED"),  # exported by an older CLI: no position
    ]
    config = tmp_path / "only-billing.json"
    config.write_text(json.dumps({"all": "disabled", BILLING: "mandatory"}))
    args = ("--stack-export", str(export), "--project", str(project), "--policy-pack", str(OUR_PACK))
    args += ("--policy-pack-config", str(config))
    code, text = _run(capsys, *args)
    assert code == 1
    assert "          source: infra/tables.py:7" in text
    assert f"          source: unknown ({UNKNOWN_NOT_RECORDED})" in text

    sarif_file = tmp_path / "out.sarif"
    _run(capsys, *args, "--format", "sarif", "--output", str(sarif_file))
    results = {
        r["locations"][0]["logicalLocations"][0]["name"]: r["locations"][0]
        for r in json.loads(sarif_file.read_text())["runs"][0]["results"]
    }
    assert results["events"]["physicalLocation"]["artifactLocation"]["uri"] == "infra/tables.py"
    assert results["events"]["physicalLocation"]["region"] == {"startLine": 7}
    # Unknown: no line is claimed in a source file; the export itself, line 1, and a message saying so.
    unknown = results["legacy"]
    assert unknown["physicalLocation"]["artifactLocation"]["uri"].endswith("stack.json")
    assert unknown["physicalLocation"]["region"] == {"startLine": 1}
    assert UNKNOWN_NOT_RECORDED in unknown["message"]["text"]


def _with_position(record: ResourceRecord, position: str) -> ResourceRecord:
    from dataclasses import replace

    return replace(record, source_position=position)
