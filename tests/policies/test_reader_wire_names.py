"""Every property a permission reader reads is a property the pinned provider SDK defines for that
type (its wire name): a renamed or misspelt property would otherwise be read as "absent" and pass
silently. The SDKs are imported here, in tests only; the pack never imports them."""

from __future__ import annotations

import importlib
from collections.abc import Iterator, Mapping
from typing import Any

import pytest

from dynamodb_guardrails.model import Resource
from dynamodb_guardrails.readers.permissions import READERS
from dynamodb_guardrails.resource_types import NATIVE_IAM_POLICY
from tests.policies.permission_forms import ATTACHMENT_FORMS, IDENTITY_FORMS, RESOURCE_FORMS

# CloudFormation's AWS::IAM::Policy has no pulumi-aws-native resource (records expanded from a
# template carry it); its properties are CloudFormation's.
_NO_SDK_RESOURCE = {NATIVE_IAM_POLICY: {"policyName", "policyDocument", "roles", "users", "groups"}}


class _Recording(Mapping[str, Any]):
    """Props that remember which keys a reader asked for."""

    def __init__(self, data: Mapping[str, Any]) -> None:
        self._data = dict(data)
        self.asked: set[str] = set()

    def __getitem__(self, key: str) -> Any:
        self.asked.add(key)
        return self._data[key]

    def __contains__(self, key: object) -> bool:
        if isinstance(key, str):
            self.asked.add(key)
        return key in self._data

    def __iter__(self) -> Iterator[str]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)


def _sdk_class(token: str) -> type:
    package, module, name = token.split(":")
    if package == "aws":
        return getattr(importlib.import_module(f"pulumi_aws.{module.split('/')[0]}"), name)
    assert package == "aws-native", token
    return getattr(importlib.import_module(f"pulumi_aws_native.{module}"), name)


def _wire_names(cls: type) -> set[str]:
    return {
        value.fget._pulumi_name
        for value in vars(cls).values()
        if isinstance(value, property) and hasattr(value.fget, "_pulumi_name")
    }


def _asked_by_reader(token: str) -> set[str]:
    asked: set[str] = set()
    forms = [f for f in IDENTITY_FORMS + ATTACHMENT_FORMS + RESOURCE_FORMS if f.type == token]
    for form in forms or [None]:
        props = _Recording(form.place(["x"]) if form is not None else {})
        READERS[token](Resource(type=token, name="r", urn="urn:r", props=props))
        asked |= props.asked
    return asked


@pytest.mark.parametrize("token", sorted(READERS))
def test_readers_read_only_properties_the_provider_defines(token: str) -> None:
    defined = _NO_SDK_RESOURCE.get(token) or _wire_names(_sdk_class(token))
    asked = _asked_by_reader(token)
    assert asked, f"the reader of {token} reads nothing"
    assert asked <= defined, f"{token}: not properties of the pinned SDK: {sorted(asked - defined)}"
