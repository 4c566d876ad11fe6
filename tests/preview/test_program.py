"""Running Pulumi programs offline: what gets recorded, in which form, and how failures read.

Each program run starts a Python process (about a second); runs are shared per module where the
same program and mode serve several tests.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from policy_preview.errors import ProgramError
from policy_preview.model import UNKNOWN_WIRE, ResourceRecord
from policy_preview.program.runner import run_program
from policy_preview.urns import split_provider_ref
from policy_preview.wire import SECRET_SIG, SIG_KEY

from .engine_helpers import START_UP_GRACE, processes_with_env, sigint_as_in_a_terminal, wait_for

FIXTURES = Path(__file__).parent / "fixtures" / "programs"
TABLE_PROJECT = "urn:pulumi:dev::fixture-table"
TABLE_URN = f"{TABLE_PROJECT}::aws:dynamodb/table:Table::orders"
ROLE_URN = f"{TABLE_PROJECT}::aws:iam/role:Role::reader"
STACK_URN = f"{TABLE_PROJECT}::pulumi:pulumi:Stack::fixture-table-dev"
PROVIDER_URN = f"{TABLE_PROJECT}::pulumi:providers:aws::default_7_51_1"


def by_urn(records: list[ResourceRecord]) -> dict[str, ResourceRecord]:
    return {record.urn: record for record in records}


def only(records: list[ResourceRecord], type_: str) -> ResourceRecord:
    [record] = [r for r in records if r.type == type_]
    return record


@pytest.fixture(scope="module")
def preview_records() -> list[ResourceRecord]:
    return run_program(FIXTURES / "table_policy", stack="dev", mode="preview", config={})


@pytest.fixture(scope="module")
def update_records() -> list[ResourceRecord]:
    return run_program(FIXTURES / "table_policy", stack="dev", mode="update", config={})


def test_records_stack_default_provider_and_every_resource(preview_records: list[ResourceRecord]) -> None:
    types = [r.type for r in preview_records]
    assert sorted(types) == [
        "aws:dynamodb/table:Table",
        "aws:iam/role:Role",
        "aws:iam/rolePolicy:RolePolicy",
        "aws:sns/topic:Topic",
        "pulumi:providers:aws",
        "pulumi:pulumi:Stack",
    ]
    # The engine registers the stack first and a default provider before its first user.
    assert types[:2] == ["pulumi:pulumi:Stack", "pulumi:providers:aws"]
    assert len({r.urn for r in preview_records}) == len(preview_records)


def test_inputs_are_wire_form_camel_case(preview_records: list[ResourceRecord]) -> None:
    table = by_urn(preview_records)[TABLE_URN]
    assert table.custom and table.name == "orders"
    assert table.inputs["billingMode"] == "PAY_PER_REQUEST"
    assert table.inputs["hashKey"] == "pk"
    assert table.inputs["pointInTimeRecovery"] == {"enabled": True}
    assert table.inputs["attributes"] == [{"name": "pk", "type": "S"}]
    assert "billing_mode" not in table.inputs


def test_parent_protect_and_default_provider_reference(preview_records: list[ResourceRecord]) -> None:
    records = by_urn(preview_records)
    table = records[TABLE_URN]
    assert table.parent == STACK_URN
    assert table.protect is True
    assert records[ROLE_URN].protect is False
    # As the engine: a default provider with the package version in its name, no parent, and a
    # reference `<urn>::<id>` whose id is unknown until the provider is created.
    provider = records[PROVIDER_URN]
    assert provider.custom and provider.parent is None
    assert provider.inputs == {"version": "7.51.1"}
    assert table.provider == f"{PROVIDER_URN}::{UNKNOWN_WIRE}"
    stack = records[STACK_URN]
    assert (stack.custom, stack.parent, stack.provider) == (False, None, None)


def test_dependencies_and_property_dependencies(preview_records: list[ResourceRecord]) -> None:
    policy = only(preview_records, "aws:iam/rolePolicy:RolePolicy")
    assert set(policy.dependencies) == {TABLE_URN, ROLE_URN}
    assert policy.property_dependencies["policy"] == (TABLE_URN,)
    assert policy.property_dependencies["role"] == (ROLE_URN,)


def test_preview_leaves_values_from_other_resources_unknown(preview_records: list[ResourceRecord]) -> None:
    policy = only(preview_records, "aws:iam/rolePolicy:RolePolicy")
    assert policy.inputs["policy"] == UNKNOWN_WIRE
    table = by_urn(preview_records)[TABLE_URN]
    assert table.outputs["arn"] == UNKNOWN_WIRE
    assert table.outputs["streamArn"] == UNKNOWN_WIRE
    # What the program set is known in preview, as are provider-checked inputs.
    assert table.outputs["billingMode"] == "PAY_PER_REQUEST"
    assert table.inputs["name"].startswith("orders-")


def test_auto_names_are_checked_inputs_known_in_both_modes(
    preview_records: list[ResourceRecord], update_records: list[ResourceRecord]
) -> None:
    # The provider's Check picks the physical name, so it is known even in a first preview and
    # flows into resources that use it; the same name in both modes, as our suffix is stable.
    preview_role = only(preview_records, "aws:iam/role:Role")
    update_role = only(update_records, "aws:iam/role:Role")
    assert preview_role.inputs["name"] == update_role.inputs["name"]
    assert preview_role.inputs["name"].startswith("reader-") and len(preview_role.inputs["name"]) == 14
    for records, role in ((preview_records, preview_role), (update_records, update_role)):
        assert only(records, "aws:iam/rolePolicy:RolePolicy").inputs["role"] == role.inputs["name"]


def test_update_fills_in_a_concrete_arn(update_records: list[ResourceRecord]) -> None:
    table = by_urn(update_records)[TABLE_URN]
    name = table.inputs["name"]
    assert table.outputs["arn"] == f"arn:aws:dynamodb:us-east-1:123456789012:table/{name}"
    assert table.outputs["streamArn"].startswith(table.outputs["arn"] + "/stream/")
    assert table.outputs["id"] == name
    document = json.loads(only(update_records, "aws:iam/rolePolicy:RolePolicy").inputs["policy"])
    assert document["Statement"][0]["Resource"] == table.outputs["arn"]
    provider_id = split_provider_ref(table.provider)[1] if table.provider else ""
    assert provider_id and provider_id != UNKNOWN_WIRE


def test_secrets_keep_the_secret_signature(preview_records: list[ResourceRecord]) -> None:
    topic = only(preview_records, "aws:sns/topic:Topic")
    assert topic.inputs["kmsMasterKeyId"] == {SIG_KEY: SECRET_SIG, "value": "alias/alerts"}


def test_stack_outputs_are_recorded(
    preview_records: list[ResourceRecord], update_records: list[ResourceRecord]
) -> None:
    assert by_urn(preview_records)[STACK_URN].outputs == {"tableArn": UNKNOWN_WIRE}
    assert by_urn(update_records)[STACK_URN].outputs["tableArn"].startswith("arn:aws:dynamodb:")


def test_components_children_urns_and_explicit_providers() -> None:
    records = run_program(FIXTURES / "component", stack="dev", mode="update", config={})
    urns = by_urn(records)
    prefix = "urn:pulumi:dev::fixture-component::"
    pair = urns[f"{prefix}fixture:index:TablePair::pair"]
    table = urns[f"{prefix}fixture:index:TablePair$aws:dynamodb/table:Table::pair-main"]
    alarms = urns[f"{prefix}fixture:index:TablePair$fixture:index:Alarms::pair-alarms"]
    alarm = urns[
        f"{prefix}fixture:index:TablePair$fixture:index:Alarms$aws:cloudwatch/metricAlarm:MetricAlarm::pair-alarms-throttles"
    ]
    assert not pair.custom and pair.provider is None
    assert table.parent == pair.urn and alarms.parent == pair.urn and alarm.parent == alarms.urn
    assert pair.outputs == {"mainName": table.inputs["name"]}
    assert alarm.inputs["dimensions"] == {"TableName": table.inputs["name"]}
    # Default provider gets the stack's aws config; tagsAll merges its default tags.
    default = urns[f"{prefix}pulumi:providers:aws::default_7_51_1"]
    assert default.inputs["region"] == "eu-west-1"
    assert table.inputs["tagsAll"] == {"owner": "platform", "table": "main"}
    assert table.outputs["arn"].startswith("arn:aws:dynamodb:eu-west-1:")
    # An explicit provider is a recorded resource; its region and default tags apply to its resources.
    west = urns[f"{prefix}pulumi:providers:aws::west"]
    replica = urns[f"{prefix}aws:dynamodb/table:Table::replica"]
    assert replica.provider is not None and replica.provider.startswith(west.urn + "::")
    assert replica.inputs["name"] == "replica-table"
    assert replica.inputs["tagsAll"] == {"site": "west"}
    assert replica.outputs["arn"] == "arn:aws:dynamodb:us-west-2:123456789012:table/replica-table"


def test_config_files_command_line_and_environment() -> None:
    records = run_program(
        FIXTURES / "config_env",
        stack="dev",
        mode="preview",
        config={"owner": "cli-owner"},
        env={"ENVIRONMENT_SUFFIX": "-pr42"},
    )
    table = only(records, "aws:dynamodb/table:Table")
    assert table.inputs["name"] == "from-project-pr42"
    assert table.inputs["readCapacity"] == 5
    assert table.inputs["deletionProtectionEnabled"] is True
    assert table.inputs["tags"]["owner"] == "cli-owner"
    assert table.inputs["tags"]["project"] == "fixture-config"
    assert table.inputs["tags"]["stack"] == "dev"
    # A `secure:` value cannot be decrypted offline: it is an unknown secret.
    assert table.inputs["tags"]["token"] == {SIG_KEY: SECRET_SIG, "value": UNKNOWN_WIRE}
    assert only(records, "pulumi:providers:aws").inputs["region"] == "eu-central-1"
    assert "ENVIRONMENT_SUFFIX" not in os.environ


def test_main_directory_modules_import_fresh_on_every_run() -> None:
    cwd, path = os.getcwd(), list(sys.path)
    sibling = run_program(FIXTURES / "sibling_import", stack="dev", mode="preview", config={})
    other = run_program(FIXTURES / "other_helpers", stack="dev", mode="preview", config={})
    tags = only(sibling, "aws:sns/topic:Topic").inputs["tags"]
    assert tags == {"flavour": "sibling", "cwd": "sibling_import", "argv0": "app"}
    assert only(other, "aws:sns/topic:Topic").inputs["tags"] == {"flavour": "other"}
    assert (os.getcwd(), sys.path) == (cwd, path)
    assert "helpers" not in sys.modules


def test_a_failing_program_shows_its_own_frames() -> None:
    with pytest.raises(ProgramError) as raised:
        run_program(FIXTURES / "raises", stack="dev", mode="preview", config={})
    message = raised.value.message
    assert "ValueError: table name 'a-much-too-long-name' is too long" in message
    assert "naming.py" in message and "__main__.py" in message
    assert "policy_preview" not in message and "runpy" not in message  # none of our own frames
    assert raised.value.exit_code == 2


def test_a_failing_apply_shows_the_callback_frame() -> None:
    with pytest.raises(ProgramError) as raised:
        run_program(FIXTURES / "raises", stack="dev", mode="update", config={"where": "apply"})
    message = raised.value.message
    assert "RuntimeError: cannot build a policy for dynamodb" in message
    assert 'naming.py", line' in message


def wait_for_pid(pid_file: Path, seconds: float = START_UP_GRACE) -> int:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if pid_file.exists() and pid_file.read_text():
            return int(pid_file.read_text())
        time.sleep(0.05)
    raise AssertionError("the program never started")


def is_running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def test_a_hanging_program_is_stopped_after_the_timeout(tmp_path: Path) -> None:
    pid_file = tmp_path / "pid"
    started = time.monotonic()
    with pytest.raises(ProgramError, match=r"did not finish within 2 s and was stopped"):
        run_program(
            FIXTURES / "hangs",
            stack="dev",
            mode="preview",
            config={},
            env={"HANG_PID_FILE": str(pid_file)},
            timeout=2,
        )
    # Bounded: the program never ends; the margin is for a loaded machine, not a goal.
    assert time.monotonic() - started < 120
    # However far it got in 2 s on a loaded machine: nothing that inherited its environment is left.
    assert wait_for(lambda: not processes_with_env(f"HANG_PID_FILE={pid_file}"), START_UP_GRACE)


def test_ctrl_c_stops_the_program_too(tmp_path: Path) -> None:
    pid_file = tmp_path / "pid"
    caller = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys; from pathlib import Path; from policy_preview.program.runner import run_program; "
            "run_program(Path(sys.argv[1]), stack='dev', mode='preview', config={}, "
            "env={'HANG_PID_FILE': sys.argv[2]})",
            str(FIXTURES / "hangs"),
            str(pid_file),
        ],
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=sigint_as_in_a_terminal,
    )
    try:
        program_pid = wait_for_pid(pid_file)
        assert program_pid in processes_with_env(f"HANG_PID_FILE={pid_file}")  # the check sees it
        caller.send_signal(signal.SIGINT)  # what a terminal's Ctrl-C sends to the foreground process
        _, stderr = caller.communicate(timeout=START_UP_GRACE)
    finally:
        caller.kill()
    assert "KeyboardInterrupt" in stderr
    assert not is_running(program_pid)
    assert wait_for(lambda: not processes_with_env(f"HANG_PID_FILE={pid_file}"), START_UP_GRACE)


def test_missing_project_is_a_program_error(tmp_path: Path) -> None:
    with pytest.raises(ProgramError, match=r"No Pulumi\.yaml"):
        run_program(tmp_path, stack="dev", mode="preview", config={})


# The repository root is our own project: Pulumi.yaml there says `main: infra/`.
REPO_ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("mode", ["preview", pytest.param("update", marks=pytest.mark.slow)])
def test_our_stack_runs_in_both_modes(mode: str) -> None:
    records = run_program(REPO_ROOT, stack="dev", mode=mode, config={})  # type: ignore[arg-type]
    types = [r.type for r in records]
    assert types[0] == "pulumi:pulumi:Stack"
    assert "pulumi:providers:aws" in types
    assert "aws:dynamodb/table:Table" in types
    assert len({r.urn for r in records}) == len(records)
    for record in records:
        if record.custom and not record.type.startswith("pulumi:providers:"):
            assert record.provider, record.urn
    tables = [r for r in records if r.type == "aws:dynamodb/table:Table"]
    for table in tables:
        arn = table.outputs["arn"]
        assert arn == UNKNOWN_WIRE if mode == "preview" else arn.startswith("arn:aws:dynamodb:")


def test_invokes_are_answered_offline_and_stack_transforms_run() -> None:
    records = run_program(FIXTURES / "parity", stack="dev", mode="preview", config={})
    table = only(records, "aws:dynamodb/table:Table")
    # aws.get_caller_identity_output() answers with the fake account, known in preview too.
    assert table.inputs["tags"] == {"Environment": "dev", "Account": "123456789012"}
    assert only(records, "aws:iam/role:Role").inputs["tags"]["Transformed"] == "yes"
