"""Pulumi resource `transforms`, run the way the engine runs them before it registers a resource.

A transform is registered with `pulumi.ResourceOptions(transforms=[...])` (the resource's own) or
`pulumi.runtime.register_resource_transform(fn)` (stack-wide); the SDK only sends callback tokens,
and the engine calls them back. Pulumi's MockMonitor never does, so without this module the
preview would judge the untransformed inputs.

What the engine does (pulumi/pulumi `pkg/resource/deploy/source_eval.go`, `resmon.RegisterResource`
and `wrapTransformCallback`; `sdk/go/common/resource/plugin/rpc.go` for the marshalling):
- Order: the resource's own transforms, then each ancestor's own transforms from the parent up to
  the root (`rm.resourceTransforms[current]`, `current = rm.parents[current]`), then the stack
  transforms registered so far. Each one gets the previous one's props and options.
- Props are unmarshalled with `KeepOutputValues` + `UpgradeToOutputValues` (secrets and unknowns
  become output values) and, when the resource has transforms of its own, every property with
  dependencies is upgraded to an output value carrying them (`upgradeOutputValues`). They are sent
  with `KeepOutputValues`, so the Python SDK hands the function `pulumi.Output`s for those values
  and plain Python values (wire names: camelCase keys) for the rest.
- Options are a `TransformResourceOptions` built from the request (import, dependsOn, protect after
  inheriting the parent's, provider resolved from `provider`/`providers`, version, aliases, ...).
  There is no `parent`: a transform can't re-parent a resource.
- A response without props or options leaves them as they were. After the chain the engine uses the
  new options for the provider reference (provider, version), protect and, only when the resource
  had transforms of its own, its dependencies (rebuilt from dependsOn and from the output values
  left in the props - none, once a Python transform has returned props).

The Python side (`sdk/python/lib/pulumi/runtime/_callbacks.py`, `_CallbackServicer.register_transform`)
builds `ResourceTransformArgs(custom, type_, name, props=deserialize_properties(...),
opts=_resource_options(request))`, awaits the result if it is awaitable, echoes the request for
None, and otherwise serialises `result.props` (Outputs become plain values, UNKNOWN or secrets) and
`result.opts`. We call that very callback, on the program's event loop, with the request the
engine would send; so functions see exactly what they see under the CLI. A program running in its
own process (Node.js) serves its callbacks over gRPC at the callback's `target`; we call them there.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import grpc
from google.protobuf import struct_pb2
from google.protobuf.message import Message
from pulumi.runtime._callbacks import _CallbackServicer
from pulumi.runtime.proto import alias_pb2, callback_pb2, callback_pb2_grpc, resource_pb2
from pulumi.runtime.sync_await import _sync_await

from policy_preview.model import UNKNOWN_WIRE
from policy_preview.wire import SIG_KEY, is_secret, struct_to_wire, wire_to_struct

# Signature of an output value in wire form (pulumi/sdk/python/lib/pulumi/runtime/rpc.py).
OUTPUT_VALUE_SIG = "d0e6a833031e9bbcd3f4e8bde6ca49a4"


@dataclass(frozen=True)
class TransformResult:
    inputs: dict[str, Any]  # wire form; the original object when no transform returned props
    options: resource_pb2.TransformResourceOptions
    props_replaced: bool


def engine_options(
    request: Any, *, protect: bool | None, provider: str
) -> resource_pb2.TransformResourceOptions:
    """The options the engine hands the first transform, built from a RegisterResourceRequest."""
    opts = resource_pb2.TransformResourceOptions(
        depends_on=list(request.dependencies),
        ignore_changes=list(request.ignoreChanges),
        replace_on_changes=list(request.replaceOnChanges),
        version=request.version,
        aliases=[alias_pb2.Alias(urn=urn) for urn in request.aliasURNs] + list(request.aliases),
        provider=provider,
        providers=dict(request.providers),
        plugin_download_url=request.pluginDownloadURL,
        deleted_with=request.deletedWith,
        additional_secret_outputs=list(request.additionalSecretOutputs),
        plugin_checksums=dict(request.pluginChecksums),
        hide_diff=list(request.hideDiffs),
        replace_with=list(request.replace_with),
    )
    setattr(opts, "import", request.importId)  # `import` is a Python keyword
    if protect is not None:
        opts.protect = protect
    if request.HasField("retainOnDelete"):
        opts.retain_on_delete = request.retainOnDelete
    if request.deleteBeforeReplaceDefined or request.deleteBeforeReplace:
        opts.delete_before_replace = request.deleteBeforeReplace
    for field in ("customTimeouts", "hooks", "replacement_trigger"):
        if request.HasField(field):
            target = {"customTimeouts": "custom_timeouts"}.get(field, field)
            getattr(opts, target).CopyFrom(getattr(request, field))
    return opts


def engine_properties(
    inputs: Mapping[str, Any],
    property_dependencies: Mapping[str, Sequence[str]],
    *,
    upgrade_dependencies: bool,
) -> struct_pb2.Struct:
    """Wire inputs as the engine marshals them for a transform: secrets and unknowns as output
    values and, when `upgrade_dependencies`, every property with dependencies as one too."""
    props: dict[str, Any] = {}
    for key, value in inputs.items():
        engine_value = _as_output_values(value)
        deps = sorted(set(property_dependencies.get(key, ()))) if upgrade_dependencies else []
        if deps:
            if not _is_output_value(engine_value):
                engine_value = {SIG_KEY: OUTPUT_VALUE_SIG, "value": engine_value}
            engine_value = {**engine_value, "dependencies": deps}
        props[key] = engine_value
    return wire_to_struct(props)


def run_transforms(
    callbacks: Sequence[callback_pb2.Callback],
    *,
    type_: str,
    name: str,
    custom: bool,
    parent: str,
    inputs: dict[str, Any],
    properties: struct_pb2.Struct,
    options: resource_pb2.TransformResourceOptions,
) -> TransformResult:
    """Call each transform in turn, as the engine does; props None/options None = unchanged."""
    current_props, current_opts = properties, options
    replaced = False
    for callback in callbacks:
        request = resource_pb2.TransformRequest(
            type=type_,
            name=name,
            custom=custom,
            parent=parent,
            properties=current_props,
            options=current_opts,
        )
        try:
            response = resource_pb2.TransformResponse.FromString(
                _invoke(callback, request.SerializeToString())
            )
        except Exception as exc:
            # The engine fails the registration with the callback's error; say which resource it was.
            exc.add_note(f"(raised by a transform of {type_} {name!r})")
            raise
        if response.HasField("properties"):
            replaced = replaced or response.properties != current_props
            current_props = response.properties
        if response.HasField("options"):
            # Taken as the SDK sent them, as the engine does: the Node.js SDK's callback hands an
            # unset deleteBeforeReplace back as an explicit false (callbacks.ts reads the proto
            # default), so under the CLI too that resource's Analyze options say "false, defined".
            current_opts = response.options
    new_inputs = struct_to_wire(current_props) if replaced else inputs
    return TransformResult(inputs=new_inputs, options=current_opts, props_replaced=replaced)


def _invoke(callback: callback_pb2.Callback, request: bytes) -> bytes:
    servicer = _servicer_for(callback.token)
    if servicer is None and callback.target:
        # A program in another process (another language): call its SDK's callback server, as the
        # engine does.
        return _invoke_remote(callback, request)
    if servicer is None:
        # The engine would fail the registration too: nobody serves this callback.
        raise RuntimeError(f"transform callback {callback.token} is not registered with the SDK")
    response: Message = _run_on(servicer._loop, servicer._callbacks[callback.token](request))
    return response.SerializeToString()


def _invoke_remote(callback: callback_pb2.Callback, request: bytes) -> bytes:
    # A channel per call: none stays open when the program (and its callback server) exits.
    invoke_request = callback_pb2.CallbackInvokeRequest(token=callback.token, request=request)
    with grpc.insecure_channel(callback.target) as channel:
        try:
            return callback_pb2_grpc.CallbacksStub(channel).Invoke(invoke_request).response
        except grpc.RpcError as exc:
            # The callback raised in the program: its SDK puts the program's error in the status.
            raise RuntimeError(exc.details() or str(exc.code())) from None


def _servicer_for(token: str) -> _CallbackServicer | None:
    for servicer in _CallbackServicer._servicers:
        if token in servicer._callbacks:
            return servicer
    return None


def _run_on(loop: asyncio.AbstractEventLoop, awaitable: Awaitable[Message]) -> Message:
    # The monitor runs on an executor thread while the program's loop waits for it; the callback
    # belongs on that loop (as behind the real callback server), where the program's Outputs live.
    try:
        running: asyncio.AbstractEventLoop | None = asyncio.get_running_loop()
    except RuntimeError:
        running = None
    if loop.is_running() and running is not loop:
        return asyncio.run_coroutine_threadsafe(_awaited(awaitable), loop).result()
    return _sync_await(awaitable)


async def _awaited(awaitable: Awaitable[Message]) -> Message:
    return await awaitable


def _as_output_values(value: Any) -> Any:
    if value == UNKNOWN_WIRE:
        return {SIG_KEY: OUTPUT_VALUE_SIG}
    if is_secret(value):
        inner = value.get("value")
        if inner == UNKNOWN_WIRE:
            return {SIG_KEY: OUTPUT_VALUE_SIG, "secret": True}
        return {SIG_KEY: OUTPUT_VALUE_SIG, "secret": True, "value": _as_output_values(inner)}
    if isinstance(value, dict) and SIG_KEY not in value:
        return {k: _as_output_values(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_as_output_values(v) for v in value]
    return value  # plain values, resource references, assets: as they are


def _is_output_value(value: Any) -> bool:
    return isinstance(value, dict) and value.get(SIG_KEY) == OUTPUT_VALUE_SIG
