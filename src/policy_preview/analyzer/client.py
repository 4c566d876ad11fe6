"""Speak the Analyzer gRPC protocol to a running policy pack (pack_process.py starts it), as the
Pulumi CLI does (pulumi/pulumi pkg/resource/plugin/analyzer_plugin.go):

- ConfigureStack (with the config's secret keys), GetAnalyzerInfo (PulumiPolicy.yaml's `version`
  wins over the pack's own),
  Configure, then Remediate/Analyze per resource and AnalyzeStack once;
- properties are marshalled as the engine's MarshalProperties(KeepUnknowns, KeepSecrets): unknown
  sentinels and secret signature maps pass through as they are in the wire-form records, and
  top-level `__` keys are dropped (SkipInternalKeys) except for Remediate;
- Analyze gets a resource's inputs, AnalyzeStack its outputs plus parent and dependency edges, both
  with the resource options (marshalResourceOptions) and the provider resource (its inputs) when
  the provider is among the records;
- a diagnostic at `remediate` level is reported as mandatory, and a stack-level one whose URN is not
  a resource of the stack goes to the root Stack resource (step_generator.go, analyze_snapshot.go).

The client returns plain Python data, so the benchmark can use it as its harness.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import grpc
from google.protobuf import empty_pb2
from pulumi.runtime.proto import analyzer_pb2, analyzer_pb2_grpc

from policy_preview.analyzer.messages import (
    RequestBuilder,
    _from_struct,
    analyze_request,
    provider_index,
    root_stack_urn,
)
from policy_preview.analyzer.pack_process import (
    DEFAULT_PACK_TIMEOUT,
    EngineLogServer,
    PackProcess,
    PackProject,
    StackSettings,
    load_pack_project,
)
from policy_preview.errors import PackError
from policy_preview.model import Finding, Level, ResourceRecord

# Re-exported: the benchmark and the CLI import the whole client from here.
__all__ = [
    "DEFAULT_PACK_TIMEOUT",
    "AnalyzeResult",
    "AnalyzerClient",
    "AnalyzerInfo",
    "EngineLogServer",
    "NotApplicable",
    "PackProcess",
    "PackProject",
    "PendingAnalyze",
    "PolicyConfig",
    "PolicyInfo",
    "RemediateResult",
    "Remediation",
    "RequestBuilder",
    "StackSettings",
    "load_pack_project",
    "running_pack",
]

_LEVEL_FROM_WIRE: dict[int, Level] = {
    analyzer_pb2.ADVISORY: "advisory",
    analyzer_pb2.MANDATORY: "mandatory",
    analyzer_pb2.REMEDIATE: "remediate",
    analyzer_pb2.DISABLED: "disabled",
}
LEVEL_TO_WIRE: dict[str, int] = {name: wire for wire, name in _LEVEL_FROM_WIRE.items()}
_SEVERITY_FROM_WIRE: dict[int, str | None] = {
    analyzer_pb2.POLICY_SEVERITY_UNSPECIFIED: None,
    analyzer_pb2.POLICY_SEVERITY_LOW: "low",
    analyzer_pb2.POLICY_SEVERITY_MEDIUM: "medium",
    analyzer_pb2.POLICY_SEVERITY_HIGH: "high",
    analyzer_pb2.POLICY_SEVERITY_CRITICAL: "critical",
}
_POLICY_TYPE_FROM_WIRE = {
    analyzer_pb2.POLICY_TYPE_UNKNOWN: "unknown",
    analyzer_pb2.POLICY_TYPE_RESOURCE: "resource",
    analyzer_pb2.POLICY_TYPE_STACK: "stack",
}


# --- plain data the client returns ------------------------------------------------------------


@dataclass(frozen=True)
class PolicyInfo:
    name: str
    description: str
    enforcement_level: Level
    policy_type: str  # "resource" | "stack" | "unknown"
    severity: str | None = None
    display_name: str = ""
    config_schema: Mapping[str, Any] | None = None  # {"properties": {...}, "required": [...]}
    tags: tuple[str, ...] = ()
    remediation_steps: str = ""
    url: str = ""


@dataclass(frozen=True)
class PolicyConfig:
    """One policy's configuration as sent by Configure."""

    enforcement_level: Level
    properties: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class AnalyzerInfo:
    name: str
    version: str
    description: str
    supports_config: bool
    policies: tuple[PolicyInfo, ...]
    initial_config: Mapping[str, PolicyConfig] = field(default_factory=dict)

    def policy(self, name: str) -> PolicyInfo | None:
        return next((p for p in self.policies if p.name == name), None)


