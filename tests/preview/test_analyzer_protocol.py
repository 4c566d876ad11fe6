"""The Analyzer protocol against real pack processes: what goes over the wire and what comes back."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from policy_preview.analyzer.client import (
    AnalyzerClient,
    EngineLogServer,
    PackProcess,
    PolicyConfig,
    StackSettings,
    running_pack,
)
from policy_preview.analyzer.pack_config import reconcile_pack_config
from policy_preview.errors import PackError
from policy_preview.model import UNKNOWN_WIRE, ResourceRecord
from policy_preview.wire import secret

from .engine_helpers import (
    BILLING,
    FIXTURE_PACKS,
    OUR_PACK,
    ROOT_URN,
    START_UP_GRACE,
    root_stack,
    table,
    urn,
    wait_for,
    wait_gone,
)


@pytest.fixture(scope="module")
def ours() -> Iterator[AnalyzerClient]:
    with running_pack(OUR_PACK) as client:
        yield client


@pytest.fixture
def billing(ours: AnalyzerClient) -> Iterator[AnalyzerClient]:
    """Our pack with the CLI's default config; tests may reconfigure, the default is restored after."""
    assert ours.info is not None
    ours.configure(reconcile_pack_config(ours.info))
    yield ours
    ours.configure(reconcile_pack_config(ours.info))


@pytest.fixture(scope="module")
def reporter() -> Iterator[AnalyzerClient]:
    with running_pack(FIXTURE_PACKS / "reporter") as client:
        assert client.info is not None
        client.configure(reconcile_pack_config(client.info))
        yield client


def test_analyzer_info_lists_the_policy_with_its_config_schema_and_yaml_version(ours: AnalyzerClient) -> None:
    info = ours.info
    assert info is not None and info.name == "dynamodb-guardrails"
    assert info.version == "0.1.0"  # PulumiPolicy.yaml wins over the SDK's "0.0.1", as in the CLI
    policy = info.policy(BILLING)
    assert policy is not None
    assert policy.policy_type == "resource" and policy.enforcement_level == "mandatory"
    assert policy.config_schema is not None
    assert policy.config_schema["properties"]["exemptResources"]["default"] == []


def test_startup_time_is_measured_from_spawn_to_port(ours: AnalyzerClient) -> None:
    assert ours.pack.startup_seconds is not None and 0 < ours.pack.startup_seconds < ours.pack.timeout
    assert ours.pack.port is not None


def test_provisioned_table_is_a_mandatory_finding_on_that_table(billing: AnalyzerClient) -> None:
    result = billing.analyze(table("events", "PROVISIONED"))
    [finding] = [f for f in result.findings if f.policy == BILLING]
    assert finding.level == "mandatory" and finding.urn == urn("aws:dynamodb/table:Table", "events")
    assert "'events'" in finding.message and "PROVISIONED" in finding.message
    assert finding.policy_pack == "dynamodb-guardrails" and finding.policy_pack_version == "0.1.0"
    assert finding.severity == "medium"
    assert result.seconds > 0


def test_on_demand_table_passes(billing: AnalyzerClient) -> None:
    assert [f for f in billing.analyze(table("events")).findings if f.policy == BILLING] == []


def test_unknown_billing_mode_during_preview_is_not_a_violation(billing: AnalyzerClient) -> None:
    assert [f for f in billing.analyze(table("events", UNKNOWN_WIRE)).findings if f.policy == BILLING] == []


def test_secret_values_reach_the_pack_unwrapped_for_judging(billing: AnalyzerClient) -> None:
    result = billing.analyze(table("events", secret("PROVISIONED")))
    assert [f.level for f in result.findings if f.policy == BILLING] == ["mandatory"]


def test_configure_can_disable_the_policy(billing: AnalyzerClient) -> None:
    assert billing.info is not None
    billing.configure(reconcile_pack_config(billing.info, {BILLING: "disabled"}))
    assert [f for f in billing.analyze(table("events", "PROVISIONED")).findings if f.policy == BILLING] == []


