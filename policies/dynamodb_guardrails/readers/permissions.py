"""Which resource forms grant permissions, and the reader of each: the only list of them.

iam-least-privilege looks at exactly these types (its `resource_types`), and README's policy table
names them. A new form is one line here plus its reader and fixtures.

A reader is named by its module and function (or reader factory and its arguments) and imported
when a resource of its form is first read: the IAM readers and what they need (policy document
parsing, the DynamoDB action catalogue) are not loaded when the pack starts (bench: start-up).
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from typing import TYPE_CHECKING, Final

from .. import resource_types as t
from ..model import Resource

if TYPE_CHECKING:
    from ..views.permissions import Permissions
    from .common import PermissionReader


class _OnFirstUse:
    """The reader `module.name`, or the one the factory `module.name(*factory_args)` makes,
    imported on the first call."""

    __slots__ = ("_factory_args", "_module", "_name", "_reader")

    def __init__(self, module: str, name: str, factory_args: tuple[str | None, ...] | None = None) -> None:
        self._module, self._name, self._factory_args = module, name, factory_args
        self._reader: PermissionReader | None = None

    def __call__(self, resource: Resource) -> Permissions:
        reader = self._reader
        if reader is None:
            found = getattr(importlib.import_module(f"{__package__}.{self._module}"), self._name)
            reader = self._reader = found if self._factory_args is None else found(*self._factory_args)
        return reader(resource)


def _reader(module: str, name: str) -> PermissionReader:
    return _OnFirstUse(module, name)


def _made(module: str, factory: str, *args: str | None) -> PermissionReader:
    return _OnFirstUse(module, factory, args)


READERS: Final[Mapping[str, PermissionReader]] = {
    # pulumi-aws: identity policies and attachments
    t.IAM_ROLE: _reader("iam_classic", "read_role"),
    t.IAM_ROLE_POLICY: _made("iam_classic", "policy_document_reader", "role"),
    t.IAM_POLICY: _made("iam_classic", "policy_document_reader", None),
    t.IAM_USER_POLICY: _made("iam_classic", "policy_document_reader", "user"),
    t.IAM_GROUP_POLICY: _made("iam_classic", "policy_document_reader", "group"),
    t.IAM_ROLE_POLICY_ATTACHMENT: _made("iam_forms", "attachment_reader", "policyArn"),
    t.IAM_POLICY_ATTACHMENT: _made("iam_forms", "attachment_reader", "policyArn"),
    t.IAM_USER_POLICY_ATTACHMENT: _made("iam_forms", "attachment_reader", "policyArn"),
    t.IAM_GROUP_POLICY_ATTACHMENT: _made("iam_forms", "attachment_reader", "policyArn"),
    t.IAM_ROLE_POLICY_ATTACHMENTS_EXCLUSIVE: _made("iam_forms", "attachment_reader", "policyArns"),
    t.IAM_USER_POLICY_ATTACHMENTS_EXCLUSIVE: _made("iam_forms", "attachment_reader", "policyArns"),
    t.IAM_GROUP_POLICY_ATTACHMENTS_EXCLUSIVE: _made("iam_forms", "attachment_reader", "policyArns"),
    # pulumi-aws: DynamoDB resource-based policies
    t.DYNAMODB_RESOURCE_POLICY: _reader("resource_policies", "read_resource_policy"),
    # pulumi-aws: IAM Identity Center
    t.SSO_PERMISSION_SET_INLINE_POLICY: _reader("identity_center", "read_inline_policy"),
    t.SSO_MANAGED_POLICY_ATTACHMENT: _made("iam_forms", "attachment_reader", "managedPolicyArn"),
    t.SSO_MANAGED_POLICY_ATTACHMENTS_EXCLUSIVE: _made("iam_forms", "attachment_reader", "managedPolicyArns"),
    # aws-native (and records expanded from embedded CloudFormation templates)
    t.NATIVE_IAM_ROLE: _made("iam_native", "principal_reader", "roleName"),
    t.NATIVE_IAM_USER: _made("iam_native", "principal_reader", "userName"),
    t.NATIVE_IAM_GROUP: _made("iam_native", "principal_reader", "groupName"),
    t.NATIVE_IAM_ROLE_POLICY: _made("iam_native", "inline_policy_reader", "roleName", "role"),
    t.NATIVE_IAM_USER_POLICY: _made("iam_native", "inline_policy_reader", "userName", "user"),
    t.NATIVE_IAM_GROUP_POLICY: _made("iam_native", "inline_policy_reader", "groupName", "group"),
    t.NATIVE_IAM_MANAGED_POLICY: _made("iam_native", "standalone_policy_reader", "managedPolicyName"),
    t.NATIVE_IAM_POLICY: _made("iam_native", "standalone_policy_reader", "policyName"),
    t.NATIVE_DYNAMODB_TABLE: _reader("resource_policies", "read_native_table"),
    t.NATIVE_DYNAMODB_GLOBAL_TABLE: _reader("resource_policies", "read_native_global_table"),
    t.NATIVE_SSO_PERMISSION_SET: _reader("identity_center", "read_native_permission_set"),
}


def read_permissions(resource: Resource) -> Permissions | None:
    """The permission view of a resource, or None when its type grants nothing the pack reads."""
    reader = READERS.get(resource.type)
    return reader(resource) if reader is not None else None
