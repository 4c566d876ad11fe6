"""A broken variant of the stack, in one declaration: how it is broken (a breakage from
breakage.py), which policy must catch it, on which resources, with which exit code, under which
pack config. The declarations live in tests/mutations/variants/, one module per rule.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from dynamodb_guardrails.resource_types import (
    DYNAMODB_TABLE,
    IAM_ROLE,
    IAM_ROLE_POLICY,
    IAM_ROLE_POLICY_ATTACHMENT,
    METRIC_ALARM,
    SNS_TOPIC,
)
from dynamodb_guardrails.rule import Rule
from tests.mutations.breakage import Breakage

TABLE, ROLE, ROLE_POLICY, ATTACHMENT = DYNAMODB_TABLE, IAM_ROLE, IAM_ROLE_POLICY, IAM_ROLE_POLICY_ATTACHMENT
ALARM, TOPIC = METRIC_ALARM, SNS_TOPIC
# The stack's taggable resource types (contributor insights and role policies take no tags).
TAGGED_TYPES = frozenset({TABLE, ROLE, ALARM, TOPIC})

Mode = Literal["preview", "update"]


@dataclass(frozen=True)
class PackConfig:
    """A `--policy-pack-config` document in the CLI's format; `name` names its file."""

    name: str
    document: Mapping[str, Any] = field(default_factory=dict)


DEFAULT_CONFIG = PackConfig("default")


@dataclass(frozen=True)
class Res:
    """An expected resource: type and logical name; `{env}` is the variant's environment suffix."""

    type: str
    name: str


EVERY_TAGGED = "every taggable resource of the stack"


def table(key: str) -> Res:
    return Res(TABLE, f"{key}-{{env}}")


def tables(*keys: str) -> tuple[Res, ...]:
    return tuple(table(key) for key in keys)


def table_alarm(key: str, what: str) -> Res:
    return Res(ALARM, f"dynamodb-{key}-{what}-{{env}}")


def role(key: str, access: str) -> Res:
    return Res(ROLE, f"dynamodb-{key}-{access}-role-{{env}}")


def role_policy(key: str, access: str) -> Res:
    return Res(ROLE_POLICY, f"dynamodb-{key}-{access}-policy-{{env}}")


@dataclass(frozen=True)
class Variant:
    id: str  # also the component's name in the variants program: mut-<id>
    how: str  # what is broken, for people reading a failure or the report
    breaks: Callable[[str], Breakage]  # env -> how this copy of the stack is broken
    caught_by: Rule | None  # the only policy that may report it; None: a control that must stay clean
    resources: tuple[Res, ...] | str = ()  # exactly the resources reported, or EVERY_TAGGED
    exit_code: int = 1
    pack_config: PackConfig = DEFAULT_CONFIG
    update_too: bool = False  # also judged after `--mode update` and through a stack export
    clean_in_preview: bool = False  # the broken value is unknown in a preview, so nothing to judge yet
    remediated: tuple[Res, ...] = ()
    xfail_preview: str = ""  # a known bug: reason (the test is xfail(strict=True) in that mode)
    xfail_update: str = ""

    @property
    def policy(self) -> str | None:
        return self.caught_by.meta.name if self.caught_by is not None else None

    @property
    def level(self) -> str:
        return "mandatory" if self.exit_code == 1 else "advisory"
