"""The `policy-preview` command: exit codes, formats, pack config, and every bad input a clear
error with exit 2 and no process left behind. Resources come from hand-made records (the program
runner is tested elsewhere) except for the stack-export runs, which go end to end."""

from __future__ import annotations

import io
import json
import os
import signal
import subprocess
import sys
import time
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from policy_preview import cli
from policy_preview.analyzer.pack_process import PackProcess
from policy_preview.errors import ProgramError
from policy_preview.model import ResourceRecord

from .engine_helpers import (
    BILLING,
    FIXTURE_PACKS,
    OUR_PACK,
    REPO,
    START_UP_GRACE,
    root_stack,
    sigint_as_in_a_terminal,
    table,
    wait_for,
    wait_gone,
)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "proj"
    root.mkdir()
    (root / "Pulumi.yaml").write_text("name: demo\nruntime: python\n")
    (root / "__main__.py").write_text("# the records are injected by the test\n")
    return root


@pytest.fixture
def only_billing(tmp_path: Path) -> Path:
    """Pack config leaving only the billing policy on: tests must not depend on the pack's other policies."""
    path = tmp_path / "only-billing.json"
    path.write_text(json.dumps({"all": "disabled", BILLING: "mandatory"}))
    return path


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def _schema(name: str) -> dict[str, Any]:
    return json.loads(
        resources.files("policy_preview.report").joinpath("schemas", name).read_text(encoding="utf-8")
    )


def test_provisioned_table_fails_with_exit_1_and_the_finding_in_text(
    project: Path, records: list[ResourceRecord], capsys: pytest.CaptureFixture[str], only_billing: Path
) -> None:
    records += [table("events", "PROVISIONED"), table("users")]
    code, out, err = _run(
        capsys, str(project), "--policy-pack", str(OUR_PACK), "--policy-pack-config", str(only_billing)
    )
    assert code == 1
    assert f"- [mandatory] [severity: medium]  {BILLING}  (aws:dynamodb:Table: events)" in out
    assert "(aws:dynamodb:Table: users)" not in out
    assert "1 mandatory" in out and "3 resources evaluated" in out
    assert err == ""  # not a terminal: no progress lines


def test_json_and_sarif_carry_the_finding_and_validate(
    project: Path,
    records: list[ResourceRecord],
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    only_billing: Path,
) -> None:
    records.append(table("events", "PROVISIONED"))
    pack = ("--policy-pack", str(OUR_PACK), "--policy-pack-config", str(only_billing))
    code, out, _ = _run(capsys, str(project), "--format", "json", *pack)
    report = json.loads(out)
    jsonschema.Draft7Validator(_schema("report.schema.json")).validate(report)
    assert code == 1 and report["summary"]["passed"] is False
    assert [
        (f["policy"], f["resourceName"]) for f in report["findings"] if f["enforcementLevel"] == "mandatory"
    ] == [(BILLING, "events")]
    sarif_file = tmp_path / "out" / "report.sarif"
    code, out, _ = _run(
        capsys,
        *("--project", str(project), "--format", "sarif", "--output", str(sarif_file)),
        *pack,
    )
    assert code == 1 and out == ""
    sarif = json.loads(sarif_file.read_text())
    jsonschema.Draft7Validator(_schema("sarif-2.1.0-subset.schema.json")).validate(sarif)
    errors = [r for r in sarif["runs"][0]["results"] if r["level"] == "error"]
    assert [r["ruleId"] for r in errors] == [BILLING]
    assert errors[0]["locations"][0]["logicalLocations"][0]["fullyQualifiedName"] == table("events").urn


def test_on_demand_tables_pass_with_exit_0(
    project: Path, records: list[ResourceRecord], capsys: pytest.CaptureFixture[str], only_billing: Path
) -> None:
    records.append(table("events"))
    code, out, _ = _run(
        capsys, str(project), "--policy-pack", str(OUR_PACK), "--policy-pack-config", str(only_billing)
    )
    assert code == 0 and "- passed." in out and "[mandatory]" not in out


