"""Resources declared inside an embedded CloudFormation template, as records the other readers read.

An `aws:cloudformation/stack:Stack` (or `aws-native:cloudformation:Stack`) carries a template in
`templateBody` (JSON or YAML; aws-native also takes an object). Every template resource becomes a
synthetic Resource of the matching aws-native type: aws-native types *are* CloudFormation types
(`AWS::DynamoDB::Table` is `aws-native:dynamodb:Table`) with the property names turned to
camelCase as the aws-native provider turns them (`SSESpecification` -> `sseSpecification`, see
`sdk_name`). Free-form JSON properties (policy documents) and tag maps keep their keys. So the aws-native
readers judge template tables, alarms and IAM resources with CloudFormation semantics, and a new
reader of an aws-native type reads template resources of that type for free: `expand(host)`.

Intrinsic functions are resolved where the template alone decides them: `Ref` to parameters
(the stack's `parameters`, else the parameter's `Default`) and pseudo parameters, `Fn::Sub`,
`Fn::Join`, `Fn::Select`, `Fn::Split`, `Fn::FindInMap`, `Fn::If` on evaluable conditions, and the
`Condition` of a resource. A `Ref` / `Fn::GetAtt` of another template resource is that resource's
value after deployment: unknown (like an output in a preview) and recorded as a dependency, so an
alarm whose dimension is `!Ref Table` still matches the table. `Ref` of a table or IAM entity
whose name is a literal gives that name.

What the pack cannot read is never a silent pass: the expansion lists `problems` (a template
given only by `templateUrl`, a body that is not JSON/YAML, an intrinsic it cannot resolve in a
resource it judges, a `Transform`, nested stacks), which the advisory policy
`cloudformation-template-readable` reports. Values it could not resolve are unknown, so they
never cause a finding of another policy. Problems name logical ids and property names only when
they are plain identifiers; template text is never echoed.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from ..aws_native_taggable_types import NATIVE_TAG_MAP_TYPES
from ..model import UNKNOWN, Resource
from ..resource_types import CLOUDFORMATION_HOSTS, CLOUDFORMATION_STACK, NATIVE_CLOUDFORMATION_STACK
from ..values import as_mapping, is_list
from ..views.location import Location
from .location import resource_location

CLASSIC_STACK = CLOUDFORMATION_STACK
NATIVE_STACK = NATIVE_CLOUDFORMATION_STACK
HOST_TYPES = CLOUDFORMATION_HOSTS

MAX_TEMPLATE_CHARS = 1_000_000
MAX_NODES = 200_000
MAX_PROBLEMS = 8

# Types whose every property a rule reads: an unresolvable value anywhere in them is reported.
# (Any other resource is read for its Tags only.) A reader of a new template type adds it here.
READ_TYPES = frozenset(
    {
        "AWS::DynamoDB::Table",
        "AWS::DynamoDB::GlobalTable",
        "AWS::CloudWatch::Alarm",
        "AWS::IAM::Role",
        "AWS::IAM::Policy",
        "AWS::IAM::ManagedPolicy",
        "AWS::IAM::RolePolicy",
        "AWS::IAM::UserPolicy",
        "AWS::IAM::GroupPolicy",
        "AWS::IAM::User",
        "AWS::IAM::Group",
        "AWS::SSO::PermissionSet",
    }
)
# Resources that create tables or permissions the template does not show.
_OPAQUE_TYPES = {
    "AWS::CloudFormation::Stack": "a nested stack (its template is not read)",
    "AWS::CloudFormation::StackSet": "a stack set (its template is not read)",
}
# Free-form JSON properties: their keys are not property names and are kept as written.
VERBATIM_PROPERTIES = frozenset({"PolicyDocument", "AssumeRolePolicyDocument", "InlinePolicy"})
# `Ref` of these types returns the resource's name, given by this property.
_REF_NAME = {
    "AWS::DynamoDB::Table": "TableName",
    "AWS::DynamoDB::GlobalTable": "TableName",
    "AWS::IAM::Role": "RoleName",
    "AWS::IAM::User": "UserName",
    "AWS::IAM::Group": "GroupName",
}
_IDENTIFIER = re.compile(r"[A-Za-z0-9]{1,255}")
# Every intrinsic and condition function CloudFormation has (User Guide, "Intrinsic function
# reference"): only these names are shown in a message; anything else is template text.
_FUNCTION_NAMES = frozenset(
    "Fn::" + name
    for name in (
        "And",
        "Base64",
        "Cidr",
        "Contains",
        "EachMemberEquals",
        "EachMemberIn",
        "Equals",
        "FindInMap",
        "ForEach",
        "GetAZs",
        "GetAtt",
        "If",
        "ImportValue",
        "Join",
        "Length",
        "Not",
        "Or",
        "RefAll",
        "Select",
        "Split",
        "Sub",
        "ToJsonString",
        "Transform",
        "ValueOf",
        "ValueOfAll",
    )
)
_CFN_TYPE = re.compile(r"AWS::([A-Za-z0-9]+)::([A-Za-z0-9]+)")
_SUB_VARIABLE = re.compile(r"\$\{([^}]*)\}")
_NO_VALUE = object()  # AWS::NoValue: the property is left out


@dataclass(frozen=True)
class TemplateResource:
    """One resource of a template: its logical id, CloudFormation type and synthetic record."""

    logical_id: str
    cfn_type: str
    record: Resource


@dataclass(frozen=True)
class Expansion:
    """A stack's template, read. `unknown`: the template is not known yet (preview), nothing to
    judge yet. `problems`: what the pack could not read, worded for a message."""

    host: Resource
    resources: tuple[TemplateResource, ...] = ()
    problems: tuple[str, ...] = ()
    unknown: bool = False
    location: Location = field(default_factory=Location)


def sdk_name(name: str) -> str:
    """A CloudFormation property name as the aws-native provider names it (lowerCamelCase, with a
    leading run of capitals lowered except the start of the next word: `SSESpecification` ->
    `sseSpecification`, `KMSMasterKeyId` -> `kmsMasterKeyId`, `ARNs` -> `arns`)."""
    if not name:
        return name
    out: list[str] = []
    index = 0
    while index < len(name):
        end = index
        while end < len(name) and (name[end].isupper() or name[end].isdigit()) and name[end].isascii():
            end += 1
        if end - index >= 2:
            # A run of capitals: its last one starts the next word, unless the run ends the name
            # or is followed by a lone plural "s".
            plural_s = (
                end < len(name) and name[end] == "s" and (end + 1 == len(name) or name[end + 1].isupper())
            )
            stop = end if end == len(name) or plural_s else end - 1
            out.append(name[index] + name[index + 1 : stop].lower())
            index = stop
        else:
            out.append(name[index])
            index += 1
    text = "".join(out)
    return text[0].lower() + text[1:] if text[0].isupper() else text


def native_type(cfn_type: str) -> str | None:
    """`AWS::DynamoDB::Table` -> `aws-native:dynamodb:Table` (None for a type of another shape)."""
    match = _CFN_TYPE.fullmatch(cfn_type)
    if match is None:
        return None
    return f"aws-native:{match.group(1).lower()}:{match.group(2)}"


def _shown_id(logical_id: Any) -> str:
    return (
        f"'{logical_id}'"
        if isinstance(logical_id, str) and _IDENTIFIER.fullmatch(logical_id)
        else "(an invalid id)"
    )


def _path_text(path: tuple[str, ...]) -> str:
    shown = [step if _IDENTIFIER.fullmatch(step) or step.startswith("[") else "?" for step in path]
    return ".".join(shown).replace(".[", "[")


# --- parsing -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Parsed:
    template: Any = None
    problem: str | None = None


@lru_cache(maxsize=64)
def _parse_text(text: str) -> _Parsed:
    """The template in `text` (JSON or YAML). Cached: every policy of a request reads it."""
    if len(text) > MAX_TEMPLATE_CHARS:
        return _Parsed(problem=f"its templateBody is larger than {MAX_TEMPLATE_CHARS} characters")
    stripped = text.lstrip()
    try:
        if stripped.startswith("{"):
            template = json.loads(text)
        else:
            from . import cfn_yaml

            template = cfn_yaml.load(text)
    except (ValueError, RecursionError):
        return _Parsed(problem="its templateBody is neither JSON nor YAML")
    return _Parsed(template=template)


def _template_of(host: Resource) -> tuple[Any, str | None, bool]:
    """(template, problem, unknown) from the host's properties."""
    body = host.props.get("templateBody")
    if body is UNKNOWN:
        return None, None, True
    if isinstance(body, Mapping):
        return body, None, False  # aws-native takes the template as an object
    if isinstance(body, str) and body.strip():
        parsed = _parse_text(body)
        return parsed.template, parsed.problem, False
    url = host.props.get("templateUrl")
    if url is UNKNOWN:
        return None, None, True
    if isinstance(url, str) and url.strip():
        return None, "its template is given by templateUrl, which the pack cannot fetch", False
    return None, None, False  # no template at all: nothing is deployed


