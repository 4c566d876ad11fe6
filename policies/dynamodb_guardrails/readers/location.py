"""Where a resource lives, from what it and its provider show.

Region, strongest source first: the resource's ARN (an output, so known after a deployment); its
own `region` argument (pulumi-aws 7 lets every regional resource override its provider's region,
and an unknown one hides the provider's); the provider's `region`. Account: the ARN, else the
provider's `allowedAccountIds` when it names exactly one account, else the account of the role the
provider assumes (`assumeRole(s)`, `roleArn`). Providers send object inputs JSON-encoded.
Anything else - unset, unknown, malformed - is None: the pack cannot tell.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from ..model import UNKNOWN, Resource
from ..values import is_list
from ..views.location import Location

REGION = re.compile(r"[a-z]{2}(-[a-z]+)+-\d{1,2}")
_ACCOUNT = re.compile(r"\d{12}")
_ARN = re.compile(r"arn:aws[a-z-]*:[a-z0-9-]+:(?P<region>[a-z0-9-]*):(?P<account>\d{12}|):.+")
_MISSING = object()
_NOWHERE_KNOWN = Location()
# Provider URN -> its location, while a stack policy reads one stack (see `one_stack`).
_PROVIDERS: ContextVar[dict[str, Location] | None] = ContextVar("provider_locations", default=None)


@contextmanager
def one_stack() -> Iterator[None]:
    """Within one stack-policy call a provider URN is one provider: read each provider once (every
    resource of a stack carries its own copy of its provider)."""
    token = _PROVIDERS.set({})
    try:
        yield
    finally:
        _PROVIDERS.reset(token)


def region_name(value: Any) -> str | None:
    return value if isinstance(value, str) and REGION.fullmatch(value) else None


def _decoded(value: Any) -> Any:
    if isinstance(value, str) and value[:1] in ("[", "{") and len(value) < 100_000:
        try:
            return json.loads(value)
        except ValueError:
            return None
    return value


def _arn_account(value: Any) -> str | None:
    match = _ARN.fullmatch(value) if isinstance(value, str) else None
    return match.group("account") or None if match else None


def _single_account(value: Any) -> str | None:
    accounts = _decoded(value)
    if is_list(accounts) and len(accounts) == 1 and isinstance(accounts[0], str):
        return accounts[0] if _ACCOUNT.fullmatch(accounts[0]) else None
    return None


def _assumed_role_account(props: Mapping[str, Any]) -> str | None:
    for key in ("assumeRole", "assumeRoles"):
        role = _decoded(props.get(key))
        if is_list(role):
            role = role[0] if len(role) == 1 else None
        if isinstance(role, Mapping):
            account = _arn_account(role.get("roleArn"))
            if account is not None:
                return account
    return _arn_account(props.get("roleArn"))


def provider_location(resource: Resource) -> Location:
    """Where a resource's provider puts it (`aws` and `aws-native` spell these inputs alike)."""
    props = resource.provider_props
    if props is None:
        return Location()
    urn = resource.provider_urn
    cache = _PROVIDERS.get()
    if cache is not None and urn and urn in cache:
        return cache[urn]
    account = _single_account(props.get("allowedAccountIds")) or _assumed_role_account(props)
    package = (resource.provider_type or "").removeprefix("pulumi:providers:") or None
    location = Location(account=account, region=region_name(props.get("region")), provider=package)
    if cache is not None and urn:
        cache[urn] = location
    return location


def arn_location(value: Any) -> Location | None:
    """Account and region an ARN names (either may be absent, e.g. IAM has no region)."""
    match = _ARN.fullmatch(value) if isinstance(value, str) else None
    if match is None:
        return None
    return Location(account=match.group("account") or None, region=region_name(match.group("region")))


def resource_location(resource: Resource, *, region: Any = _MISSING, arn: Any = None) -> Location:
    """Where `resource` lives. `region` is its own region argument when its type has one."""
    if resource.provider_props is None and arn is None and (region is _MISSING or region is None):
        return _NOWHERE_KNOWN
    base = provider_location(resource)
    account, where = base.account, base.region
    if region is UNKNOWN:
        where = None  # overrides the provider's, but not known yet
    elif region is not _MISSING and region is not None:
        where = region_name(region)
    from_arn = arn_location(arn)
    if from_arn is not None:
        account = from_arn.account or account
        where = from_arn.region or where
    package = base.provider or resource.type.partition(":")[0] or None
    return Location(account=account, region=where, provider=package)
