"""Pulumi URNs and provider references: the one place the preview builds or takes them apart.

A URN is `urn:pulumi:<stack>::<project>::<qualified type>::<name>` (pulumi/pulumi
sdk/go/common/resource/urn.go). The qualified type is the parent's qualified type, `$`, the
resource's own type (none for children of the root stack). The name is everything after the third
`::`, so a name may itself contain `::`, as URN.Name() reads it. A provider reference is
`<provider urn>::<provider id>` (sdk/go/common/resource/plugin providers.Reference).
"""

from __future__ import annotations

from dataclasses import dataclass

PREFIX = "urn:pulumi:"
SEPARATOR = "::"
STACK_TYPE = "pulumi:pulumi:Stack"


@dataclass(frozen=True)
class Urn:
    stack: str
    project: str
    qualified_type: str  # e.g. `tap:stack:DynamoDbStack$aws:dynamodb/table:Table`
    name: str

    @property
    def type(self) -> str:
        """The resource's own type token (the last segment of the qualified type)."""
        return self.qualified_type.rsplit("$", 1)[-1]


def parse_urn(urn: str) -> Urn | None:
    """The URN's parts, or None when it has fewer than four `::`-separated parts."""
    parts = urn.split(SEPARATOR, 3)
    if len(parts) < 4:
        return None
    stack, project, qualified_type, name = parts
    return Urn(stack.removeprefix(PREFIX), project, qualified_type, name)


def is_pulumi_urn(urn: object) -> bool:
    """True for a string in the full `urn:pulumi:...` form with all four parts."""
    return isinstance(urn, str) and urn.startswith(PREFIX) and parse_urn(urn) is not None


def make_urn(stack: str, project: str, qualified_type: str, name: str) -> str:
    return f"{PREFIX}{stack}{SEPARATOR}{project}{SEPARATOR}{qualified_type}{SEPARATOR}{name}"


def stack_urn(stack: str, project: str) -> str:
    """The root stack resource's URN, as the engine names it (`<project>-<stack>`)."""
    return make_urn(stack, project, STACK_TYPE, f"{project}-{stack}")


def urn_type(urn: str) -> str:
    """The resource's own type token, or "" for a string that is not a URN."""
    parsed = parse_urn(urn)
    return parsed.type if parsed is not None else ""


def urn_name(urn: str) -> str:
    """URN.Name(): everything after the third `::`; the string itself when it is not a URN."""
    parsed = parse_urn(urn)
    return parsed.name if parsed is not None else urn


def split_provider_ref(ref: str) -> tuple[str, str]:
    """`<provider urn>::<id>` -> (provider urn, id); a reference without an id gives (ref, "")."""
    head, separator, tail = ref.rpartition(SEPARATOR)
    return (head, tail) if separator else (ref, "")


def make_provider_ref(provider_urn: str, provider_id: str) -> str:
    return f"{provider_urn}{SEPARATOR}{provider_id}"
