"""The only module that knows `pulumi_policy`: it turns the pure rules into SDK policies.

`policy_for(rule)` picks the SDK policy class from the rule's class (`ResourceRule` ->
ResourceValidationPolicy, `StackRule` -> StackValidationPolicy); mypy checks the match is exhaustive.

What it guarantees for every rule:
- the rule sees plain data (dicts, lists, str, numbers, UNKNOWN), never the SDK's proxies;
- a remediation hands back only the edits the rule makes, applied to the properties exactly as the
  SDK gave them (secrets stay `Secret`s, unknowns stay unknown); it declines when it cannot;
- the rule's config is the schema defaults merged with `--policy-pack-config`;
- no exception ever leaves a policy: a bug in a rule is reported as "not applicable" with the
  error, and the deployment goes on (an exception would fail every deployment in the org);
- reviewed exemptions (exemptions.py) apply to every rule the same way: suppressed findings are
  not violations; they go to the engine as one "not applicable" result whose reason carries them
  (the SDK allows one per policy call), and one line each to the pack's log, which the CLI shows.
"""

from __future__ import annotations

import sys
import traceback
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import UTC, date, datetime
from typing import Any, assert_never

import pulumi_policy as sdk
from pulumi_policy import proxy as _sdk_proxy
from pulumi_policy import secret as _sdk_secret

from .config import resolve_config
from .edits import CannotApply, apply_edits
from .exemptions import Suppression, apply_exemptions, encode_suppressions, is_suppressed, log_line
from .model import UNKNOWN, PolicyMeta, Resource, Violation
from .rule import ResourceRule, Rule, StackRule

# Bounds the walk over pathological property trees (deeply nested junk).
_MAX_DEPTH = 64

_LEVELS = {
    "advisory": sdk.EnforcementLevel.ADVISORY,
    "mandatory": sdk.EnforcementLevel.MANDATORY,
    "remediate": sdk.EnforcementLevel.REMEDIATE,
    "disabled": sdk.EnforcementLevel.DISABLED,
}
_SEVERITIES = {
    "low": sdk.Severity.LOW,
    "medium": sdk.Severity.MEDIUM,
    "high": sdk.Severity.HIGH,
    "critical": sdk.Severity.CRITICAL,
}


# The engine's unknown sentinels. Analyze's proxies raise on them, but Remediate hands its
# properties over through the SDK's secret-preserving proxy, which returns them as plain strings.
_UNKNOWN_VALUES = frozenset(
    getattr(_sdk_proxy, name, None)
    for name in (
        "UNKNOWN_BOOLEAN_VALUE",
        "UNKNOWN_NUMBER_VALUE",
        "UNKNOWN_STRING_VALUE",
        "UNKNOWN_ARRAY_VALUE",
        "UNKNOWN_ASSET_VALUE",
        "UNKNOWN_ARCHIVE_VALUE",
        "UNKNOWN_OBJECT_VALUE",
    )
) - {None}
# The SDK's proxies over property maps and lists; `proxy["__target"]` is the raw content (secrets
# still wrapped), which is what the SDK's own serializer reads. Without all of them (another SDK
# version) remediations decline rather than risk copying a secret out of its wrapper.
_PROXY_TYPES: tuple[type, ...] = tuple(
    found
    for module, name in (
        (_sdk_secret, "_DictSecretsProxy"),
        (_sdk_secret, "_ListSecretsProxy"),
        (_sdk_proxy, "_DictProxy"),
        (_sdk_proxy, "_ListProxy"),
    )
    if isinstance(found := getattr(module, name, None), type)
)
_CAN_REMEDIATE = len(_PROXY_TYPES) == 4 and len(_UNKNOWN_VALUES) == 7 and isinstance(sdk.Secret, type)


def _is_unknown_error(exc: BaseException) -> bool:
    # pulumi_policy's UnknownValueError is internal; match it by name so an SDK upgrade that
    # moves it does not break the pack.
    return type(exc).__name__ == "UnknownValueError"


def to_plain(value: Any, depth: int = 0) -> Any:
    """Copy an SDK proxy tree into plain dicts/lists; unknown values (and unknown sentinels)
    become UNKNOWN.

    Secret wrappers (Remediate hands them out) are unwrapped; rules never echo free text, and
    never hand values back (remediations are edits).
    """
    if depth > _MAX_DEPTH:
        return None
    if type(value) is str:
        return UNKNOWN if value in _UNKNOWN_VALUES else value
    inner = getattr(value, "value", None) if type(value).__name__ == "Secret" else None
    if inner is not None:
        return to_plain(inner, depth + 1)
    if isinstance(value, str | bytes | int | float | bool) or value is None:
        return value
    if isinstance(value, Mapping):
        plain: dict[str, Any] = {}
        for key in list(value.keys()):
            try:
                plain[str(key)] = to_plain(value[key], depth + 1)
            except Exception as exc:  # the SDK raises its own internal type
                if not _is_unknown_error(exc):
                    raise
                plain[str(key)] = UNKNOWN
        return plain
    if isinstance(value, Sequence):
        items: list[Any] = []
        for index in range(len(value)):
            try:
                items.append(to_plain(value[index], depth + 1))
            except Exception as exc:
                if not _is_unknown_error(exc):
                    raise
                items.append(UNKNOWN)
        return items
    # Assets, archives and other SDK objects carry nothing a rule looks at.
    return None


