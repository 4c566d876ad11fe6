"""Plausible values for what a provider computes on create (ids, ARNs, stream ARNs), so an
`update`-mode run looks like a stack after `pulumi up` in a fixed fake account and region.

In `preview` mode the same keys exist but are unknown, as a first `pulumi preview` shows them.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from policy_preview.urns import urn_name
from policy_preview.wire import reveal

FAKE_ACCOUNT = "123456789012"
DEFAULT_REGION = "us-east-1"
STREAM_LABEL = "2024-01-01T00:00:00.000"


@dataclass(frozen=True)
class Target:
    """Where the fake resource lives."""

    region: str = DEFAULT_REGION
    account: str = FAKE_ACCOUNT


def computed_outputs(type_token: str, urn: str, inputs: Mapping[str, Any], target: Target) -> dict[str, Any]:
    """The outputs a create would add to `inputs` (including `id`), keyed in wire (camelCase) form."""
    if type_token.startswith("pulumi:providers:"):
        return {"id": provider_id(urn)}
    name = _physical_name(urn, inputs)
    special = _BY_TYPE.get(type_token)
    if special is not None:
        return special(name, inputs, target)
    if type_token.startswith("aws:"):
        return _generic_aws(type_token, name, target)
    return {"id": f"{name}-{_digest(urn, 8)}"}


def provider_id(urn: str) -> str:
    # The engine gives providers a random UUID; ours is stable per URN.
    return str(uuid.uuid5(uuid.NAMESPACE_URL, urn))


def _physical_name(urn: str, inputs: Mapping[str, Any]) -> str:
    name = reveal(inputs.get("name"))
    if isinstance(name, str) and name:
        return name
    prefix = reveal(inputs.get("namePrefix"))
    if isinstance(prefix, str):
        # Terraform's prefix naming appends a 26-digit timestamp-like id.
        return prefix + str(int(_digest(urn, 20), 16)).zfill(26)[:26]
    return urn_name(urn)


def _arn(service: str, target: Target, resource: str, *, regional: bool = True) -> str:
    region = target.region if regional else ""
    return f"arn:aws:{service}:{region}:{target.account}:{resource}"


def _table(name: str, inputs: Mapping[str, Any], target: Target) -> dict[str, Any]:
    arn = _arn("dynamodb", target, f"table/{name}")
    outputs: dict[str, Any] = {"id": name, "name": name, "arn": arn}
    if reveal(inputs.get("streamEnabled")) is True:
        outputs["streamArn"] = f"{arn}/stream/{STREAM_LABEL}"
        outputs["streamLabel"] = STREAM_LABEL
    return outputs


def _iam_path(inputs: Mapping[str, Any]) -> str:
    path = reveal(inputs.get("path"))
    return path if isinstance(path, str) and path.startswith("/") else "/"


def _role(name: str, inputs: Mapping[str, Any], target: Target) -> dict[str, Any]:
    arn = _arn("iam", target, f"role{_iam_path(inputs)}{name}", regional=False)
    return {"id": name, "name": name, "arn": arn, "uniqueId": "AROA" + _digest(arn, 17).upper()}


def _policy(name: str, inputs: Mapping[str, Any], target: Target) -> dict[str, Any]:
    arn = _arn("iam", target, f"policy{_iam_path(inputs)}{name}", regional=False)
    return {"id": arn, "name": name, "arn": arn, "policyId": "ANPA" + _digest(arn, 17).upper()}


def _role_policy(name: str, inputs: Mapping[str, Any], target: Target) -> dict[str, Any]:
    return {"id": f"{_role_name(inputs)}:{name}", "name": name}


def _role_policy_attachment(name: str, inputs: Mapping[str, Any], target: Target) -> dict[str, Any]:
    return {"id": f"{_role_name(inputs)}-{_digest(name, 20)}"}


def _role_name(inputs: Mapping[str, Any]) -> str:
    role = reveal(inputs.get("role"))
    return role if isinstance(role, str) else "role"


def _topic(name: str, inputs: Mapping[str, Any], target: Target) -> dict[str, Any]:
    arn = _arn("sns", target, name)
    return {"id": arn, "name": name, "arn": arn, "owner": target.account}


def _alarm(name: str, inputs: Mapping[str, Any], target: Target) -> dict[str, Any]:
    return {"id": name, "name": name, "arn": _arn("cloudwatch", target, f"alarm:{name}")}


def _queue(name: str, inputs: Mapping[str, Any], target: Target) -> dict[str, Any]:
    url = f"https://sqs.{target.region}.amazonaws.com/{target.account}/{name}"
    return {"id": url, "name": name, "url": url, "arn": _arn("sqs", target, name)}


def _kms_key(name: str, inputs: Mapping[str, Any], target: Target) -> dict[str, Any]:
    key_id = str(uuid.uuid5(uuid.NAMESPACE_URL, f"kms:{name}"))
    return {"id": key_id, "keyId": key_id, "arn": _arn("kms", target, f"key/{key_id}")}


def _log_group(name: str, inputs: Mapping[str, Any], target: Target) -> dict[str, Any]:
    return {"id": name, "name": name, "arn": _arn("logs", target, f"log-group:{name}")}


def _function(name: str, inputs: Mapping[str, Any], target: Target) -> dict[str, Any]:
    arn = _arn("lambda", target, f"function:{name}")
    return {"id": name, "name": name, "arn": arn, "qualifiedArn": f"{arn}:$LATEST"}


def _generic_aws(type_token: str, name: str, target: Target) -> dict[str, Any]:
    # aws:<service>/<resource>:<Type> -> arn:aws:<service>:<region>:<account>:<resource>/<name>
    module = type_token.split(":")[1]
    service, _, resource = module.partition("/")
    return {"id": name, "arn": _arn(service, target, f"{resource or service}/{name}")}


def _digest(text: str, length: int) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:length]


_Computer = Callable[[str, Mapping[str, Any], Target], dict[str, Any]]

_BY_TYPE: dict[str, _Computer] = {
    "aws:dynamodb/table:Table": _table,
    "aws:iam/role:Role": _role,
    "aws:iam/policy:Policy": _policy,
    "aws:iam/rolePolicy:RolePolicy": _role_policy,
    "aws:iam/rolePolicyAttachment:RolePolicyAttachment": _role_policy_attachment,
    "aws:sns/topic:Topic": _topic,
    "aws:cloudwatch/metricAlarm:MetricAlarm": _alarm,
    "aws:cloudwatch/logGroup:LogGroup": _log_group,
    "aws:sqs/queue:Queue": _queue,
    "aws:kms/key:Key": _kms_key,
    "aws:lambda/function:Function": _function,
}