def test_configure_passes_properties_to_the_policy(billing: AnalyzerClient) -> None:
    assert billing.info is not None
    billing.configure(reconcile_pack_config(billing.info, {BILLING: {"exemptResources": ["events"]}}))
    assert [f for f in billing.analyze(table("events", "PROVISIONED")).findings if f.policy == BILLING] == []
    assert [f for f in billing.analyze(table("other", "PROVISIONED")).findings if f.policy == BILLING] != []


def test_remediate_returns_the_remediated_properties_at_remediate_level(billing: AnalyzerClient) -> None:
    record = table("events", "PROVISIONED", readCapacity=5, writeCapacity=5)
    # At mandatory level the policy's remediation does not run.
    assert [r for r in billing.remediate(record).remediations if r.policy == BILLING] == []
    assert billing.info is not None
    billing.configure(reconcile_pack_config(billing.info, {BILLING: "remediate"}))
    [fix] = [r for r in billing.remediate(record).remediations if r.policy == BILLING]
    assert fix.properties is not None and fix.diagnostic == ""
    assert fix.properties["billingMode"] == "PAY_PER_REQUEST"
    assert "readCapacity" not in fix.properties and "writeCapacity" not in fix.properties
    # A violation of a remediate-level policy that is still analysed is reported as mandatory.
    assert [f.level for f in billing.analyze(record).findings if f.policy == BILLING] == ["mandatory"]


def _seen(
    client: AnalyzerClient, record: ResourceRecord, providers: dict[str, ResourceRecord] | None = None
) -> dict[str, Any]:
    [finding] = [f for f in client.analyze(record, providers).findings if f.policy == "reports-watched"]
    return json.loads(finding.message.split("\n", 1)[1])


def test_unknown_values_arrive_as_unknown_as_the_cli_sends_them(reporter: AnalyzerClient) -> None:
    result = reporter.analyze(table("t", watched=UNKNOWN_WIRE))
    [diag] = [f for f in result.findings if f.policy == "reports-watched"]
    assert "during preview" in diag.message and diag.level == "advisory"
    assert "watched" in _seen(reporter, table("t", watched="known"))["keys"]  # known: judged normally


def test_options_provider_and_internal_keys_on_analyze(reporter: AnalyzerClient) -> None:
    provider_urn = urn("pulumi:providers:aws", "default_7_51_1")
    provider = ResourceRecord(
        urn=provider_urn,
        type="pulumi:providers:aws",
        name="default_7_51_1",
        custom=True,
        inputs={"region": "eu-west-1"},
    )
    record = replace(table("t", __defaults=["hashKey"]), protect=True, provider=f"{provider_urn}::abc-123")
    seen = _seen(reporter, record, {provider_urn: provider})
    assert seen["protect"] is True and seen["parent"] == ROOT_URN
    assert seen["provider"] == provider_urn and seen["providerRegion"] == "eu-west-1"
    assert "__defaults" not in seen["keys"] and "billingMode" in seen["keys"]  # engine drops `__` keys


def test_analyze_stack_sends_outputs_and_edges_and_files_stackwide_findings_under_the_root(
    reporter: AnalyzerClient,
) -> None:
    events = table("events")
    role = ResourceRecord(
        urn=urn("aws:iam/role:Role", "reader"),
        type="aws:iam/role:Role",
        name="reader",
        custom=True,
        inputs={"name": "reader"},
        outputs={"name": "reader", "arn": "arn:aws:iam::1:role/reader"},
        parent=ROOT_URN,
        dependencies=(events.urn,),
        property_dependencies={"inlinePolicies": (events.urn,), "name": ()},
    )
    result = reporter.analyze_stack([root_stack(), events, role])
    [finding] = [f for f in result.findings if f.policy == "reports-stack"]
    assert finding.urn == ROOT_URN  # reported without a URN -> the root stack, as the engine does
    seen = json.loads(finding.message.split("\n", 1)[1])
    assert seen[role.urn]["parent"] == ROOT_URN
    assert seen[role.urn]["dependencies"] == [events.urn]
    assert seen[role.urn]["propertyDependencies"] == {"inlinePolicies": [events.urn]}
    assert "arn" in seen[events.urn]["keys"]  # outputs, not inputs


def test_pack_output_is_kept_as_log_lines(reporter: AnalyzerClient) -> None:
    reporter.analyze(table("logged-table"))
    assert wait_for(lambda: any("reporter analyzed logged-table" in line for line in reporter.pack.log_lines))