@dataclass(frozen=True)
class NotApplicable:
    policy: str
    reason: str


@dataclass(frozen=True)
class AnalyzeResult:
    findings: tuple[Finding, ...]
    not_applicable: tuple[NotApplicable, ...]
    seconds: float  # wall time of the RPC, for the benchmark


@dataclass(frozen=True)
class Remediation:
    """One remediation: new properties (wire form), or a diagnostic when it could not run."""

    policy_pack: str
    policy_pack_version: str
    policy: str
    description: str
    urn: str
    properties: Mapping[str, Any] | None
    diagnostic: str = ""


@dataclass(frozen=True)
class RemediateResult:
    remediations: tuple[Remediation, ...]
    not_applicable: tuple[NotApplicable, ...]
    seconds: float


# --- the client --------------------------------------------------------------------------------


class AnalyzerClient:
    """Analyzer RPCs with deadlines, returning plain data; errors become PackError naming the pack."""

    def __init__(self, pack: PackProcess, *, rpc_timeout: float | None = None) -> None:
        if pack.channel is None:
            raise PackError(f"policy pack {pack.directory} is not running")
        self.pack = pack
        self.rpc_timeout = rpc_timeout if rpc_timeout is not None else pack.timeout
        self._stub = analyzer_pb2_grpc.AnalyzerStub(pack.channel)
        self.info: AnalyzerInfo | None = None
        self.configured: dict[str, PolicyConfig] = {}

    @property
    def pack_name(self) -> str:
        return self.info.name if self.info else str(self.pack.directory)

    @property
    def pack_version(self) -> str:
        return self.info.version if self.info else self.pack.project.version

    def _call(self, method: str, request: Any, what: str, timeout: float | None = None) -> Any:
        timeout = timeout or self.rpc_timeout
        try:
            return getattr(self._stub, method)(request, timeout=timeout)
        except grpc.RpcError as exc:
            raise self._rpc_failure(exc, method, what, timeout) from None

    def _rpc_failure(self, exc: grpc.RpcError, method: str, what: str, timeout: float) -> PackError:
        code = exc.code() if hasattr(exc, "code") else None
        details = exc.details() if hasattr(exc, "details") else str(exc)
        if code == grpc.StatusCode.DEADLINE_EXCEEDED:
            return self.pack.failure(f"did not answer {method} for {what} within {timeout:g} s")
        status = code.name if code else "error"
        return self.pack.failure(f"failed in {method} for {what}: {status}: {details}")

    def configure_stack(self, settings: StackSettings) -> None:
        request = analyzer_pb2.AnalyzerStackConfigureRequest(
            stack=settings.stack,
            project=settings.project,
            organization=settings.organization,
            dry_run=settings.dry_run,
            config=dict(settings.config),
            config_secret_keys=list(settings.config_secret_keys),
            tags=dict(settings.tags),
        )
        try:
            self._stub.ConfigureStack(request, timeout=self.rpc_timeout)
        except grpc.RpcError as exc:
            # Packs built before ConfigureStack existed answer Unimplemented; the CLI carries on.
            if getattr(exc, "code", lambda: None)() != grpc.StatusCode.UNIMPLEMENTED:
                raise self.pack.failure(f"failed in ConfigureStack: {exc}") from None

    def get_analyzer_info(self) -> AnalyzerInfo:
        response = self._call("GetAnalyzerInfo", empty_pb2.Empty(), "the pack")
        policies = []
        for p in response.policies:
            schema = None
            if p.HasField("configSchema"):
                schema = {
                    "properties": _from_struct(p.configSchema.properties),
                    "required": list(p.configSchema.required),
                }
            policies.append(
                PolicyInfo(
                    name=p.name,
                    description=p.description,
                    enforcement_level=_LEVEL_FROM_WIRE.get(p.enforcementLevel, "advisory"),
                    policy_type=_POLICY_TYPE_FROM_WIRE.get(p.policy_type, "unknown"),
                    severity=_SEVERITY_FROM_WIRE.get(p.severity),
                    display_name=p.displayName,
                    config_schema=schema,
                    tags=tuple(p.tags),
                    remediation_steps=p.remediation_steps,
                    url=p.url,
                )
            )
        initial = {
            name: PolicyConfig(
                _LEVEL_FROM_WIRE.get(cfg.enforcementLevel, "advisory"), _from_struct(cfg.properties)
            )
            for name, cfg in response.initialConfig.items()
        }
        project = self.pack.project
        self.info = AnalyzerInfo(
            name=response.name,
            # As the CLI: PulumiPolicy.yaml's version and description win when set.
            version=project.version or response.version,
            description=response.description or project.description,
            supports_config=response.supportsConfig,
            policies=tuple(sorted(policies, key=lambda p: p.name)),
            initial_config=initial,
        )
        return self.info

    def configure(self, config: Mapping[str, PolicyConfig]) -> None:
        if not config:
            return  # the CLI skips Configure when there is nothing to send
        request = analyzer_pb2.ConfigureAnalyzerRequest()
        for name, cfg in config.items():
            entry = request.policyConfig[name]
            entry.enforcementLevel = LEVEL_TO_WIRE[cfg.enforcement_level]
            entry.properties.update(dict(cfg.properties))
        self._call("Configure", request, "the policy configuration")
        self.configured = dict(config)

    @property
    def effective_info(self) -> AnalyzerInfo | None:
        """The pack's info with the enforcement levels it was configured with (what the report shows;
        the CLI updates its cached info the same way). `info` stays as the pack reported it."""
        if self.info is None or not self.configured:
            return self.info
        return _with_levels(self.info, self.configured)

    def _findings(self, response: Any, urn_for: Any) -> tuple[Finding, ...]:
        findings = []
        for d in response.diagnostics:
            level = _LEVEL_FROM_WIRE.get(d.enforcementLevel, "advisory")
            # The engine reports a violation of a remediate-level policy as mandatory.
            level = "mandatory" if level == "remediate" else level
            severity = _SEVERITY_FROM_WIRE.get(d.severity)
            policy = self.info.policy(d.policyName) if self.info else None
            findings.append(
                Finding(
                    policy_pack=d.policyPackName or self.pack_name,
                    policy_pack_version=self.pack_version or d.policyPackVersion,
                    policy=d.policyName,
                    level=level,
                    message=d.message,
                    urn=urn_for(d.urn),
                    severity=severity or (policy.severity if policy else None),
                    description=d.description,
                )
            )
        return tuple(findings)

    @staticmethod
    def _not_applicable(response: Any) -> tuple[NotApplicable, ...]:
        return tuple(NotApplicable(n.policy_name, n.reason) for n in response.not_applicable)

    def analyze(
        self,
        record: ResourceRecord,
        providers: Mapping[str, ResourceRecord] | None = None,
        *,
        properties: Mapping[str, Any] | None = None,
    ) -> AnalyzeResult:
        """Analyze one resource's inputs (or `properties`, e.g. after remediation)."""
        return self.analyze_prepared(analyze_request(record, providers or {}, properties=properties))

    def analyze_prepared(self, request: analyzer_pb2.AnalyzeRequest) -> AnalyzeResult:
        """Analyze with a request already built (RequestBuilder); `seconds` is the call's latency."""
        started = time.perf_counter()
        response = self._call("Analyze", request, request.urn)
        return self._analyze_result(response, request.urn, time.perf_counter() - started)

    def submit_analyze(self, request: analyzer_pb2.AnalyzeRequest) -> PendingAnalyze:
        """Start an Analyze call without waiting for it (the calls are independent); its
        `result()` is what `analyze` returns, errors included."""
        started = time.perf_counter()
        future = self._stub.Analyze.future(request, timeout=self.rpc_timeout)
        return PendingAnalyze(self, future, request.urn, started)

    def _analyze_result(self, response: Any, urn: str, seconds: float) -> AnalyzeResult:
        # Resource policies report on the resource analysed (the engine ignores their urn).
        findings = self._findings(response, lambda _urn: urn)
        return AnalyzeResult(findings, self._not_applicable(response), seconds)

    def analyze_stack(
        self, records: Sequence[ResourceRecord], providers: Mapping[str, ResourceRecord] | None = None
    ) -> AnalyzeResult:
        providers = providers if providers is not None else provider_index(records)
        builder = RequestBuilder(providers)
        return self.analyze_stack_resources(records, [builder.stack_resource(r) for r in records])

    def analyze_stack_resources(
        self, records: Sequence[ResourceRecord], resources: Sequence[analyzer_pb2.AnalyzerResource]
    ) -> AnalyzeResult:
        """AnalyzeStack with the records' resources already built (one build serves every pack)."""
        request = analyzer_pb2.AnalyzeStackRequest(resources=resources)
        known = {r.urn for r in records}
        root = root_stack_urn(records)
        # AnalyzeStack on thousands of resources may take longer than one Analyze.
        timeout = self.rpc_timeout * max(1.0, len(records) / 1000)
        started = time.perf_counter()
        response = self._call("AnalyzeStack", request, f"{len(records)} resources", timeout)
        seconds = time.perf_counter() - started
        findings = self._findings(response, lambda urn: urn if urn in known else root)
        return AnalyzeResult(findings, self._not_applicable(response), seconds)

    def remediate(
        self,
        record: ResourceRecord,
        providers: Mapping[str, ResourceRecord] | None = None,
        *,
        properties: Mapping[str, Any] | None = None,
    ) -> RemediateResult:
        """Run the pack's remediate-level policies on one resource's inputs (internal keys kept)."""
        request = analyze_request(record, providers or {}, properties=properties, skip_internal=False)
        started = time.perf_counter()
        response = self._call("Remediate", request, record.urn)
        seconds = time.perf_counter() - started
        remediations = tuple(
            Remediation(
                policy_pack=r.policyPackName or self.pack_name,
                policy_pack_version=self.pack_version or r.policyPackVersion,
                policy=r.policyName,
                description=r.description,
                urn=record.urn,
                properties=_from_struct(r.properties) if r.HasField("properties") else None,
                diagnostic=r.diagnostic,
            )
            for r in response.remediations
        )
        return RemediateResult(remediations, self._not_applicable(response), seconds)


