"""Render an Evaluation in the format `--format` names: text.py, json.py, sarif.py, junit.py."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # not at run time: the CLI imports this module before the pack client
    from policy_preview.evaluate import Evaluation
    from policy_preview.report.common import RunContext

# --format -> (module, function); a renderer is imported when a report is written, after the CLI
# has spawned the packs (they boot meanwhile).
FORMATS = {
    "text": ("text", "render_text"),
    "json": ("json", "render_json"),
    "sarif": ("sarif", "render_sarif"),
    "junit": ("junit", "render_junit"),
}


def render(evaluation: Evaluation, context: RunContext, fmt: str) -> str:
    module, name = FORMATS[fmt]
    renderer = getattr(importlib.import_module(f"policy_preview.report.{module}"), name)
    text: str = renderer(evaluation, context)
    return text