class _PlainProps(Mapping[str, Any]):
    """A resource's top-level properties, each turned into plain data (`to_plain`) on first read.

    Rules read a few keys of the resources they look at (tags, billingMode, policy), so copying
    every property of every resource was a large part of the pack's time on big stacks (profile in
    the benchmark's notes). Values are the same as `to_plain(props)` gives; nothing is kept beyond
    this one resource of this one call.
    """

    __slots__ = ("_keys", "_plain", "_raw", "_source")

    def __init__(self, source: Mapping[Any, Any]) -> None:
        self._source = source
        self._keys = {str(key): key for key in source}
        self._plain: dict[str, Any] = {}
        # sdk_speedups' AnalyzeStack proxy hands out a property without building the SDK's proxies
        # around it; to_plain gives the same plain data from either (tests/policies/test_sdk_speedups.py).
        self._raw: Callable[[Any], Any] | None = getattr(source, "plain_source", None)

    def __getitem__(self, key: str) -> Any:
        try:
            return self._plain[key]
        except KeyError:
            pass
        source_key = self._keys[key]  # KeyError for a missing property, as a dict
        try:
            raw = self._raw
            value = to_plain(self._source[source_key] if raw is None else raw(source_key), 1)
        except Exception as exc:  # the SDK raises its own internal type
            if not _is_unknown_error(exc):
                raise
            value = UNKNOWN
        self._plain[key] = value
        return value

    def get(self, key: str, default: Any = None) -> Any:
        # Readers ask for many properties a resource does not have: answer those without the
        # KeyError that Mapping.get would raise and catch for each.
        if key not in self._keys:
            return default
        return self[key]

    def __contains__(self, key: object) -> bool:
        return key in self._keys

    def __iter__(self) -> Iterator[str]:
        return iter(self._keys)

    def __len__(self) -> int:
        return len(self._keys)

    def __repr__(self) -> str:
        return repr(dict(self))


def _plain_props(props: Any) -> Mapping[str, Any]:
    if isinstance(props, Mapping):
        return _PlainProps(props)
    return to_plain(props) or {}


def _provider_props(holder: Any) -> Mapping[str, Any] | None:
    """The provider's properties (converted when a rule reads one); None without a provider."""
    provider = getattr(holder, "provider", None)
    props = getattr(provider, "props", None) if provider is not None else None
    return None if props is None else _plain_props(props)


def _provider_identity(holder: Any) -> tuple[str | None, str | None]:
    """Which provider it is: its type and URN (None without a provider)."""
    provider = getattr(holder, "provider", None)
    if provider is None:
        return None, None
    kind = str(getattr(provider, "resource_type", "") or "") or None
    return kind, str(getattr(provider, "urn", "") or "") or None


def _resource_from_args(args: Any) -> Resource:
    opts = getattr(args, "opts", None)
    provider_type, provider_urn = _provider_identity(args)
    return Resource(
        type=args.resource_type,
        name=args.name,
        urn=args.urn,
        props=_plain_props(args.props),
        protect=bool(getattr(opts, "protect", False)),
        parent=getattr(opts, "parent", None) or None,
        provider_props=_provider_props(args),
        provider_type=provider_type,
        provider_urn=provider_urn,
    )


def _urns(resources: Any) -> tuple[str, ...]:
    return tuple([r.urn for r in resources]) if resources else ()


def _resource_from_policy_resource(res: Any) -> Resource:
    opts = getattr(res, "opts", None)
    provider_type, provider_urn = _provider_identity(res)
    parent = getattr(res, "parent", None)
    return Resource(
        type=res.resource_type,
        name=res.name,
        urn=res.urn,
        props=_plain_props(res.props),
        parent=getattr(parent, "urn", None),
        dependencies=_urns(res.dependencies),
        property_dependencies={key: _urns(deps) for key, deps in (res.property_dependencies or {}).items()},
        protect=bool(getattr(opts, "protect", False)),
        provider_props=_provider_props(res),
        provider_type=provider_type,
        provider_urn=provider_urn,
    )


def _identity(value: Any) -> Any:
    return value


def _open_sdk_value(value: Any) -> tuple[Any, Callable[[Any], Any]]:
    """For `apply_edits`: the raw content of a secret and/or SDK proxy, and the wrapping to give
    a replacement (a value that was secret is written back as a secret, as the SDK's proxy does)."""
    wrap: Callable[[Any], Any] = _identity
    if isinstance(value, sdk.Secret):
        value, wrap = value.value, sdk.Secret
    if isinstance(value, _PROXY_TYPES):
        proxy: Any = value
        value = proxy["__target"]
    return value, wrap


