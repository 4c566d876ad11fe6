"""What every reader shares: its type, and how messages name a resource."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeAlias

from ..model import Resource
from ..views.permissions import Permissions

# One reader per resource form: the resource's wire properties in, the permission view out.
PermissionReader: TypeAlias = Callable[[Resource], Permissions]


def resource_label(resource: Resource) -> str:
    """`RolePolicy 'app'` for pulumi-aws, `aws-native Role 'app'` for other providers."""
    token = resource.type
    provider, _, rest = token.partition(":")
    short = rest.rpartition(":")[2] or token
    prefix = "" if provider == "aws" else f"{provider} "
    return f"{prefix}{short} '{resource.name}'"


def exempt_keys(resource: Resource) -> tuple[str, str]:
    """The names `exemptResources` may list a program's resource under: logical name or URN."""
    return (resource.name, resource.urn)