def test_a_pack_that_crashes_at_start_is_an_error_with_its_stderr() -> None:
    pack = PackProcess(FIXTURE_PACKS / "crash_at_start", timeout=20)
    with pytest.raises(PackError) as caught:
        pack.start()
    message = str(caught.value)
    assert "exited before printing its port" in message and "crash_at_start" in message
    assert "boom: this pack cannot start" in message
    assert pack.pid is not None and wait_gone(pack.pid)


def test_a_pack_that_hangs_at_start_is_stopped_after_the_timeout(tmp_path: Path) -> None:
    pid_file = tmp_path / "pid"
    pack = PackProcess(
        FIXTURE_PACKS / "hangs", timeout=1.0, env={**os.environ, "PREVIEW_TEST_PID_FILE": str(pid_file)}
    )
    pack.spawn()
    # Deterministic on a loaded machine: the timeout is only looked at once the pack is running its
    # code (started in well under 1 s, or long after: either way it then hangs past the deadline).
    assert wait_for(lambda: pid_file.exists() and pid_file.read_text() != "", seconds=START_UP_GRACE)
    with pytest.raises(PackError, match=r"did not print its port within 1 s"):
        pack.wait_ready()
    assert int(pid_file.read_text()) == pack.pid  # the pack itself ran
    assert wait_gone(pack.pid)


def test_a_pack_that_dies_on_analyze_names_the_resource_and_shows_its_stderr() -> None:
    with running_pack(FIXTURE_PACKS / "dies_on_analyze") as client:
        pid = client.pack.pid
        with pytest.raises(PackError) as caught:
            client.analyze(table("victim"))
    message = str(caught.value)
    assert "Analyze" in message and table("victim").urn in message
    assert "dying on purpose" in message and "exit code 3" in message
    assert pid is not None and wait_gone(pid)


def test_pack_gets_the_stack_settings_in_its_environment(tmp_path: Path) -> None:
    settings = StackSettings(project="demo", stack="prod", dry_run=False, config={"demo:x": "1"})
    pack = PackProcess(FIXTURE_PACKS / "noop", settings=settings)
    env = pack._env  # what the process is started with
    assert env["PULUMI_PROJECT"] == "demo" and env["PULUMI_STACK"] == "prod"
    assert env["PULUMI_DRY_RUN"] == "false" and json.loads(env["PULUMI_CONFIG"]) == {"demo:x": "1"}
    assert pack.command[1:4] == ["-u", "-m", "pulumi.policy"] and pack.command[-1] == str(pack.directory)


def test_missing_policy_project_file_is_a_pack_error(tmp_path: Path) -> None:
    with pytest.raises(PackError, match=r"PulumiPolicy\.yaml"):
        PackProcess(tmp_path)


def test_policy_config_levels_update_the_cached_info(billing: AnalyzerClient) -> None:
    billing.configure({BILLING: PolicyConfig("advisory", {"exemptResources": []})})
    assert billing.effective_info is not None and billing.info is not None
    assert billing.effective_info.policy(BILLING).enforcement_level == "advisory"  # type: ignore[union-attr]
    assert billing.info.policy(BILLING).enforcement_level == "mandatory"  # type: ignore[union-attr]


def test_the_engine_service_records_a_packs_log_lines_and_keeps_the_root_resource() -> None:
    import grpc
    from pulumi.runtime.proto import engine_pb2, engine_pb2_grpc

    with EngineLogServer() as engine, grpc.insecure_channel(engine.address) as channel:
        stub = engine_pb2_grpc.EngineStub(channel)
        stub.Log(engine_pb2.LogRequest(severity=engine_pb2.WARNING, message="careful"), timeout=10)
        stub.SetRootResource(engine_pb2.SetRootResourceRequest(urn=ROOT_URN), timeout=10)
        assert stub.GetRootResource(engine_pb2.GetRootResourceRequest(), timeout=10).urn == ROOT_URN
        with pytest.raises(grpc.RpcError) as caught:
            stub.StartDebugging(engine_pb2.StartDebuggingRequest(), timeout=10)
        assert caught.value.code() == grpc.StatusCode.UNIMPLEMENTED
    assert engine.lines == ["warning: careful"]
