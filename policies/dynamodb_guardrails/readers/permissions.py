"""Which resource forms grant permissions, and the reader of each: the only list of them.

iam-least-privilege looks at exactly these types (its `resource_types`), and README's policy table
names them. A new form is one line here plus its reader and fixtures.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

from .. import resource_types as t
from ..model import Resource
from ..views.permissions import Permissions
from . import iam_classic, iam_native, identity_center, resource_policies
from .common import PermissionReader
from .iam_forms import attachment_reader

READERS: Final[Mapping[str, PermissionReader]] = {
    # pulumi-aws: identity policies and attachments
    t.IAM_ROLE: iam_classic.read_role,
    t.IAM_ROLE_POLICY: iam_classic.policy_document_reader("role"),
    t.IAM_POLICY: iam_classic.policy_document_reader(None),
    t.IAM_USER_POLICY: iam_classic.policy_document_reader("user"),
    t.IAM_GROUP_POLICY: iam_classic.policy_document_reader("group"),
    t.IAM_ROLE_POLICY_ATTACHMENT: attachment_reader("policyArn"),
    t.IAM_POLICY_ATTACHMENT: attachment_reader("policyArn"),
    t.IAM_USER_POLICY_ATTACHMENT: attachment_reader("policyArn"),
    t.IAM_GROUP_POLICY_ATTACHMENT: attachment_reader("policyArn"),
    t.IAM_ROLE_POLICY_ATTACHMENTS_EXCLUSIVE: attachment_reader("policyArns"),
    t.IAM_USER_POLICY_ATTACHMENTS_EXCLUSIVE: attachment_reader("policyArns"),
    t.IAM_GROUP_POLICY_ATTACHMENTS_EXCLUSIVE: attachment_reader("policyArns"),
    # pulumi-aws: DynamoDB resource-based policies
    t.DYNAMODB_RESOURCE_POLICY: resource_policies.read_resource_policy,
    # pulumi-aws: IAM Identity Center
    t.SSO_PERMISSION_SET_INLINE_POLICY: identity_center.read_inline_policy,
    t.SSO_MANAGED_POLICY_ATTACHMENT: attachment_reader("managedPolicyArn"),
    t.SSO_MANAGED_POLICY_ATTACHMENTS_EXCLUSIVE: attachment_reader("managedPolicyArns"),
    # aws-native (and records expanded from embedded CloudFormation templates)
    t.NATIVE_IAM_ROLE: iam_native.principal_reader("roleName"),
    t.NATIVE_IAM_USER: iam_native.principal_reader("userName"),
    t.NATIVE_IAM_GROUP: iam_native.principal_reader("groupName"),
    t.NATIVE_IAM_ROLE_POLICY: iam_native.inline_policy_reader("roleName", "role"),
    t.NATIVE_IAM_USER_POLICY: iam_native.inline_policy_reader("userName", "user"),
    t.NATIVE_IAM_GROUP_POLICY: iam_native.inline_policy_reader("groupName", "group"),
    t.NATIVE_IAM_MANAGED_POLICY: iam_native.standalone_policy_reader("managedPolicyName"),
    t.NATIVE_IAM_POLICY: iam_native.standalone_policy_reader("policyName"),
    t.NATIVE_DYNAMODB_TABLE: resource_policies.read_native_table,
    t.NATIVE_DYNAMODB_GLOBAL_TABLE: resource_policies.read_native_global_table,
    t.NATIVE_SSO_PERMISSION_SET: identity_center.read_native_permission_set,
}


def read_permissions(resource: Resource) -> Permissions | None:
    """The permission view of a resource, or None when its type grants nothing the pack reads."""
    reader = READERS.get(resource.type)
    return reader(resource) if reader is not None else None
