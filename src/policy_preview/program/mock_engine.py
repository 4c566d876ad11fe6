"""A stand-in for the Pulumi engine's resource monitor: it answers the SDK's RegisterResource calls
as the engine would in a first `pulumi preview` (or after a `pulumi up`) and records every resource
the way the engine would hand it to a policy pack. Python programs call it in-process (through
Pulumi's MockSettings); programs in other languages reach the same object over gRPC
(engine_server.py), so every language gets one implementation of what follows.

Built on pulumi.runtime.mocks.MockMonitor (which already speaks the monitor protocol to the SDK);
where the mock differs from the real engine we follow the engine:
- URNs: a child's type is prefixed with its parent's full qualified type, except for the root stack
  (pkg/resource/deploy/deployment.go generateURN); the mock prefixes the stack type and only the
  parent's last type segment.
- Default providers: the SDK sends an empty provider reference and the engine registers
  `pulumi:providers:<pkg>::default_<major>_<minor>_<patch>` with the package's stack config plus
  `version` as inputs and no parent (pkg/resource/deploy/default_providers.go). The mock registers
  none; we synthesise them and give every custom resource the reference `<provider urn>::<id>`
  (id unknown in preview, as providers.UnknownID, a stable UUID in update).
- Transforms (`ResourceOptions(transforms=...)`, a parent's, `register_resource_transform`) run
  before anything else, in the engine's order, see transforms.py; the mock runs none.
- Inputs are the provider-checked inputs (auto-name, tagsAll), see provider_check.py.
- Resource options are recorded as the engine's goal keeps them after the transforms: protect
  (inherited from the parent), ignoreChanges, deleteBeforeReplace (unset stays unset),
  additionalSecretOutputs, customTimeouts in seconds. Aliases: the engine hands analyzers only the
  alias that matched a resource of the previous state; an offline run has no previous state, so none.
- Reads (`Resource.get`, ReadResource) are not registrations: the engine analyzes neither them nor
  puts them in AnalyzeStack (step_executor.go keeps them in `reads`, AnalyzeResources walks `news`),
  so they are not recorded; like the engine, a read still registers its package's default provider.
- Outputs: preview = inputs + computed outputs unknown; update = inputs + plausible computed values.
- Source positions: the engine's `project:///<path>#<line>` form of the request's position, taking
  the innermost frame of the SDK's stack trace that is the project's own code (source_positions.py).
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from pulumi.errors import RunError
from pulumi.runtime import mocks
from pulumi.runtime.proto import resource_pb2

from policy_preview.model import UNKNOWN_WIRE, CustomTimeouts, ResourceRecord
from policy_preview.program.computed_outputs import DEFAULT_REGION, Target, computed_outputs, provider_id
from policy_preview.program.go_duration import duration_seconds
from policy_preview.program.invokes import invoke_result
from policy_preview.program.provider_check import checked_inputs
from policy_preview.program.source_positions import program_position, project_position
from policy_preview.program.transforms import engine_options, engine_properties, run_transforms
from policy_preview.urns import STACK_TYPE, make_provider_ref, make_urn, parse_urn, split_provider_ref
from policy_preview.wire import reveal, secret, struct_to_wire, wire_to_struct

PROVIDER_TYPE_PREFIX = "pulumi:providers:"
# The preview's own frames (the program worker) are never the user's code.
_OWN_CODE = Path(__file__).resolve().parent.parent  # the whole policy_preview package


@dataclass(frozen=True)
class _Registration:
    inputs: dict[str, Any]
    options: resource_pb2.TransformResourceOptions
    dependencies: tuple[str, ...]
    property_dependencies: dict[str, tuple[str, ...]]


class InvokeMocks(mocks.Mocks):
    """Provider functions (data sources) answered offline; unknown functions return nothing."""

    def __init__(self, target: Target) -> None:
        self.target = target

    def call(self, args: mocks.MockCallArgs) -> tuple[dict, list[tuple[str, str]] | None]:
        # No check failures: an empty list (MockMonitor.Invoke iterates it; None breaks every invoke).
        return invoke_result(args.token, args.args, self.target), []

    def new_resource(self, args: mocks.MockResourceArgs) -> tuple[str | None, dict]:
        # Only reached for `Resource.get(...)` reads: echo the requested id and state.
        return args.resource_id or f"{args.name}-id", dict(args.inputs)


class RecordingMonitor(mocks.MockMonitor):
    """MockMonitor that records each registration as a ResourceRecord, in registration order."""

    def __init__(
        self,
        *,
        project: str,
        stack: str,
        preview: bool,
        config: Mapping[str, str],
        secret_keys: frozenset[str] = frozenset(),
        project_root: Path | None = None,
    ) -> None:
        self.project = project
        self.project_root = project_root
        self.stack = stack
        self.preview = preview
        self.config = dict(config)
        self.secret_keys = secret_keys
        region = self.config.get("aws:region")
        self.default_target = Target(region=region if region and region != UNKNOWN_WIRE else DEFAULT_REGION)
        super().__init__(InvokeMocks(self.default_target))
        self._lock = threading.Lock()
        self._records: dict[str, ResourceRecord] = {}
        self._default_provider_refs: dict[tuple[str, str], str] = {}
        self._own_transforms: dict[str, list[Any]] = {}  # urn -> its `transforms` callbacks
        self._stack_transforms_callbacks: list[Any] = []

    @property
    def records(self) -> list[ResourceRecord]:
        with self._lock:
            return list(self._records.values())

    def make_urn(self, parent: str, type_: str, name: str) -> str:
        parsed = parse_urn(parent) if parent else None
        parent_type = parsed.qualified_type if parsed is not None else ""
        if parent_type and parent_type != STACK_TYPE:
            type_ = f"{parent_type}${type_}"
        return make_urn(self.stack, self.project, type_, name)

    def RegisterResource(self, request: Any) -> resource_pb2.RegisterResourceResponse:
        urn = self.make_urn(request.parent, request.type, request.name)
        custom = bool(request.custom)
        is_provider = request.type.startswith(PROVIDER_TYPE_PREFIX)
        registered = self._transformed(request, custom)
        opts = registered.options
        provider_ref = None
        if custom and not is_provider:
            provider_ref = opts.provider or self._default_provider_ref(request.type, opts.version)
        inputs = registered.inputs
        if custom:
            inputs = checked_inputs(
                request.type, urn, request.name, inputs, self._provider_inputs(provider_ref)
            )
        outputs, resource_id = self._outputs(request.type, urn, custom, inputs, provider_ref)
        record = ResourceRecord(
            urn=urn,
            type=request.type,
            name=request.name,
            custom=custom,
            inputs=inputs,
            outputs=outputs,
            parent=request.parent or None,
            provider=provider_ref,
            dependencies=registered.dependencies,
            property_dependencies=registered.property_dependencies,
            protect=opts.protect,
            ignore_changes=tuple(opts.ignore_changes),
            delete_before_replace=(
                opts.delete_before_replace if opts.HasField("delete_before_replace") else None
            ),
            additional_secret_outputs=tuple(opts.additional_secret_outputs),
            custom_timeouts=_custom_timeouts(opts, urn),
            source_position=self._source_position(request),
        )
        with self._lock:
            self._records[urn] = record
            self._own_transforms[urn] = list(request.transforms)
            self.resources[urn] = mocks.MockMonitor.ResourceRegistration(urn, resource_id, outputs)
        return resource_pb2.RegisterResourceResponse(urn=urn, id=resource_id, object=wire_to_struct(outputs))

    def ReadResource(self, request: Any) -> Any:
        # As the engine's ReadResource: a read without a provider uses (and so registers) its
        # package's default provider. The read itself is not recorded (see the module docstring).
        if not request.provider and not request.type.startswith(PROVIDER_TYPE_PREFIX):
            self._default_provider_ref(request.type, request.version)
        return super().ReadResource(request)

    def _source_position(self, request: Any) -> str | None:
        frames = [(f.pc.uri, f.pc.line) for f in request.stackTrace.frames if f.HasField("pc")]
        if self.project_root is not None and frames:
            return program_position(frames, self.project_root, excluded=(_OWN_CODE,))
        if not request.HasField("sourcePosition"):
            return None
        position = request.sourcePosition
        return project_position(position.uri, position.line, self.project_root, position.column)

    def RegisterStackTransform(self, request: Any) -> Any:
        # Keep the callback itself (the base class keeps only the Python function) to call it as
        # the engine does, through the SDK's callback wrapper.
        with self._lock:
            self._stack_transforms_callbacks.append(request)
        return super().RegisterStackTransform(request)

    def _transformed(self, request: Any, custom: bool) -> _Registration:
        """The request's inputs and options after its transforms, as the engine would register them."""
        inputs = struct_to_wire(request.object)
        # SDKs send dependencies in set order (Python's changes from run to run, Node's follows
        # resolution timing); records keep one canonical order, the same for every language.
        dependencies = tuple(sorted(set(request.dependencies)))
        property_dependencies = {
            k: tuple(sorted(set(v.urns))) for k, v in request.propertyDependencies.items()
        }
        with self._lock:
            parent_record = self._records.get(request.parent)
            callbacks = list(request.transforms)
            ancestor = request.parent
            while ancestor:  # own transforms first, then the parent's, up to the root, then the stack's
                callbacks.extend(self._own_transforms.get(ancestor, ()))
                ancestor_record = self._records.get(ancestor)
                ancestor = ancestor_record.parent if ancestor_record is not None else None
            callbacks.extend(self._stack_transforms_callbacks)
        # As the engine's inheritFromParent: an unset protect is the parent's (transformed) one.
        protect = request.protect if request.HasField("protect") else None
        if protect is None and parent_record is not None:
            protect = parent_record.protect
        package = request.type.split(":")[0]
        provider = (request.provider or request.providers.get(package, "")) if custom else request.provider
        options = engine_options(request, protect=protect, provider=provider)
        if not callbacks:
            return _Registration(inputs, options, dependencies, property_dependencies)
        own = len(request.transforms) > 0
        result = run_transforms(
            callbacks,
            type_=request.type,
            name=request.name,
            custom=custom,
            parent=request.parent,
            inputs=inputs,
            properties=engine_properties(inputs, property_dependencies, upgrade_dependencies=own),
            options=options,
        )
        if own:
            # The engine rebuilds dependencies from dependsOn and the output values left in the
            # props; a Python transform that returned props left none.
            if result.props_replaced:
                property_dependencies = {key: () for key in result.inputs}
            extra = [urn for urns in property_dependencies.values() for urn in urns]
            dependencies = tuple(sorted({*result.options.depends_on, *extra}))
        return _Registration(result.inputs, result.options, dependencies, property_dependencies)

    def RegisterResourceOutputs(self, request: Any) -> Any:
        # Components (and the stack) publish their outputs after construction.
        outputs = struct_to_wire(request.outputs)
        with self._lock:
            record = self._records.get(request.urn)
            if record is not None:
                self._records[request.urn] = replace(record, outputs=outputs)
        return super().RegisterResourceOutputs(request)

    def _outputs(
        self, type_: str, urn: str, custom: bool, inputs: dict[str, Any], provider_ref: str | None
    ) -> tuple[dict[str, Any], str]:
        if not custom:
            return {}, ""
        target = self._target(provider_ref, inputs if type_.startswith("aws:") else None)
        computed = computed_outputs(type_, urn, inputs, target)
        resource_id = computed.get("id", "")
        if self.preview:
            # A first preview knows the (checked) inputs and nothing the provider computes.
            computed = {k: UNKNOWN_WIRE for k in computed if k not in inputs or k == "id"}
            resource_id = ""
        return {**inputs, **computed}, resource_id

    def _default_provider_ref(self, type_: str, version: str) -> str:
        package = type_.split(":")[0]
        with self._lock:
            ref = self._default_provider_refs.get((package, version))
            if ref is not None:
                return ref
            name = default_provider_name(version)
            urn = make_urn(self.stack, self.project, f"{PROVIDER_TYPE_PREFIX}{package}", name)
            inputs = self._package_config(package)
            if version:
                inputs["version"] = version
            resource_id = UNKNOWN_WIRE if self.preview else provider_id(urn)
            self._records[urn] = ResourceRecord(
                urn=urn, type=f"{PROVIDER_TYPE_PREFIX}{package}", name=name, custom=True,
                inputs=inputs, outputs=dict(inputs),
            )  # fmt: skip
            ref = make_provider_ref(urn, resource_id)
            self._default_provider_refs[(package, version)] = ref
            return ref

    def _package_config(self, package: str) -> dict[str, Any]:
        # The engine passes a package's config (`aws:region` -> `region`) to its default provider.
        inputs: dict[str, Any] = {}
        for key, value in self.config.items():
            namespace, _, name = key.partition(":")
            if namespace == package and name:
                inputs[name] = secret(value) if key in self.secret_keys else value
        return inputs

    def _provider_inputs(self, provider_ref: str | None) -> dict[str, Any]:
        if not provider_ref:
            return {}
        with self._lock:
            record = self._records.get(split_provider_ref(provider_ref)[0])
        return record.inputs if record is not None else {}

    def _target(self, provider_ref: str | None, inputs: Mapping[str, Any] | None = None) -> Target:
        # pulumi-aws 7: a resource's own `region` argument wins over its provider's region.
        for region in (
            reveal((inputs or {}).get("region")),
            reveal(self._provider_inputs(provider_ref).get("region")),
        ):
            if isinstance(region, str) and region and region != UNKNOWN_WIRE:
                return Target(region=region)
        return self.default_target


def _custom_timeouts(opts: resource_pb2.TransformResourceOptions, urn: str) -> CustomTimeouts:
    if not opts.HasField("custom_timeouts"):
        return CustomTimeouts()
    given = opts.custom_timeouts
    try:
        # Empty strings are "not set" (0), as in the engine.
        seconds = {
            op: duration_seconds(value) if value else 0.0
            for op, value in (
                ("create", given.create),
                ("update", given.update),
                ("delete", given.delete),
                ("read", given.read),
            )
        }
    except ValueError as exc:
        # The engine refuses the registration; RunError: the runner prints just the message.
        raise RunError(f"{urn}: customTimeouts: {exc}") from None
    return CustomTimeouts(**seconds)


def default_provider_name(version: str) -> str:
    """`7.51.1` -> `default_7_51_1`, as providers.ProviderRequest.DefaultName builds it."""
    if not version:
        return "default"
    core, _, build = version.partition("+")
    core, _, pre = core.partition("-")
    parts = core.split(".") + (pre.split(".") if pre else []) + (build.split(".") if build else [])
    return "default_" + "_".join(parts)
