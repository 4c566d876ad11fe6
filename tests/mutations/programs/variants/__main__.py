"""Fixture program: one copy of the real DynamoDB stack per variant (breakages.py), each broken in
exactly one way, all in one run so the whole mutation suite costs one program run per mode.

Config `guardrails-mutations:variants` (comma-separated ids) builds only those copies; unset builds all.
The stack output `variantEnvironments` maps each built variant to its environment suffix.
"""

import sys
from pathlib import Path

import pulumi

# The real stack's package, imported the way infra/__main__.py imports it.
sys.path.insert(0, str(Path(__file__).resolve().parents[4] / "infra"))

from breakages import BREAKAGES, build_variant

selected = [v.strip() for v in (pulumi.Config().get("variants") or "").split(",") if v.strip()]
unknown = sorted(set(selected) - set(BREAKAGES))
if unknown:
    raise pulumi.RunError(f"unknown variants {unknown}; known: {sorted(BREAKAGES)}")

environments: dict[str, str] = {}
for number, variant_id in enumerate(BREAKAGES, start=1):
    if not selected or variant_id in selected:
        environments[variant_id] = build_variant(variant_id, f"v{number:02d}")

pulumi.export("variantEnvironments", environments)