# --- resolving intrinsic functions --------------------------------------------------------------------


class _Budget(Exception):
    """The template is too large to read (more nodes than MAX_NODES)."""


class _Resolver:
    """Resolves intrinsic functions of one template for one stack."""

    def __init__(self, template: Mapping[str, Any], host: Resource, location: Location) -> None:
        self.resources = as_mapping(template.get("Resources"))
        self.parameters = as_mapping(template.get("Parameters"))
        self.mappings = as_mapping(template.get("Mappings"))
        self.conditions = as_mapping(template.get("Conditions"))
        self.given = host.props.get("parameters")
        self.host = host
        self.location = location
        self.problems: list[str] = []
        self.dependencies: list[str] = []
        self.where = ""  # what is being resolved, for problems: "'Orders'", "condition 'IsProd'"
        self.report = True
        self.nodes = 0
        self._condition_cache: dict[str, tuple[Any, list[str]]] = {}
        self._evaluating: set[str] = set()
        self._naming: set[str] = set()  # resources whose name is being resolved (cycle guard)

    def problem(self, path: tuple[str, ...], what: str) -> None:
        if self.report and len(self.problems) < 100:
            where = f"{self.where} {_path_text(path)}".strip()
            text = f"{where} uses {what}, which the pack cannot resolve"
            if text not in self.problems:
                self.problems.append(text)

    def _count(self) -> None:
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise _Budget

    def resolve(self, value: Any, path: tuple[str, ...]) -> Any:
        self._count()
        if isinstance(value, Mapping):
            if len(value) == 1:
                ((key, argument),) = value.items()
                if key == "Ref":
                    return self._ref(argument, path)
                if isinstance(key, str) and key.startswith("Fn::"):
                    return self._function(key, argument, path)
            out: dict[str, Any] = {}
            for key, item in value.items():
                resolved = self.resolve(item, (*path, str(key)))
                if resolved is not _NO_VALUE:
                    out[str(key)] = resolved
            return out
        if is_list(value):
            items = [self.resolve(item, (*path, f"[{i}]")) for i, item in enumerate(value)]
            return [item for item in items if item is not _NO_VALUE]
        return value

    def _pseudo(self, name: str) -> Any:
        region, account = self.location.region, self.location.account
        partition = None
        if region is not None:
            partition = (
                "aws-cn"
                if region.startswith("cn-")
                else "aws-us-gov"
                if region.startswith("us-gov-")
                else "aws"
            )
        stack_name = self.host.props.get("name" if self.host.type == CLASSIC_STACK else "stackName")
        values = {
            "AWS::Region": region,
            "AWS::AccountId": account,
            "AWS::Partition": partition,
            "AWS::URLSuffix": None
            if partition is None
            else ("amazonaws.com.cn" if partition == "aws-cn" else "amazonaws.com"),
            "AWS::StackName": stack_name if isinstance(stack_name, str) else None,
            "AWS::StackId": None,
            "AWS::NotificationARNs": None,
        }
        value = values.get(name)
        return UNKNOWN if value is None else value

    def _parameter(self, name: str, path: tuple[str, ...]) -> Any:
        given = self.given
        if given is UNKNOWN:
            return UNKNOWN
        value = as_mapping(given).get(name)
        if value is None:
            declared = as_mapping(self.parameters.get(name))
            value = declared.get("Default")
            if value is None:
                self.problem(path, "a parameter without a value")
                return UNKNOWN
        if value is UNKNOWN:
            return UNKNOWN
        kind = as_mapping(self.parameters.get(name)).get("Type")
        if (
            isinstance(kind, str)
            and isinstance(value, str)
            and (kind == "CommaDelimitedList" or kind.startswith("List<"))
        ):
            return [part.strip() for part in value.split(",")]
        return value if isinstance(value, str | int | float | bool) else str(value)

    def _ref(self, name: Any, path: tuple[str, ...]) -> Any:
        if not isinstance(name, str):
            self.problem(path, "a malformed Ref")
            return UNKNOWN
        if name == "AWS::NoValue":
            return _NO_VALUE
        if name.startswith("AWS::"):
            return self._pseudo(name)
        if name in self.parameters:
            return self._parameter(name, path)
        if name in self.resources:
            return self._resource_value(name, None)
        self.problem(path, "a Ref to nothing the template declares")
        return UNKNOWN

    def _resource_value(self, logical_id: str, attribute: Any) -> Any:
        """A template resource's `Ref` (attribute None) or attribute: known after deployment, except
        the `Ref` of a table or IAM entity whose name the template itself sets."""
        self.dependencies.append(logical_id)
        declared = as_mapping(self.resources.get(logical_id))
        kind = declared.get("Type")
        name_property = _REF_NAME.get(kind) if attribute is None and isinstance(kind, str) else None
        if name_property is None or logical_id in self._naming:
            return UNKNOWN
        name = as_mapping(declared.get("Properties")).get(name_property)
        # Resolved quietly: its own problems are reported with that resource.
        saved = (self.report, self.dependencies)
        self.report, self.dependencies = False, []
        self._naming.add(logical_id)
        try:
            value = self.resolve(name, ())
        finally:
            self._naming.discard(logical_id)
            self.report, self.dependencies = saved
        return value if isinstance(value, str) else UNKNOWN

    def _function(self, key: str, argument: Any, path: tuple[str, ...]) -> Any:
        handler = _FUNCTIONS.get(key)
        if handler is None:
            self.problem(path, key if key in _FUNCTION_NAMES else "a function CloudFormation does not have")
            return UNKNOWN
        return handler(self, argument, path)

    # conditions
    def condition(self, name: Any, path: tuple[str, ...]) -> Any:
        if not isinstance(name, str) or name not in self.conditions:
            self.problem(path, "a condition the template does not declare")
            return UNKNOWN
        if name in self._condition_cache:
            value, found = self._condition_cache[name]
            for text in found if self.report else ():
                if text not in self.problems:
                    self.problems.append(text)
            return value
        if name in self._evaluating:
            self.problem(path, "a condition that refers to itself")
            return UNKNOWN
        # Evaluated once, its problems named after the condition, kept for every later use.
        saved = (self.where, self.report, len(self.problems))
        self.where, self.report = f"condition {_shown_id(name)}", True
        self._evaluating.add(name)
        try:
            value = self.evaluate(self.conditions[name], ())
        finally:
            self._evaluating.discard(name)
            found = self.problems[saved[2] :]
            if not saved[1]:
                del self.problems[saved[2] :]
            self.where, self.report = saved[0], saved[1]
        self._condition_cache[name] = (value, found)
        return value

    def evaluate(self, expression: Any, path: tuple[str, ...]) -> Any:
        """A condition expression: True, False, or UNKNOWN."""
        self._count()
        if isinstance(expression, Mapping) and len(expression) == 1:
            ((key, argument),) = expression.items()
            args = list(argument) if is_list(argument) else None
            if key == "Condition":
                return self.condition(argument, path)
            if key == "Fn::Equals" and args is not None and len(args) == 2:
                left, right = (self.resolve(a, path) for a in args)
                if left is UNKNOWN or right is UNKNOWN:
                    return UNKNOWN
                return (
                    str(left) == str(right)
                    if isinstance(left, str | int | float) and isinstance(right, str | int | float)
                    else left == right
                )
            if key == "Fn::Not" and args is not None and len(args) == 1:
                inner = self.evaluate(args[0], path)
                return UNKNOWN if inner is UNKNOWN else not inner
            if key in ("Fn::And", "Fn::Or") and args:
                values = [self.evaluate(a, path) for a in args]
                decisive = key == "Fn::Or"
                if decisive in values:
                    return decisive
                return UNKNOWN if UNKNOWN in values else not decisive
        if isinstance(expression, bool):
            return expression
        self.problem(path, "a condition it cannot evaluate")
        return UNKNOWN