class PendingAnalyze:
    """An Analyze call in flight (AnalyzerClient.submit_analyze)."""

    def __init__(self, client: AnalyzerClient, future: Any, urn: str, started: float) -> None:
        self._client, self._future, self.urn, self._started = client, future, urn, started
        self._finished: float | None = None
        future.add_done_callback(self._done)

    def _done(self, _future: Any) -> None:
        self._finished = time.perf_counter()

    def result(self) -> AnalyzeResult:
        """The call's result; `seconds` is its latency from submission, queueing included."""
        try:
            response = self._future.result()
        except grpc.RpcError as exc:
            raise self._client._rpc_failure(exc, "Analyze", self.urn, self._client.rpc_timeout) from None
        finished = self._finished if self._finished is not None else time.perf_counter()
        return self._client._analyze_result(response, self.urn, finished - self._started)

    def cancel(self) -> None:
        self._future.cancel()


def _with_levels(info: AnalyzerInfo, config: Mapping[str, PolicyConfig]) -> AnalyzerInfo:
    policies = tuple(
        replace(p, enforcement_level=config[p.name].enforcement_level) if p.name in config else p
        for p in info.policies
    )
    return replace(info, policies=policies)


@contextlib.contextmanager
def running_pack(
    pack_dir: Path,
    *,
    settings: StackSettings | None = None,
    engine_address: str = "127.0.0.1:0",
    timeout: float = DEFAULT_PACK_TIMEOUT,
    python: str | None = None,
) -> Iterator[AnalyzerClient]:
    """Start a pack, ConfigureStack + GetAnalyzerInfo it, yield its client, always stop it."""
    with PackProcess(
        pack_dir, settings=settings, engine_address=engine_address, timeout=timeout, python=python
    ) as pack:
        client = AnalyzerClient(pack)
        client.configure_stack(pack.settings)
        client.get_analyzer_info()
        yield client
