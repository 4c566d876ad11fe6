"""Node.js programs (TypeScript and JavaScript) run offline against the fake engine over gRPC: the
same records as the Python runner for the same program, and failures that say what went wrong.

One small program exists in three languages (fixtures/programs/parity, fixtures/node/parity-ts,
fixtures/node/parity-js); runs are shared per module. All Node.js programs use the one npm install
of fixtures/node (the `node_fixtures` fixture, conftest.py).
"""

from __future__ import annotations

import importlib.metadata
import json
import os
import re
import shutil
import time
from pathlib import Path
from typing import Any

import pytest

from policy_preview.errors import ProgramError
from policy_preview.model import UNKNOWN_WIRE, ResourceRecord
from policy_preview.program import engine_server
from policy_preview.program.record_codec import record_to_json
from policy_preview.program.runner import run_program
from policy_preview.wire import SECRET_SIG, SIG_KEY

from .conftest import NODE_FIXTURES

pytestmark = pytest.mark.slow

PYTHON_PARITY = Path(__file__).parent / "fixtures" / "programs" / "parity"
PREFIX = "urn:pulumi:dev::parity::"
TABLE_URN = f"{PREFIX}parity:index:TableStack$aws:dynamodb/table:Table::orders-table"
ROLE_URN = f"{PREFIX}parity:index:TableStack$aws:iam/role:Role::orders-reader"
POLICY_URN = f"{PREFIX}parity:index:TableStack$aws:iam/rolePolicy:RolePolicy::orders-read"
ALARM_URN = f"{PREFIX}aws:cloudwatch/metricAlarm:MetricAlarm::orders-throttles"
TOPIC_URN = f"{PREFIX}aws:sns/topic:Topic::alarms"
STACK_URN = f"{PREFIX}pulumi:pulumi:Stack::parity-dev"
# Where each SDK put the resource's constructor call differs by language (issue 12 records it).
LANGUAGE_SPECIFIC_FIELDS = ("source_position",)
# The fixture programs' stack transform changes roles (`index.ts`, `app.js`, `__main__.py`).
TRANSFORMED_BY_NODE_SDK = {"aws:iam/role:Role"}


def by_urn(records: list[ResourceRecord]) -> dict[str, ResourceRecord]:
    return {record.urn: record for record in records}


def node_aws_version() -> str:
    package = NODE_FIXTURES / "node_modules" / "@pulumi" / "aws" / "package.json"
    return str(json.loads(package.read_text(encoding="utf-8"))["version"])


def comparable(records: list[ResourceRecord], *, aws_version: str) -> dict[str, dict[str, Any]]:
    """Records as plain data, with the three differences that come from the installed SDKs, not
    from the runner: the version of the AWS SDK package (pulumi-aws 7.51.1 from PyPI, our pin, is
    not on npm; npm's newest @pulumi/aws is older) names the default provider and its id; each
    SDK JSON-encodes a provider's object inputs (`defaultTags`) with its own spacing; and the
    Node.js SDK's transform callback returns an unset deleteBeforeReplace as an explicit false,
    which the engine keeps (pinned by the test of that name below)."""
    data = {}
    for record in records:
        item = record_to_json(record)
        if record.delete_before_replace is False and record.type in TRANSFORMED_BY_NODE_SDK:
            item["delete_before_replace"] = None
        for name in LANGUAGE_SPECIFIC_FIELDS:
            item.pop(name, None)
        if record.type.startswith("pulumi:providers:"):
            for key in ("inputs", "outputs"):
                item[key] = {k: _decoded(v) for k, v in item[key].items()}
        data[record.urn] = item
    text = json.dumps(data, sort_keys=True)
    text = text.replace("default_" + aws_version.replace(".", "_"), "default_<version>")
    text = text.replace(f'"version": "{aws_version}"', '"version": "<version>"')
    text = re.sub(r"default_<version>::[0-9a-f-]{36}", "default_<version>::<id>", text)
    return dict(json.loads(text))


