"""The only module that knows `pulumi_policy`: it turns the pure rules into SDK policies.

What it guarantees for every rule:
- the rule sees plain data (dicts, lists, str, numbers, UNKNOWN), never the SDK's proxies;
- the rule's config is the schema defaults merged with `--policy-pack-config`;
- no exception ever leaves a policy: a bug in a rule is reported as "not applicable" with the
  error, and the deployment goes on (an exception would fail every deployment in the org).
"""

from __future__ import annotations

import sys
import traceback
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from types import ModuleType
from typing import Any

import pulumi_policy as sdk

from .config import resolve_config
from .model import UNKNOWN, PolicyMeta, Resource, Violation

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


def _is_unknown_error(exc: BaseException) -> bool:
    # pulumi_policy's UnknownValueError is internal; match it by name so an SDK upgrade that
    # moves it does not break the pack.
    return type(exc).__name__ == "UnknownValueError"


def to_plain(value: Any, depth: int = 0) -> Any:
    """Copy an SDK proxy tree into plain dicts/lists; unknown values become UNKNOWN.

    Secret wrappers (Remediate hands them out) are unwrapped; rules never echo free text.
    """
    if depth > _MAX_DEPTH:
        return None
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

    __slots__ = ("_keys", "_plain", "_source")

    def __init__(self, source: Mapping[Any, Any]) -> None:
        self._source = source
        self._keys = {str(key): key for key in source}
        self._plain: dict[str, Any] = {}

    def __getitem__(self, key: str) -> Any:
        try:
            return self._plain[key]
        except KeyError:
            pass
        source_key = self._keys[key]  # KeyError for a missing property, as a dict
        try:
            value = to_plain(self._source[source_key], 1)
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


def _provider(provider: Any) -> Resource | None:
    """The SDK's PolicyProviderResource as a Resource (its props converted on first read)."""
    if provider is None:
        return None
    return Resource(
        type=str(getattr(provider, "resource_type", "") or ""),
        name=str(getattr(provider, "name", "") or ""),
        urn=str(getattr(provider, "urn", "") or ""),
        props=_plain_props(getattr(provider, "props", None)),
    )


def _resource_from_args(args: Any) -> Resource:
    opts = getattr(args, "opts", None)
    return Resource(
        type=args.resource_type,
        name=args.name,
        urn=args.urn,
        props=_plain_props(args.props),
        protect=bool(getattr(opts, "protect", False)),
        parent=getattr(opts, "parent", None) or None,
        provider=_provider(getattr(args, "provider", None)),
    )


def _urns(resources: Any) -> tuple[str, ...]:
    return tuple([r.urn for r in resources]) if resources else ()


def _resource_from_policy_resource(res: Any) -> Resource:
    opts = getattr(res, "opts", None)
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
        provider=_provider(getattr(res, "provider", None)),
    )


def _report_internal_error(meta: PolicyMeta, args: Any, exc: BaseException) -> None:
    detail = "".join(traceback.format_exception_only(type(exc), exc)).strip()
    print(f"policy {meta.name}: internal error, policy skipped: {detail}", file=sys.stderr)
    traceback.print_exc(file=sys.stderr)
    args.not_applicable(f"internal error in policy {meta.name} ({detail}); please report it")


def _report(violations: Iterable[Violation], report_violation: Callable[..., None]) -> None:
    for violation in violations:
        report_violation(violation.message, violation.urn)


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


def resource_policy(rule: ModuleType) -> sdk.ResourceValidationPolicy:
    """Wrap a rule module exposing `META`, `check(resource, config)` and optionally
    `remediate(resource, config) -> dict | None`."""
    meta: PolicyMeta = rule.META
    check = rule.check
    fix = getattr(rule, "remediate", None)
    types = meta.resource_types

    def validate(args: Any, report_violation: Callable[..., None]) -> None:
        if types is not None and args.resource_type not in types:
            return  # cheap skip: most resources of a stack are not the rule's business
        try:
            resource = _resource_from_args(args)
            config = resolve_config(meta.config_schema, args.get_config())
            _report(check(resource, config), report_violation)
        except Exception as exc:  # noqa: BLE001 - never break a deployment
            _report_internal_error(meta, args, exc)

    def remediate(args: Any) -> Mapping[str, Any] | None:
        if fix is None or (types is not None and args.resource_type not in types):
            return None
        try:
            resource = _resource_from_args(args)
            config = resolve_config(meta.config_schema, args.get_config())
            result: Mapping[str, Any] | None = fix(resource, config)
            return result
        except Exception as exc:  # noqa: BLE001
            print(f"policy {meta.name}: remediation failed: {exc!r}", file=sys.stderr)
            return None

    return sdk.ResourceValidationPolicy(
        validate=validate,
        remediate=remediate if fix is not None else None,  # type: ignore[arg-type]
        **_common(meta),
    )


def stack_policy(rule: ModuleType) -> sdk.StackValidationPolicy:
    """Wrap a rule module exposing `META` and `check_stack(resources, config)`."""
    meta: PolicyMeta = rule.META
    check_stack = rule.check_stack

    def validate(args: Any, report_violation: Callable[..., None]) -> None:
        try:
            resources = [_resource_from_policy_resource(r) for r in args.resources]
            config = resolve_config(meta.config_schema, args.get_config())
            _report(check_stack(resources, config), report_violation)
        except Exception as exc:  # noqa: BLE001
            _report_internal_error(meta, args, exc)

    return sdk.StackValidationPolicy(validate=validate, **_common(meta))