def _args(argument: Any, count: int) -> list[Any] | None:
    return list(argument) if is_list(argument) and len(argument) >= count else None


def _fn_get_att(r: _Resolver, argument: Any, path: tuple[str, ...]) -> Any:
    if isinstance(argument, str):
        argument = argument.split(".", 1)
    args = _args(argument, 2)
    if args is None or not isinstance(args[0], str) or args[0] not in r.resources:
        r.problem(path, "a Fn::GetAtt of nothing the template declares")
        return UNKNOWN
    return r._resource_value(args[0], args[1])


def _fn_sub(r: _Resolver, argument: Any, path: tuple[str, ...]) -> Any:
    variables: Mapping[str, Any] = {}
    if is_list(argument) and len(argument) == 2:
        argument, variables = argument[0], as_mapping(argument[1])
    if not isinstance(argument, str):
        r.problem(path, "a malformed Fn::Sub")
        return UNKNOWN
    unknown = False

    def substitute(match: re.Match[str]) -> str:
        nonlocal unknown
        name = match.group(1)
        if name.startswith("!"):
            return "${" + name[1:] + "}"  # ${!Literal} is written as ${Literal}
        if name in variables:
            value = r.resolve(variables[name], path)
        elif "." in name and name.split(".", 1)[0] in r.resources:
            value = r._resource_value(*name.split(".", 1))
        else:
            value = r._ref(name, path)
        if value is UNKNOWN or not isinstance(value, str | int | float) or isinstance(value, bool):
            unknown = True
            return ""
        return str(value)

    text = _SUB_VARIABLE.sub(substitute, argument)
    return UNKNOWN if unknown else text


