"""Fixture program: one copy of the real DynamoDB stack per variant (tests/mutations/variants/),
each broken in exactly one way, all in one run so the whole mutation suite costs one program run
per mode.

Config `guardrails-mutations:variants` (comma-separated ids) builds only those copies; unset builds all.
The stack output `variantEnvironments` maps each built variant to its environment suffix.
"""

import sys
from pathlib import Path

import pulumi

# The real stack's package (imported the way infra/__main__.py imports it), the pack's rules and the
# test tree, whose variant declarations say how each copy is broken.
sys.path.insert(0, str(Path(__file__).resolve().parents[4] / "infra"))
sys.path.insert(0, str(Path(__file__).resolve().parents[4] / "policies"))
sys.path.insert(0, str(Path(__file__).resolve().parents[4]))

from tests.mutations.breakage import build_variant
from tests.mutations.variants import VARIANTS

selected = [v.strip() for v in (pulumi.Config().get("variants") or "").split(",") if v.strip()]
known = {v.id for v in VARIANTS}
unknown = sorted(set(selected) - known)
if unknown:
    raise pulumi.RunError(f"unknown variants {unknown}; known: {sorted(known)}")

environments: dict[str, str] = {}
for number, variant in enumerate(VARIANTS, start=1):
    if not selected or variant.id in selected:
        environments[variant.id] = build_variant(variant.id, variant.breaks, f"v{number:02d}")

pulumi.export("variantEnvironments", environments)
