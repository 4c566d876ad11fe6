"""Scaffold a new policy: the rule module, its test cases with a golden stub, and a mutation variant.

    python scripts/add_rule.py dynamodb-deletion-protection          # a resource policy
    python scripts/add_rule.py dynamodb-stream-consumers --stack     # a stack policy

Creates (and refuses to overwrite):
- policies/dynamodb_guardrails/rules/<module>.py   the rule: docstring (= its docs), META, check, RULE
- tests/policies/cases/<module>.py                 good and bad cases
- tests/policies/golden/<policy>.json              golden stub, filled by `pytest --update-goldens`
- tests/mutations/variants/<module>.py             the stack broken so that only this rule catches it

Nothing else needs editing: `rules.ALL_RULES`, the pack, the docs generator, the contract tests and
the mutation suite find the new modules. Every TODO makes a test fail until it is filled in;
CONTRIBUTING.md walks through the steps.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
_NAME = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)+$")

RULE_TEMPLATE = '''"""{name}: TODO one line: what every resource must do.

## What it checks
TODO: which resource types and properties are read, and what counts as compliant.

## Why
TODO: the risk or the cost this policy prevents.

## Example
```python
import pulumi_aws as aws

# TODO: a program this policy flags
aws.dynamodb.Table("events", hash_key="id", attributes=[{{"name": "id", "type": "S"}}])
```

## Use instead
```python
import pulumi_aws as aws

# TODO: the same program, fixed
aws.dynamodb.Table("events", hash_key="id", attributes=[{{"name": "id", "type": "S"}}])
```

## During preview
TODO: what the policy does while a value it reads is unknown (it never reports an unknown).
"""

from __future__ import annotations

from collections.abc import Mapping{sequence}
from typing import Any

from ..exemptions import exemption_schema, is_exempt
from ..model import UNKNOWN, PolicyMeta, Resource, Violation
from ..resource_types import DYNAMODB_TABLE
from ..rule import {kind}

META = PolicyMeta(
    name="{name}",
    description="TODO: one sentence, shown with every finding (e.g. DynamoDB tables must ...).",
    severity="medium",
    # New policies start advisory; make it mandatory once the organisation's stacks pass.
    enforcement_level="advisory",
    remediation_steps="TODO: what to change; to exempt a resource, add it with a reason to `exemptions`.",
    url="https://docs.aws.amazon.com/TODO",
    config_schema={{**exemption_schema("TODO: resources the policy skips")}},
    resource_types=frozenset({{DYNAMODB_TABLE}}),
    tags=("dynamodb",),
)

{check}
'''

RESOURCE_CHECK = """
def check(resource: Resource, config: Mapping[str, Any]) -> list[Violation]:
    if resource.type != DYNAMODB_TABLE or is_exempt(resource, config):
        return []
    value = resource.props.get("TODO")
    if value is UNKNOWN:
        return []  # computed from another resource's output: judged on the update
    # TODO: return [Violation(f"Table '{resource.name}': ... . Set ... .")] when the table breaks the rule.
    return []


RULE = ResourceRule(meta=META, check=check, doc=__doc__)"""

STACK_CHECK = """
def check_stack(resources: Sequence[Resource], config: Mapping[str, Any]) -> list[Violation]:
    found: list[Violation] = []
    for resource in resources:
        if resource.type != DYNAMODB_TABLE or is_exempt(resource, config):
            continue
        if resource.props.get("TODO") is UNKNOWN:
            continue  # computed from another resource's output: judged on the update
        # TODO: found.append(Violation(f"Table '{resource.name}': ... .", urn=resource.urn)) when broken.
    return found


RULE = StackRule(meta=META, check_stack=check_stack, doc=__doc__)"""

CASES_TEMPLATE = '''"""{name}: TODO what the cases show."""

from dynamodb_guardrails.model import UNKNOWN
from dynamodb_guardrails.rules import {module}
from tests.policies.kit import bad, good, table

RULE = {module}.RULE

# Every property that matters, spelled out (wire names, camelCase). The exact messages go to the
# golden file: run `pytest tests/policies --update-goldens` and review them.
CASES = (
    good("TODO a compliant table", table(TODO="compliant value")),
    good("value unknown during preview", table(TODO=UNKNOWN)),
    good("exempt table", table(), exemptResources=["events"]),
    bad("TODO a table that breaks the rule", table()),
)
'''

VARIANT_TEMPLATE = '''"""{name}: TODO how the stack is broken so that only this policy catches it."""

from dynamodb_guardrails.rules import {module}
from tests.mutations.breakage import unchanged
from tests.mutations.variant import Variant, tables

RULE = {module}.RULE

# TODO: three or more ways to break the real stack (see variants/billing_mode.py): a change with
# `change(TABLE, naming.table_resource_name(EVENTS, env), setting(...))`, stack config with
# `Breakage(config={{...}})`, or an extra resource with `Breakage(extra=...)`.
VARIANTS = (
    Variant(
        "{name}-TODO",
        "TODO: what is broken",
        unchanged,
        RULE,
        tables("events"),
    ),
)
'''


def module_name(policy: str) -> str:
    return policy.replace("-", "_")


def paths(root: Path, policy: str) -> dict[str, Path]:
    module = module_name(policy)
    return {
        "rule": root / "policies" / "dynamodb_guardrails" / "rules" / f"{module}.py",
        "cases": root / "tests" / "policies" / "cases" / f"{module}.py",
        "golden": root / "tests" / "policies" / "golden" / f"{policy}.json",
        "variant": root / "tests" / "mutations" / "variants" / f"{module}.py",
    }


def scaffold(root: Path, policy: str, *, stack: bool = False) -> dict[str, Path]:
    """Write the four files for `policy` under `root`; returns them by role."""
    if not _NAME.match(policy) or policy == "all":
        raise SystemExit(
            f"{policy!r} is not a policy name: lower-case words joined by '-', e.g. dynamodb-ttl"
        )
    targets = paths(root, policy)
    existing = [str(path) for path in targets.values() if path.exists()]
    if existing:
        raise SystemExit(f"refusing to overwrite {', '.join(existing)}")
    module = module_name(policy)
    texts = {
        "rule": RULE_TEMPLATE.format(
            name=policy,
            kind="StackRule" if stack else "ResourceRule",
            sequence=", Sequence" if stack else "",
            check=STACK_CHECK if stack else RESOURCE_CHECK,
        ),
        "cases": CASES_TEMPLATE.format(name=policy, module=module),
        "golden": json.dumps({"policy": policy, "cases": {}}, indent=2) + "\n",
        "variant": VARIANT_TEMPLATE.format(name=policy, module=module),
    }
    for role, path in targets.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(texts[role], encoding="utf-8")
    return targets


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("policy", help="the policy's name, e.g. dynamodb-deletion-protection")
    parser.add_argument("--stack", action="store_true", help="a stack policy (judges all resources at once)")
    parser.add_argument(
        "--root", type=Path, default=ROOT, help="the checkout to write into (default: this one)"
    )
    args = parser.parse_args(argv)
    written = scaffold(args.root.resolve(), args.policy, stack=args.stack)
    for path in written.values():
        print(f"created {path.relative_to(args.root.resolve())}")
    print(
        "next: fill in every TODO (CONTRIBUTING.md, 'Adding a policy'), then\n"
        "  pytest tests/policies --update-goldens   # record the exact messages, review the diff\n"
        "  python scripts/generate_docs.py          # the policy's page and the README table"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