def _fn_join(r: _Resolver, argument: Any, path: tuple[str, ...]) -> Any:
    args = _args(argument, 2)
    if args is None or not isinstance(args[0], str):
        r.problem(path, "a malformed Fn::Join")
        return UNKNOWN
    items = r.resolve(args[1], path)
    if items is UNKNOWN:
        return UNKNOWN
    if not is_list(items):
        r.problem(path, "a malformed Fn::Join")
        return UNKNOWN
    if any(item is UNKNOWN or not isinstance(item, str | int | float) for item in items):
        return UNKNOWN
    return args[0].join(str(item) for item in items)


def _fn_select(r: _Resolver, argument: Any, path: tuple[str, ...]) -> Any:
    args = _args(argument, 2)
    if args is None:
        r.problem(path, "a malformed Fn::Select")
        return UNKNOWN
    index, items = r.resolve(args[0], path), r.resolve(args[1], path)
    if index is UNKNOWN or items is UNKNOWN:
        return UNKNOWN
    try:
        position = int(index)
    except (TypeError, ValueError):
        position = -1
    if not is_list(items) or not 0 <= position < len(items):
        r.problem(path, "a Fn::Select out of range")
        return UNKNOWN
    return items[position]


def _fn_split(r: _Resolver, argument: Any, path: tuple[str, ...]) -> Any:
    args = _args(argument, 2)
    if args is None or not isinstance(args[0], str) or not args[0]:
        r.problem(path, "a malformed Fn::Split")
        return UNKNOWN
    text = r.resolve(args[1], path)
    if text is UNKNOWN:
        return UNKNOWN
    return text.split(args[0]) if isinstance(text, str) else UNKNOWN


