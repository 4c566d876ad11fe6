"""The SDK speed-ups: policies see exactly what pulumi_policy alone would give them, per call.

Each test compares the SDK with and without the speed-ups on the same requests, through the SDK's
own Analyze / AnalyzeStack / Remediate handlers, so a difference a policy could notice fails here.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

import pulumi
import pytest
from google.protobuf import json_format, struct_pb2
from hypothesis import given
from hypothesis import strategies as st
from pulumi.runtime.proto import analyzer_pb2
from pulumi_policy import (
    EnforcementLevel,
    ResourceValidationPolicy,
    StackValidationPolicy,
    deserialize,
    policy,
    proxy,
    version,
)
from pulumi_policy.secret import Secret

from dynamodb_guardrails import sdk_speedups
from dynamodb_guardrails.sdk_speedups import install, proxy_builder, struct_to_dict

SIG = "4dabf18193072939515e22adb298388d"
SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270"
ASSET_SIG = "c44067f5952c0a294b673a41bacd8c17"
UNKNOWNS = [
    "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7",  # boolean
    "3eeb2bf0-c639-47a8-9e75-3b44932eb421",  # number
    "04da6b54-80e4-46f7-96ec-b56ff0331ba9",  # string
    "6a19a0b0-7e62-4c92-b797-7f8e31da9cc2",  # array
    "dd056dcd-154b-4c76-9bd3-c8f88648b5ff",  # object
]
SERVICER = policy._PolicyAnalyzerServicer
PATCHED_MODULE_NAMES = ("json_format", "deserialize_properties", "unknown_checking_proxy")
PATCHED_SERVICER_NAMES = (
    "Analyze",
    "AnalyzeStack",
    "Remediate",
    "_get_provider_resource",
    sdk_speedups._INSTALLED,
)

# --- wire property trees, as the engine sends them ------------------------------------------------

_leaves = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**53), max_value=2**53),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=8),
    st.sampled_from(UNKNOWNS),
)
_keys = st.one_of(st.sampled_from(["tags", "name", "policy", "value", "billingMode"]), st.text(max_size=6))


def _with_signatures(children: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(_keys, children, max_size=4),
        children.map(lambda value: {SIG: SECRET_SIG, "value": value}),
        st.text(max_size=8).map(lambda text: {SIG: ASSET_SIG, "text": text}),
    )


def _containers(children: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.one_of(st.lists(children, max_size=4), st.dictionaries(_keys, children, max_size=4))


# Most properties carry no secret or asset (the speed-ups' fast path); signed maps get their own.
plain_props = st.dictionaries(_keys, st.recursive(_leaves, _containers, max_leaves=20), max_size=6)
signed_props = st.dictionaries(_keys, st.recursive(_leaves, _with_signatures, max_leaves=20), max_size=6)
wire_props = st.one_of(plain_props, signed_props)


def to_struct(props: Mapping[str, Any]) -> struct_pb2.Struct:
    message = struct_pb2.Struct()
    message.update(dict(props))
    # As received: parsed from bytes, like gRPC does.
    return struct_pb2.Struct.FromString(message.SerializeToString())


def identical(a: Any, b: Any) -> bool:
    """Same types all the way down (a float is not an int), same keys in the same order."""
    if a is b:
        return True
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return list(a) == list(b) and all(identical(a[key], b[key]) for key in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(identical(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, proxy._DictProxy | proxy._ListProxy):
        return identical(vars(a), vars(b))
    return bool(a == b)


# --- what a policy sees -------------------------------------------------------------------------


def seen(value: Any) -> Any:
    """Everything a policy can read from a props proxy, unknowns and secrets included."""
    if isinstance(value, Secret):
        return ("secret", seen(value.value))
    if isinstance(value, pulumi.Asset | pulumi.Archive):
        return (type(value).__name__, getattr(value, "text", None))
    if isinstance(value, Mapping):
        return ("map", _family(value), [(key, _read(value, key)) for key in value])
    if isinstance(value, Sequence) and not isinstance(value, str):
        return ("list", _family(value), [_read(value, index) for index in range(len(value))])
    return (type(value).__name__, value)


def _family(value: Any) -> str:
    # AnalyzeStack's props are a subclass of the SDK's dict proxy that converts on read.
    for family in (proxy._DictProxy, proxy._ListProxy):
        if isinstance(value, family):
            return family.__name__
    return type(value).__name__


def _read(container: Any, key: Any) -> Any:
    try:
        return seen(container[key])
    except proxy.UnknownValueError as exc:
        return ("unknown", exc.message)


def _recording_resource_policy(
    name: str, log: list[Any], level: EnforcementLevel
) -> ResourceValidationPolicy:
    def validate(args: Any, report_violation: Callable[..., None]) -> None:
        provider = args.provider
        log.append((name, args.urn, seen(args.props), provider and (provider.urn, seen(provider.props))))
        report_violation(f"{name} saw {len(args.props)} properties")

    def remediate(args: Any) -> None:
        log.append((name, "remediate", seen(args.props)))

    return ResourceValidationPolicy(
        name=name, description=name, validate=validate, remediate=remediate, enforcement_level=level
    )


def _recording_stack_policy(log: list[Any]) -> StackValidationPolicy:
    def validate(args: Any, report_violation: Callable[..., None]) -> None:
        for resource in args.resources:
            provider = resource.provider
            log.append(("stack", resource.urn, seen(resource.props), provider and seen(provider.props)))
        report_violation(f"stack of {len(args.resources)}")

    return StackValidationPolicy(name="stack", description="stack", validate=validate)


def make_servicer(log: list[Any], level: EnforcementLevel = EnforcementLevel.ADVISORY) -> Any:
    policies: list[Any] = [
        _recording_resource_policy("first", log, level),
        _recording_resource_policy("second", log, level),
        _recording_stack_policy(log),
    ]
    return SERVICER("pack", "0.0.1", policies, EnforcementLevel.ADVISORY)


def provider(props: Mapping[str, Any], name: str = "default") -> analyzer_pb2.AnalyzerProviderResource:
    return analyzer_pb2.AnalyzerProviderResource(
        type="pulumi:providers:aws",
        urn=f"urn:pulumi:dev::p::pulumi:providers:aws::{name}",
        name=name,
        properties=to_struct(props),
    )


def analyze_request(props: Mapping[str, Any], provider_props: Mapping[str, Any] | None) -> Any:
    request = analyzer_pb2.AnalyzeRequest(
        type="aws:s3/bucket:Bucket", urn="urn:pulumi:dev::p::aws:s3/bucket:Bucket::b", name="b"
    )
    request.properties.CopyFrom(to_struct(props))
    if provider_props is not None:
        request.provider.CopyFrom(provider(provider_props))
    return analyzer_pb2.AnalyzeRequest.FromString(request.SerializeToString())


def stack_request(resources: Sequence[tuple[Mapping[str, Any], Mapping[str, Any] | None]]) -> Any:
    request = analyzer_pb2.AnalyzeStackRequest()
    for index, (props, provider_props) in enumerate(resources):
        resource = request.resources.add(
            type="aws:s3/bucket:Bucket",
            urn=f"urn:pulumi:dev::p::aws:s3/bucket:Bucket::b{index}",
            name=f"b{index}",
        )
        resource.properties.CopyFrom(to_struct(props))
        if provider_props is not None:
            resource.provider.CopyFrom(provider(provider_props, name=f"p{index % 2}"))
    return analyzer_pb2.AnalyzeStackRequest.FromString(request.SerializeToString())


def outcome(call: Callable[[], Any]) -> Any:
    """The response, or the exception a broken request raises (the same either way)."""
    try:
        return call().SerializeToString(deterministic=True)
    except Exception as exc:  # noqa: BLE001 - compared, not swallowed
        return ("raised", type(exc).__name__, str(exc))


@contextmanager
def speedups_installed() -> Iterator[None]:
    """Install into the real SDK for the block, and put the SDK back as it was afterwards."""
    assert policy.json_format is json_format, "the speed-ups are already installed in this process"
    saved_module = {name: getattr(policy, name) for name in PATCHED_MODULE_NAMES}
    saved_servicer = {name: SERVICER.__dict__.get(name) for name in PATCHED_SERVICER_NAMES}
    try:
        assert install()
        yield
    finally:
        for name, value in saved_module.items():
            setattr(policy, name, value)
        for name, value in saved_servicer.items():
            if value is None:
                if name in SERVICER.__dict__:
                    delattr(SERVICER, name)
            else:
                setattr(SERVICER, name, value)


def run_both(scenario: Callable[[Any], Any], level: EnforcementLevel = EnforcementLevel.ADVISORY) -> None:
    """Run `scenario(servicer)` without and with the speed-ups: same responses, same observations."""
    plain_log: list[Any] = []
    plain = scenario(make_servicer(plain_log, level))
    fast_log: list[Any] = []
    with speedups_installed():
        fast = scenario(make_servicer(fast_log, level))
    assert fast == plain
    assert fast_log == plain_log
    assert sdk_speedups._memo() is None  # nothing outlives the call


# --- equivalence --------------------------------------------------------------------------------


@given(wire_props)
def test_struct_to_dict_is_message_to_dict(props: dict[str, Any]) -> None:
    message = to_struct(props)
    assert identical(struct_to_dict(message), json_format.MessageToDict(message))


@pytest.mark.parametrize("number", [math.inf, -math.inf, math.nan])
def test_struct_to_dict_refuses_what_message_to_dict_refuses(number: float) -> None:
    message = struct_pb2.Struct()
    message.fields["nested"].struct_value.fields["n"].number_value = number
    with pytest.raises(ValueError) as sdk_error:
        json_format.MessageToDict(message)
    with pytest.raises(ValueError) as our_error:
        struct_to_dict(message)
    assert str(our_error.value) == str(sdk_error.value)


@given(wire_props, st.booleans())
def test_proxy_builder_builds_the_sdks_proxies(props: dict[str, Any], keep_secrets: bool) -> None:
    build = proxy_builder(proxy._DictProxy, proxy._ListProxy, proxy._proxy_helper)
    deserialized = deserialize.deserialize_properties(
        json_format.MessageToDict(to_struct(props)), keep_secrets
    )
    assert identical(build(deserialized, []), proxy.unknown_checking_proxy(deserialized))


@given(wire_props, st.one_of(st.none(), wire_props))
def test_analyze_gives_every_policy_what_the_sdk_gives(
    props: dict[str, Any], provider_props: dict[str, Any] | None
) -> None:
    request = analyze_request(props, provider_props)
    run_both(lambda servicer: outcome(lambda: servicer.Analyze(request, None)))


@given(st.lists(st.tuples(wire_props, st.one_of(st.none(), wire_props)), min_size=1, max_size=4))
def test_analyze_stack_gives_every_resource_what_the_sdk_gives(
    resources: list[tuple[dict[str, Any], dict[str, Any] | None]],
) -> None:
    request = stack_request(resources)
    run_both(lambda servicer: outcome(lambda: servicer.AnalyzeStack(request, None)))


@given(wire_props, st.one_of(st.none(), wire_props))
def test_remediate_keeps_its_secret_preserving_props(
    props: dict[str, Any], provider_props: dict[str, Any] | None
) -> None:
    request = analyze_request(props, provider_props)

    def scenario(servicer: Any) -> Any:
        # Remediate deserialises with proxy_secrets=True; an Analyze of the same request after it
        # must still get Analyze's (secrets unwrapped) values.
        return outcome(lambda: servicer.Remediate(request, None)), outcome(
            lambda: servicer.Analyze(request, None)
        )

    run_both(scenario, EnforcementLevel.REMEDIATE)


def test_a_broken_signature_fails_the_call_as_in_the_sdk() -> None:
    request = analyze_request({"x": {SIG: "not-a-known-signature"}}, None)
    run_both(lambda servicer: outcome(lambda: servicer.Analyze(request, None)))
    stack = stack_request([({"ok": "yes"}, None), ({"x": [{SIG: "not-a-known-signature"}]}, None)])
    run_both(lambda servicer: outcome(lambda: servicer.AnalyzeStack(stack, None)))


@pytest.mark.parametrize("number", [math.inf, -math.inf, math.nan])
def test_a_stack_resource_with_nan_fails_the_call_as_in_the_sdk(number: float) -> None:
    # Converting on read must not turn the SDK's failed call into a passing one.
    request = stack_request([({"ok": "yes"}, None), ({"x": "nan ahead"}, None)])
    request.resources[1].properties.fields["deep"].list_value.values.add().number_value = number
    run_both(lambda servicer: outcome(lambda: servicer.AnalyzeStack(request, None)))


@given(plain_props)
def test_a_stack_resources_props_hold_what_the_sdks_proxy_holds(props: dict[str, Any]) -> None:
    # Through `__target` too, the whole tree at once (as the SDK's serializer reads it).
    targets: list[Any] = []

    def validate(args: Any, report_violation: Callable[..., None]) -> None:
        targets.append(args.resources[0].props["__target"])

    request = stack_request([(props, None)])
    for installed in (False, True):
        servicer = SERVICER(
            "pack",
            "0.0.1",
            [StackValidationPolicy(name="s", description="d", validate=validate)],
            EnforcementLevel.ADVISORY,
        )
        if installed:
            with speedups_installed():
                servicer.AnalyzeStack(request, None)
        else:
            servicer.AnalyzeStack(request, None)
    sdk_target, our_target = targets
    assert identical(our_target, sdk_target)


# --- isolation ----------------------------------------------------------------------------------


def test_consecutive_requests_each_get_their_own_values() -> None:
    log: list[Any] = []
    with speedups_installed():
        servicer = make_servicer(log)
        for mode in ("PROVISIONED", "PAY_PER_REQUEST"):
            servicer.Analyze(analyze_request({"billingMode": mode}, {"region": mode}), None)
    seen_modes = [(entry[2][2], entry[3][1][2]) for entry in log]
    assert seen_modes == [
        ([("billingMode", ("str", "PROVISIONED"))], [("region", ("str", "PROVISIONED"))]),
        ([("billingMode", ("str", "PROVISIONED"))], [("region", ("str", "PROVISIONED"))]),
        ([("billingMode", ("str", "PAY_PER_REQUEST"))], [("region", ("str", "PAY_PER_REQUEST"))]),
        ([("billingMode", ("str", "PAY_PER_REQUEST"))], [("region", ("str", "PAY_PER_REQUEST"))]),
    ]


def test_resources_of_a_stack_keep_their_own_props_and_providers() -> None:
    resources = [({"n": float(index)}, {"region": f"r{index % 3}"}) for index in range(40)]
    log: list[Any] = []
    with speedups_installed():
        make_servicer(log).AnalyzeStack(stack_request(resources), None)
    assert [(entry[2][2], entry[3][2]) for entry in log] == [
        ([("n", ("float", float(index)))], [("region", ("str", f"r{index % 3}"))]) for index in range(40)
    ]


def test_the_policies_of_one_call_share_one_conversion() -> None:
    # The point of the memo: five resource policies, one conversion (identity shows the sharing).
    props_seen: list[Any] = []

    def validate(args: Any, report_violation: Callable[..., None]) -> None:
        props_seen.append(args.props)

    policies: list[Any] = [
        ResourceValidationPolicy(name=f"p{i}", description="d", validate=validate) for i in range(3)
    ]
    with speedups_installed():
        servicer = SERVICER("pack", "0.0.1", policies, EnforcementLevel.ADVISORY)
        servicer.Analyze(analyze_request({"a": 1}, None), None)
        servicer.Analyze(analyze_request({"a": 1}, None), None)
    first_call, second_call = props_seen[:3], props_seen[3:]
    assert all(props is first_call[0] for props in first_call)
    assert all(props is second_call[0] for props in second_call)
    assert first_call[0] is not second_call[0]


def test_a_failing_call_leaves_no_memo_behind() -> None:
    message = analyze_request({"ok": 1}, None)
    message.properties.fields["bad"].number_value = math.inf
    with speedups_installed():
        servicer = make_servicer([])
        with pytest.raises(ValueError):
            servicer.Analyze(message, None)
        assert sdk_speedups._memo() is None


# --- the guard ----------------------------------------------------------------------------------


def _sdk_untouched() -> bool:
    return (
        policy.json_format is json_format
        and policy.deserialize_properties is deserialize.deserialize_properties
        and policy.unknown_checking_proxy is proxy.unknown_checking_proxy
        and sdk_speedups._INSTALLED not in SERVICER.__dict__
    )


@pytest.mark.parametrize(
    "break_sdk",
    [
        lambda mp: mp.setattr(version, "VERSION", "9.9.9"),
        lambda mp: mp.delattr(proxy, "_proxy_helper"),
        lambda mp: mp.delattr(SERVICER, "_get_provider_resource"),
        lambda mp: mp.setattr(policy, "unknown_checking_proxy", lambda props: props),
    ],
    ids=["other version", "proxy helper gone", "provider method gone", "name already replaced"],
)
def test_unexpected_sdk_internals_install_nothing_and_the_pack_still_works(
    monkeypatch: pytest.MonkeyPatch, break_sdk: Callable[[pytest.MonkeyPatch], None]
) -> None:
    break_sdk(monkeypatch)
    before = {name: getattr(policy, name) for name in PATCHED_MODULE_NAMES}
    handlers = {name: SERVICER.__dict__.get(name) for name in PATCHED_SERVICER_NAMES}
    assert install() is False
    assert {name: getattr(policy, name) for name in PATCHED_MODULE_NAMES} == before
    assert {name: SERVICER.__dict__.get(name) for name in PATCHED_SERVICER_NAMES} == handlers
    monkeypatch.undo()
    assert _sdk_untouched()
    log: list[Any] = []
    make_servicer(log).Analyze(analyze_request({"billingMode": "PROVISIONED"}, None), None)
    assert [entry[2] for entry in log] == [
        ("map", "_DictProxy", [("billingMode", ("str", "PROVISIONED"))])
    ] * 2


def test_installing_twice_wraps_once() -> None:
    with speedups_installed():
        analyze = SERVICER.Analyze
        assert install() is True
        assert SERVICER.Analyze is analyze
    assert _sdk_untouched()


@given(st.lists(st.tuples(wire_props, st.one_of(st.none(), wire_props)), min_size=1, max_size=3))
def test_the_adapter_reads_the_same_plain_stack_props_with_and_without_the_speedups(
    resources: list[tuple[dict[str, Any], dict[str, Any] | None]],
) -> None:
    # With the speed-ups, the adapter reads a stack resource's properties from the Struct without
    # the SDK's proxies (plain_source); the plain data a rule sees must not change.
    from dynamodb_guardrails.sdk_adapter import _plain_props

    def scenario(servicer: Any) -> Any:
        read: list[Any] = []

        def validate(args: Any, report_violation: Callable[..., None]) -> None:
            for resource in args.resources:
                props = _plain_props(resource.props)
                read.append([(key, repr(props[key])) for key in props])

        servicer = SERVICER(
            "pack",
            "0.0.1",
            [StackValidationPolicy(name="s", description="d", validate=validate)],
            EnforcementLevel.ADVISORY,
        )
        return outcome(lambda: servicer.AnalyzeStack(stack_request(resources), None)), read

    plain = scenario(None)
    with speedups_installed():
        fast = scenario(None)
    assert fast == plain