@pytest.mark.slow
def test_pack_config_can_disable_or_remediate_the_policy(
    project: Path, records: list[ResourceRecord], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    records.append(table("events", "PROVISIONED", readCapacity=5))
    disabled = tmp_path / "disabled.json"
    disabled.write_text(json.dumps({"all": "disabled"}))
    code, out, _ = _run(
        capsys, str(project), "--policy-pack", str(OUR_PACK), "--policy-pack-config", str(disabled)
    )
    assert code == 0 and "[mandatory]" not in out
    remediate = tmp_path / "remediate.json"
    remediate.write_text(json.dumps({"all": "disabled", BILLING: {"enforcementLevel": "remediate"}}))
    code, out, _ = _run(
        capsys, str(project), "--policy-pack", str(OUR_PACK), "--policy-pack-config", str(remediate)
    )
    # Remediated before Analyze, as the engine does: nothing left to violate.
    assert code == 0
    assert f"        - [remediate]  {BILLING}  (1 resource)" in out  # the CLI's summary line
    assert f"- [remediate]  {BILLING}  (aws:dynamodb:Table: events) [diff: -readCapacity~billingMode]" in out


def test_the_default_pack_is_the_nearest_policies_dir_upwards(tmp_path: Path) -> None:
    (tmp_path / "policies").mkdir()
    (tmp_path / "policies" / "PulumiPolicy.yaml").write_text("runtime: python\n")
    (tmp_path / "infra" / "deep").mkdir(parents=True)
    assert cli.default_pack_dir(tmp_path / "infra" / "deep") == (tmp_path / "policies").resolve()
    assert cli.default_pack_dir(REPO / "infra") == OUR_PACK


def _error_of(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    code, out, err = _run(capsys, *argv)
    assert code == 2 and out == ""
    assert err.startswith("policy-preview: error: ")
    return err


def test_missing_pulumi_yaml(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    assert "no Pulumi.yaml in" in _error_of(capsys, str(empty), "--policy-pack", str(OUR_PACK))


def test_a_program_that_fails_is_exit_2_with_its_message(
    project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def fail(plan: object, stack: str, mode: str) -> list[ResourceRecord]:
        raise ProgramError("Pulumi program demo failed:\n  File __main__.py, line 3\nValueError: bad table")

    monkeypatch.setattr(cli, "load_records", fail)
    assert "ValueError: bad table" in _error_of(capsys, str(project), "--policy-pack", str(OUR_PACK))


def test_a_pack_that_does_not_start_shows_its_stderr(
    project: Path, records: list[ResourceRecord], capsys: pytest.CaptureFixture[str]
) -> None:
    err = _error_of(capsys, str(project), "--policy-pack", str(FIXTURE_PACKS / "crash_at_start"))
    assert "crash_at_start" in err and "boom: this pack cannot start" in err


def test_a_pack_that_hangs_is_a_bounded_wait_and_leaves_no_process(
    project: Path,
    records: list[ResourceRecord],
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    pid_file = tmp_path / "pid"
    monkeypatch.setenv("PREVIEW_TEST_PID_FILE", str(pid_file))
    spawned: list[float] = []
    spawn = PackProcess.spawn

    def spawn_and_wait_until_it_runs(pack: PackProcess) -> PackProcess:
        # Deterministic on a loaded machine: the command looks at the 1 s timeout only once the
        # pack is running its code, so it has surely hung by then.
        spawn(pack)
        assert wait_for(lambda: pid_file.exists() and pid_file.read_text() != "", seconds=START_UP_GRACE)
        spawned.append(time.monotonic())
        return pack

    monkeypatch.setattr(PackProcess, "spawn", spawn_and_wait_until_it_runs)
    err = _error_of(
        capsys, str(project), "--policy-pack", str(FIXTURE_PACKS / "hangs"), "--pack-timeout", "1"
    )
    # Bounded: the pack sleeps for an hour; the margin is for a loaded machine, not a goal.
    assert time.monotonic() - spawned[0] < 120
    assert "did not print its port within 1 s" in err
    assert wait_gone(int(pid_file.read_text()))


def test_a_pack_that_dies_mid_run_is_exit_2_with_its_stderr(
    project: Path, records: list[ResourceRecord], capsys: pytest.CaptureFixture[str]
) -> None:
    records.append(table("events"))
    err = _error_of(capsys, str(project), "--policy-pack", str(FIXTURE_PACKS / "dies_on_analyze"))
    assert "dying on purpose" in err and "Analyze" in err


# Each case starts the pack (the schema comes from GetAnalyzerInfo); the other bad configs are
# covered without a process in test_pack_config.py.
@pytest.mark.parametrize(
    ("config", "expected"),
    [({"no-such-policy": "disabled"}, "no policy named 'no-such-policy'")],
)
def test_bad_pack_config_is_exit_2_naming_the_key(
    project: Path,
    records: list[ResourceRecord],
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    config: dict[str, Any],
    expected: str,
) -> None:
    path = tmp_path / "cfg.json"
    path.write_text(json.dumps(config))
    err = _error_of(capsys, str(project), "--policy-pack", str(OUR_PACK), "--policy-pack-config", str(path))
    assert expected in err and "cfg.json" in err


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        (["--config", "novalue"], "expected KEY=VALUE"),
        (["--pack-timeout", "0"], "--pack-timeout must be a positive"),
        (
            ["--policy-pack-config", "a.json", "--policy-pack-config", "b.json"],
            "when there are several configs",
        ),
        (["--stack-export", "missing-export.json"], "no such file"),
    ],
)
def test_bad_arguments_are_exit_2_before_anything_starts(
    project: Path, capsys: pytest.CaptureFixture[str], extra: list[str], expected: str
) -> None:
    assert expected in _error_of(capsys, str(project), *extra)


def test_mismatched_pack_and_config_counts(
    project: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    cfg = tmp_path / "c.json"
    cfg.write_text("{}")
    err = _error_of(
        capsys,
        str(project),
        *("--policy-pack", str(OUR_PACK), "--policy-pack", str(FIXTURE_PACKS / "noop")),
        *("--policy-pack-config", str(cfg)),
    )
    assert 'must match the number of "--policy-pack" flags' in err


def _export(path: Path, *records: ResourceRecord) -> Path:
    resources_ = [
        {
            "urn": r.urn,
            "type": r.type,
            "custom": r.custom,
            "inputs": r.inputs,
            "outputs": r.outputs,
            "parent": r.parent,
        }
        for r in records
    ]
    path.write_text(json.dumps({"version": 3, "deployment": {"manifest": {}, "resources": resources_}}))
    return path


@pytest.mark.slow
def test_stack_export_end_to_end_through_the_console_script(tmp_path: Path, only_billing: Path) -> None:
    export = _export(tmp_path / "stack.json", root_stack(), table("events", "PROVISIONED"), table("users"))
    script = Path(sys.executable).with_name("policy-preview")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "policy_preview.cli"]
    done = subprocess.run(
        [
            *(*command, "--stack-export", str(export), "--format", "json"),
            *("--policy-pack", str(OUR_PACK), "--policy-pack-config", str(only_billing)),
        ],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=REPO,
    )
    assert done.returncode == 1, done.stderr
    report = json.loads(done.stdout)
    assert report["source"]["kind"] == "stack-export"
    mandatory = [f["resourceName"] for f in report["findings"] if f["enforcementLevel"] == "mandatory"]
    assert mandatory == ["events"]


@pytest.mark.slow
@pytest.mark.parametrize(("sig", "code"), [(signal.SIGTERM, 128 + signal.SIGTERM), (signal.SIGINT, 130)])
def test_terminating_the_command_stops_the_pack(tmp_path: Path, sig: signal.Signals, code: int) -> None:
    export = _export(tmp_path / "stack.json", root_stack())
    pid_file = tmp_path / "pid"
    process = subprocess.Popen(
        [
            *(sys.executable, "-m", "policy_preview.cli", "--stack-export", str(export)),
            *("--policy-pack", str(FIXTURE_PACKS / "hangs"), "--pack-timeout", "60"),
        ],
        env={**os.environ, "PREVIEW_TEST_PID_FILE": str(pid_file)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=sigint_as_in_a_terminal,
    )
    try:
        assert wait_for(lambda: pid_file.exists() and pid_file.read_text().strip() != "", START_UP_GRACE)
        process.send_signal(sig)
        _, err = process.communicate(timeout=START_UP_GRACE)
    finally:
        process.kill()
    assert process.returncode == code
    assert "policy pack and program process was stopped" in err
    assert wait_gone(int(pid_file.read_text()))


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_shows_on_a_terminal_only_once_the_run_takes_a_moment() -> None:
    terminal = _Terminal()
    progress = cli.Progress(terminal, delay=0.05)
    progress("running program...")
    assert terminal.getvalue() == ""  # a quick run prints nothing
    assert wait_for(lambda: terminal.getvalue() == "running program...\n")
    progress("analyzing 3 resources...")
    assert terminal.getvalue().endswith("analyzing 3 resources...\n")
    progress.close()
    piped = io.StringIO()
    quiet = cli.Progress(piped, delay=0.0)
    quiet("running program...")
    time.sleep(0.05)
    assert piped.getvalue() == ""


# --- bad inputs end to end: real programs, real files, our pack -----------------------------------

PROGRAMS = Path(__file__).parent / "fixtures" / "programs"


def test_a_real_program_that_raises_shows_its_own_last_frames(capsys: pytest.CaptureFixture[str]) -> None:
    err = _error_of(capsys, str(PROGRAMS / "raises"), "--policy-pack", str(OUR_PACK))
    assert "naming.py" in err and "__main__.py" in err  # the program's frames, not ours
    assert "policy_preview" not in err.split("Traceback", 1)[-1]


def test_a_malformed_export_names_the_file_and_the_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    export = tmp_path / "stack.json"
    export.write_text('{"version": 3,\n  "deployment": {"resources": [}\n}', encoding="utf-8")
    err = _error_of(capsys, "--stack-export", str(export), "--policy-pack", str(OUR_PACK))
    assert str(export) in err and "line 2" in err


def test_an_unknown_stack_config_key_names_the_key(capsys: pytest.CaptureFixture[str]) -> None:
    err = _error_of(capsys, str(REPO), "--config", "alarmTreshold=3")
    assert "dynamodb-guardrails:alarmTreshold" in err