def _fn_find_in_map(r: _Resolver, argument: Any, path: tuple[str, ...]) -> Any:
    args = _args(argument, 3)
    if args is None:
        r.problem(path, "a malformed Fn::FindInMap")
        return UNKNOWN
    keys = [r.resolve(a, path) for a in args[:3]]
    if UNKNOWN in keys:
        return UNKNOWN
    value: Any = r.mappings
    for key in keys:
        value = as_mapping(value).get(str(key)) if isinstance(key, str | int | float) else None
    if value is None:
        r.problem(path, "a Fn::FindInMap key the Mappings do not have")
        return UNKNOWN
    return r.resolve(value, path)


def _fn_if(r: _Resolver, argument: Any, path: tuple[str, ...]) -> Any:
    args = _args(argument, 3)
    if args is None:
        r.problem(path, "a malformed Fn::If")
        return UNKNOWN
    chosen = r.condition(args[0], path)
    if chosen is UNKNOWN:
        return UNKNOWN
    return r.resolve(args[1] if chosen else args[2], path)


def _deploy_time(r: _Resolver, argument: Any, path: tuple[str, ...]) -> Any:
    # Values CloudFormation computes while deploying (availability zones, CIDR blocks, encoded
    # text); no rule reads one.
    return UNKNOWN


_FUNCTIONS: dict[str, Callable[[_Resolver, Any, tuple[str, ...]], Any]] = {
    "Fn::GetAtt": _fn_get_att,
    "Fn::Sub": _fn_sub,
    "Fn::Join": _fn_join,
    "Fn::Select": _fn_select,
    "Fn::Split": _fn_split,
    "Fn::FindInMap": _fn_find_in_map,
    "Fn::If": _fn_if,
    "Fn::GetAZs": _deploy_time,
    "Fn::Cidr": _deploy_time,
    "Fn::Base64": _deploy_time,
}


# --- records ---------------------------------------------------------------------------------------


def wire_properties(properties: Any) -> Any:
    """CloudFormation property names as aws-native wire names, free-form JSON kept as written."""
    if isinstance(properties, Mapping):
        return {
            sdk_name(str(key)): value if key in VERBATIM_PROPERTIES else wire_properties(value)
            for key, value in properties.items()
        }
    if is_list(properties):
        return [wire_properties(item) for item in properties]
    return properties