def _decoded(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(("{", "[")):
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


@pytest.fixture(scope="module")
def preview_runs(node_fixtures: Path) -> dict[str, list[ResourceRecord]]:
    def run(directory: Path) -> list[ResourceRecord]:
        return run_program(directory, stack="dev", mode="preview", config={})

    return {
        "python": run(PYTHON_PARITY),
        "typescript": run(node_fixtures / "parity-ts"),
        "javascript": run(node_fixtures / "parity-js"),
    }


@pytest.fixture(scope="module")
def update_runs(node_fixtures: Path) -> dict[str, list[ResourceRecord]]:
    def run(directory: Path) -> list[ResourceRecord]:
        return run_program(
            directory, stack="dev", mode="update", config={"team": "data"}, env={"ENVIRONMENT_SUFFIX": "pr7"}
        )

    return {"python": run(PYTHON_PARITY), "javascript": run(node_fixtures / "parity-js")}


def test_typescript_and_javascript_give_identical_records(
    preview_runs: dict[str, list[ResourceRecord]],
) -> None:
    typescript = {r.urn: record_to_json(r) for r in preview_runs["typescript"]}
    javascript = {r.urn: record_to_json(r) for r in preview_runs["javascript"]}
    for item in (*typescript.values(), *javascript.values()):
        for name in LANGUAGE_SPECIFIC_FIELDS:
            item.pop(name, None)
    assert typescript == javascript


@pytest.mark.parametrize("language", ["typescript", "javascript"])
def test_node_records_equal_the_python_runners(
    preview_runs: dict[str, list[ResourceRecord]], language: str
) -> None:
    python = comparable(preview_runs["python"], aws_version=importlib.metadata.version("pulumi-aws"))
    node = comparable(preview_runs[language], aws_version=node_aws_version())
    assert sorted(record["type"] for record in node.values()) == [
        "aws:cloudwatch/metricAlarm:MetricAlarm",
        "aws:dynamodb/table:Table",
        "aws:iam/role:Role",
        "aws:iam/rolePolicy:RolePolicy",
        "aws:sns/topic:Topic",
        "parity:index:TableStack",
        "pulumi:providers:aws",
        "pulumi:providers:aws",
        "pulumi:pulumi:Stack",
    ]
    assert node.keys() == python.keys()
    for urn in python:
        assert node[urn] == python[urn], urn


def test_update_mode_config_and_environment_alike(update_runs: dict[str, list[ResourceRecord]]) -> None:
    python = comparable(update_runs["python"], aws_version=importlib.metadata.version("pulumi-aws"))
    node = comparable(update_runs["javascript"], aws_version=node_aws_version())
    assert node == python
    records = by_urn(update_runs["javascript"])
    table = records[TABLE_URN]
    assert table.inputs["name"] == "orders-pr7"  # ENVIRONMENT_SUFFIX wins over config
    assert table.inputs["tagsAll"]["Team"] == "data"  # --config over Pulumi.dev.yaml
    assert table.outputs["arn"] == "arn:aws:dynamodb:eu-west-1:123456789012:table/orders-pr7"
    document = json.loads(records[POLICY_URN].inputs["policy"])
    assert document["Statement"][0]["Resource"] == table.outputs["arn"]
    assert records[STACK_URN].outputs == {"tableName": "orders-pr7", "tableArn": table.outputs["arn"]}


def test_node_records_carry_what_the_engine_would(preview_runs: dict[str, list[ResourceRecord]]) -> None:
    records = by_urn(preview_runs["typescript"])
    table, role, alarm = records[TABLE_URN], records[ROLE_URN], records[ALARM_URN]
    # The component's explicit provider, with its default tags merged into tagsAll.
    assert table.provider is not None and table.provider.startswith(f"{PREFIX}pulumi:providers:aws::tagged::")
    assert table.protect is True and role.protect is False
    # The invoke was answered by the fake engine; the stack transform ran in the Node process.
    assert table.inputs["tags"] == {"Environment": "dev", "Account": "123456789012"}
    assert role.inputs["tags"] == {"Environment": "dev", "Transformed": "yes"}
    assert role.inputs["tagsAll"] == {"Environment": "dev", "Team": "platform", "Transformed": "yes"}
    assert role.inputs["name"].startswith("orders-reader-")  # auto-name
    # A default provider named after the installed @pulumi/aws; preview leaves other outputs unknown.
    default = f"{PREFIX}pulumi:providers:aws::default_{node_aws_version().replace('.', '_')}"
    assert alarm.provider == f"{default}::{UNKNOWN_WIRE}"
    assert records[default].inputs == {"region": "eu-west-1", "version": node_aws_version()}
    assert alarm.dependencies == tuple(sorted((ROLE_URN, TABLE_URN, TOPIC_URN)))
    assert alarm.property_dependencies["dimensions"] == (TABLE_URN,)
    assert records[POLICY_URN].inputs["policy"] == UNKNOWN_WIRE
    assert records[TOPIC_URN].inputs["kmsMasterKeyId"] == {SIG_KEY: SECRET_SIG, "value": "alias/aws/sns"}


def test_a_node_transform_sends_delete_before_replace_false_as_the_engine_keeps_it(
    preview_runs: dict[str, list[ResourceRecord]],
) -> None:
    # The Node.js SDK's transform callback answers with the proto's default for an unset
    # deleteBeforeReplace; the engine keeps what the transform returned, so under the CLI the
    # transformed role reaches Analyze with deleteBeforeReplace=false, defined (test_resource_options
    # pins that a recorded false is sent as defined). Resources no transform touched stay unset.
    for language in ("typescript", "javascript"):
        records = by_urn(preview_runs[language])
        assert records[ROLE_URN].delete_before_replace is False, language
        assert records[TABLE_URN].delete_before_replace is None, language
    assert by_urn(preview_runs["python"])[ROLE_URN].delete_before_replace is None


def test_a_program_that_blocks_its_event_loop_keeps_its_connection(
    node_fixtures: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The engine's connections survive a program that answers nothing for longer than gRPC's ping
    # timeout (a long ts-node compile). Shortened here from 60 s to 1 s so the block can be short.
    short = [*engine_server.SERVER_OPTIONS, ("grpc.http2.ping_timeout_ms", 1000)]
    monkeypatch.setattr(engine_server, "SERVER_OPTIONS", short)
    records = run_program(
        node_fixtures / "blocking",
        stack="dev",
        mode="preview",
        config={},
        env={"BLOCK_MS": "4000"},
        timeout=40,
    )
    assert sorted(r.name for r in records if r.type == "aws:sns/topic:Topic") == ["after", "before"]


# --- failures ------------------------------------------------------------------------------------


def test_no_node_on_path_says_so() -> None:
    with pytest.raises(ProgramError, match=r"`node` is not on PATH") as raised:
        run_program(
            NODE_FIXTURES / "parity-js", stack="dev", mode="preview", config={}, env={"PATH": "/nonexistent"}
        )
    assert str(NODE_FIXTURES / "parity-js") in raised.value.message


def test_no_node_modules_says_to_install(node_fixtures: Path, tmp_path: Path) -> None:
    project = tmp_path / "parity-js"
    shutil.copytree(node_fixtures / "parity-js", project)
    with pytest.raises(ProgramError, match=r"no Pulumi SDK installed") as raised:
        run_program(project, stack="dev", mode="preview", config={})
    assert f"Run `npm install` (or `npm ci` with a lockfile) in {project}" in raised.value.message


def test_a_typescript_compile_error_shows_the_compilers_message(node_fixtures: Path) -> None:
    with pytest.raises(ProgramError) as raised:
        run_program(node_fixtures / "failures" / "compile-error", stack="dev", mode="preview", config={})
    message = raised.value.message
    assert "Unable to compile TypeScript" in message
    assert "index.ts(3,7): error TS2322: Type 'string' is not assignable to type 'number'." in message
    assert "\x1b[" not in message


def test_a_throwing_program_shows_its_own_frames(node_fixtures: Path) -> None:
    project = node_fixtures / "failures" / "throws"
    with pytest.raises(ProgramError) as raised:
        run_program(project, stack="dev", mode="update", config={})
    message = raised.value.message
    assert "RangeError: table name 'a-much-too-long-name-for-this-naming-scheme' is too long" in message
    assert f"({project / 'lib' / 'naming.js'}:5:15)" in message
    assert f"{project / 'index.js'}:4:" in message
    # Only the program's frames: none of the SDK's, Node's module loader or node_modules.
    assert "node:internal" not in message and "node_modules" not in message
    assert "more frames (SDK, Node.js)" in message
    assert raised.value.exit_code == 2


def test_a_hanging_program_and_its_children_are_stopped(node_fixtures: Path, tmp_path: Path) -> None:
    pid_file = tmp_path / "pids"
    started = time.monotonic()
    with pytest.raises(ProgramError, match=r"did not finish within 10 s and was stopped"):
        run_program(
            node_fixtures / "failures" / "hangs",
            stack="dev",
            mode="preview",
            config={},
            env={"HANG_PID_FILE": str(pid_file)},
            timeout=10,
        )
    assert time.monotonic() - started < 25
    assert pid_file.exists(), "the program never reached its loop within 10 s (a very busy machine?)"
    program_pid, child_pid = (int(pid) for pid in pid_file.read_text().split())
    for pid in (program_pid, child_pid):
        assert not _is_running(pid), pid


def _is_running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A killed child of ours stays a zombie until reaped; it runs no more.
    status = Path(f"/proc/{pid}/stat")
    return not (status.exists() and status.read_text().split(") ", 1)[1].startswith("Z"))
