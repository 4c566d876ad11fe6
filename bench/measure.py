"""Measurements (placeholder, filled in below)."""

from __future__ import annotations

from policy_preview.analyzer import StackSettings

# What the CLI tells the pack for `pulumi up` of our stack.
SETTINGS = StackSettings(project="dynamodb-guardrails", stack="dev", dry_run=False)