def synthetic_urn(host: Resource, logical_id: str) -> str:
    return f"{host.urn}$cloudformation:{logical_id}"


def host_location(host: Resource) -> Location:
    region = host.props.get("region") if host.type == CLASSIC_STACK else None
    return resource_location(host, region=region) if host.type == CLASSIC_STACK else resource_location(host)


def _expand(host: Resource) -> Expansion:
    location = host_location(host)
    template, problem, unknown = _template_of(host)
    if unknown:
        return Expansion(host, unknown=True, location=location)
    if problem is not None:
        return Expansion(host, problems=(problem,), location=location)
    if template is None:
        return Expansion(host, location=location)
    if not isinstance(template, Mapping) or not isinstance(template.get("Resources", {}), Mapping):
        return Expansion(host, problems=("its template is not a CloudFormation template",), location=location)
    problems: list[str] = []
    if template.get("Transform") is not None:
        problems.append(
            "its template declares a Transform (a macro such as AWS::Serverless rewrites it while "
            "deploying): what the transform adds is not judged"
        )
    resolver = _Resolver(template, host, location)
    resources: list[TemplateResource] = []
    try:
        for logical_id, declared in resolver.resources.items():
            resolver.where = _shown_id(logical_id)
            if not isinstance(declared, Mapping) or not isinstance(declared.get("Type"), str):
                problems.append(f"resource {_shown_id(logical_id)} has no type")
                continue
            cfn_type = declared["Type"]
            if cfn_type in _OPAQUE_TYPES or cfn_type.startswith("AWS::Serverless::"):
                what = _OPAQUE_TYPES.get(cfn_type, "a SAM resource (expanded by the transform, not read)")
                problems.append(f"resource {_shown_id(logical_id)} is {what}")
                continue
            token = native_type(cfn_type)
            if token is None:
                continue  # custom resources (Custom::*) and other shapes: nothing a rule reads
            condition = declared.get("Condition")
            resolver.report = cfn_type in READ_TYPES
            if condition is not None and resolver.condition(condition, ("Condition",)) is False:
                continue  # not created with these parameters
            resolver.dependencies = []
            properties = as_mapping(declared.get("Properties"))
            resolved: dict[str, Any] = {}
            for key, value in properties.items():
                # Only what a rule reads may raise an advisory: everything of a read type, the Tags
                # of any other.
                resolver.report = cfn_type in READ_TYPES or key == "Tags"
                value = resolver.resolve(value, (str(key),))
                if value is not _NO_VALUE:
                    resolved[str(key)] = value
            # Only template-internal edges: an alarm that depends on the stack itself matches the
            # stack's tables through TableView.match_urns.
            depends = tuple(
                dict.fromkeys(synthetic_urn(host, d) for d in resolver.dependencies if d != logical_id)
            )
            props = wire_properties(resolved)
            if token in NATIVE_TAG_MAP_TYPES and "Tags" in resolved:
                props["tags"] = resolved["Tags"]  # a tag map: its keys are tag keys, kept as written
            record = Resource(
                type=token,
                name=str(logical_id),
                urn=synthetic_urn(host, str(logical_id)),
                props=props,
                parent=host.urn,
                dependencies=depends,
                provider_props=host.provider_props,
                provider_type=host.provider_type,
                provider_urn=host.provider_urn,
            )
            resources.append(TemplateResource(str(logical_id), cfn_type, record))
    except _Budget:
        return Expansion(
            host, problems=(f"its template has more than {MAX_NODES} values",), location=location
        )
    except RecursionError:
        return Expansion(host, problems=("its template is nested too deeply",), location=location)
    problems.extend(resolver.problems)
    if len(problems) > MAX_PROBLEMS:
        problems = [*problems[:MAX_PROBLEMS], f"and {len(problems) - MAX_PROBLEMS} more"]
    return Expansion(host, tuple(resources), tuple(problems), location=location)


def expand(host: Resource) -> Expansion | None:
    """The template resources of a CloudFormation stack resource; None for any other type."""
    if host.type not in HOST_TYPES:
        return None
    return _expand(host)


def describe(host: Resource, logical_id: str, cfn_type: str) -> str:
    """How a message names a template resource: logical id, type and the stack that carries it."""
    return f"{_shown_id(logical_id)} ({cfn_type}) in the template of CloudFormation stack '{host.name}'"