def _remediated(args: Any, resource: Resource, fix: Callable[..., Any], config: Any) -> dict[str, Any] | None:
    if not _CAN_REMEDIATE:
        return None
    edits = fix(resource, config)
    if not edits:
        return None
    try:
        return apply_edits(args.props, edits, _open_sdk_value)
    except CannotApply:
        return None  # the edits cannot be made completely: decline, the check reports it


def _report_internal_error(meta: PolicyMeta, args: Any, exc: BaseException) -> None:
    detail = "".join(traceback.format_exception_only(type(exc), exc)).strip()
    print(f"policy {meta.name}: internal error, policy skipped: {detail}", file=sys.stderr)
    traceback.print_exc(file=sys.stderr)
    args.not_applicable(f"internal error in policy {meta.name} ({detail}); please report it")


def _report(violations: Iterable[Violation], report_violation: Callable[..., None]) -> None:
    for violation in violations:
        report_violation(violation.message, violation.urn)


def _today() -> date:
    # Exemptions end at the end of their `expires` day in UTC, whatever the machine's time zone.
    return datetime.now(UTC).date()


def _report_suppressed(meta: PolicyMeta, args: Any, suppressed: Sequence[Suppression]) -> None:
    """Tell the engine about suppressed findings; must run outside the rule's `try`, since the SDK's
    `not_applicable` raises to end the policy call."""
    if not suppressed:
        return
    for suppression in suppressed:
        print(log_line(meta.name, suppression), file=sys.stderr)
    args.not_applicable(encode_suppressions(suppressed))


def _common(meta: PolicyMeta) -> dict[str, Any]:
    return {
        "name": meta.name,
        "description": meta.description,
        "enforcement_level": _LEVELS[meta.enforcement_level],
        "severity": _SEVERITIES[meta.severity],
        "remediation_steps": meta.remediation_steps,
        "url": meta.url,
        "tags": list(meta.tags) or None,
        "config_schema": sdk.PolicyConfigSchema(properties=dict(meta.config_schema)),
    }


def policy_for(rule: Rule) -> sdk.Policy:
    """The SDK policy for a rule, by the rule's kind."""
    match rule:
        case ResourceRule():
            return resource_policy(rule)
        case StackRule():
            return stack_policy(rule)
        case _:
            assert_never(rule)


def resource_policy(rule: ResourceRule) -> sdk.ResourceValidationPolicy:
    """Wrap a resource rule: `check(resource, config)` and optionally `remediate(resource, config)`."""
    meta = rule.meta
    check = rule.check
    fix = rule.remediate
    types = meta.resource_types

    def validate(args: Any, report_violation: Callable[..., None]) -> None:
        if types is not None and args.resource_type not in types:
            return  # cheap skip: most resources of a stack are not the rule's business
        try:
            resource = _resource_from_args(args)
            config = resolve_config(meta.config_schema, args.get_config())
            decision = apply_exemptions(
                check(resource, config), resource, config, policy=meta.name, today=_today()
            )
            _report(decision.reported, report_violation)
        except Exception as exc:  # noqa: BLE001 - never break a deployment
            _report_internal_error(meta, args, exc)
            return
        _report_suppressed(meta, args, decision.suppressed)

    def remediate(args: Any) -> Mapping[str, Any] | None:
        if fix is None or (types is not None and args.resource_type not in types):
            return None
        try:
            resource = _resource_from_args(args)
            config = resolve_config(meta.config_schema, args.get_config())
            if is_suppressed(resource, config, policy=meta.name, today=_today()):
                return None  # an exempt resource is left as the program wrote it
            return _remediated(args, resource, fix, config)
        except Exception as exc:  # noqa: BLE001
            print(f"policy {meta.name}: remediation failed: {exc!r}", file=sys.stderr)
            return None

    return sdk.ResourceValidationPolicy(
        validate=validate,
        remediate=remediate if fix is not None else None,  # type: ignore[arg-type]
        **_common(meta),
    )


def stack_policy(rule: StackRule) -> sdk.StackValidationPolicy:
    """Wrap a stack rule: `check_stack(resources, config)` over the stack's resources of the rule's
    `resource_types` (every resource when it has none)."""
    meta = rule.meta
    check_stack = rule.check_stack
    types = meta.resource_types

    def validate(args: Any, report_violation: Callable[..., None]) -> None:
        try:
            # As for resource rules, the rule sees only resources of its types: on a big stack most
            # are roles and policies, and converting them was a third of the adapter's time.
            resources = [
                _resource_from_policy_resource(r)
                for r in args.resources
                if types is None or r.resource_type in types
            ]
            config = resolve_config(meta.config_schema, args.get_config())
            decision = apply_exemptions(
                check_stack(resources, config),
                None,
                config,
                policy=meta.name,
                today=_today(),
                resources={r.urn: r for r in resources},
            )
            _report(decision.reported, report_violation)
        except Exception as exc:  # noqa: BLE001
            _report_internal_error(meta, args, exc)
            return
        _report_suppressed(meta, args, decision.suppressed)

    return sdk.StackValidationPolicy(validate=validate, **_common(meta))
