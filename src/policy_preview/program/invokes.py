"""Offline answers to the provider functions a DynamoDB stack commonly calls. The real engine runs
invokes during preview too, so their results are known in both modes. Unlisted functions return
no values (their outputs are None), which a program must tolerate anyway."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping
from typing import Any

from policy_preview.program.computed_outputs import Target


def invoke_result(token: str, args: Mapping[str, Any], target: Target) -> dict[str, Any]:
    answer = _BY_TOKEN.get(token)
    return answer(args, target) if answer is not None else {}


def _caller_identity(args: Mapping[str, Any], target: Target) -> dict[str, Any]:
    return {
        "accountId": target.account,
        "arn": f"arn:aws:iam::{target.account}:user/policy-preview",
        "userId": "AIDAPOLICYPREVIEW",
        "id": target.account,
    }


def _region(args: Mapping[str, Any], target: Target) -> dict[str, Any]:
    region = target.region
    return {"name": region, "region": region, "id": region, "endpoint": f"ec2.{region}.amazonaws.com"}


def _partition(args: Mapping[str, Any], target: Target) -> dict[str, Any]:
    return {
        "partition": "aws",
        "id": "aws",
        "dnsSuffix": "amazonaws.com",
        "reverseDnsPrefix": "com.amazonaws",
    }


def _policy_document(args: Mapping[str, Any], target: Target) -> dict[str, Any]:
    """aws.iam.get_policy_document rendered to the IAM JSON it describes (one value -> a string)."""
    document: dict[str, Any] = {"Version": args.get("version") or "2012-10-17"}
    if args.get("policyId"):
        document["Id"] = args["policyId"]
    document["Statement"] = [_statement(s) for s in args.get("statements") or [] if isinstance(s, Mapping)]
    rendered = json.dumps(document, indent=2)
    return {
        "json": rendered,
        "minifiedJson": json.dumps(document, separators=(",", ":")),
        "id": str(int(hashlib.sha256(rendered.encode()).hexdigest()[:8], 16)),
        "statements": list(args.get("statements") or []),
    }


def _statement(statement: Mapping[str, Any]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    if statement.get("sid"):
        result["Sid"] = statement["sid"]
    result["Effect"] = statement.get("effect") or "Allow"
    for source, key in (("actions", "Action"), ("notActions", "NotAction")):
        if statement.get(source):
            result[key] = _one_or_list(statement[source])
    for source, key in (("resources", "Resource"), ("notResources", "NotResource")):
        if statement.get(source):
            result[key] = _one_or_list(statement[source])
    for source, key in (("principals", "Principal"), ("notPrincipals", "NotPrincipal")):
        if statement.get(source):
            result[key] = _principals(statement[source])
    if statement.get("conditions"):
        result["Condition"] = _conditions(statement["conditions"])
    return result


def _principals(principals: list[Mapping[str, Any]]) -> Any:
    by_type: dict[str, list[Any]] = {}
    for principal in principals:
        by_type.setdefault(str(principal.get("type")), []).extend(principal.get("identifiers") or [])
    if by_type == {"*": ["*"]}:
        return "*"
    return {kind: _one_or_list(ids) for kind, ids in by_type.items()}


def _conditions(conditions: list[Mapping[str, Any]]) -> dict[str, Any]:
    result: dict[str, dict[str, Any]] = {}
    for condition in conditions:
        test = str(condition.get("test"))
        result.setdefault(test, {})[str(condition.get("variable"))] = _one_or_list(
            condition.get("values") or []
        )
    return result


def _one_or_list(values: Any) -> Any:
    if isinstance(values, list) and len(values) == 1:
        return values[0]
    return values


_Answer = Callable[[Mapping[str, Any], Target], dict[str, Any]]

_BY_TOKEN: dict[str, _Answer] = {
    "aws:index/getCallerIdentity:getCallerIdentity": _caller_identity,
    "aws:index/getRegion:getRegion": _region,
    "aws:index/getPartition:getPartition": _partition,
    "aws:iam/getPolicyDocument:getPolicyDocument": _policy_document,
}
