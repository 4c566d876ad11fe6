"""Render an Evaluation in the format `--format` names: text.py, json.py, sarif.py, junit.py."""

from __future__ import annotations

from typing import TYPE_CHECKING

from policy_preview.report.common import RunContext
from policy_preview.report.json import render_json
from policy_preview.report.sarif import render_sarif
from policy_preview.report.text import render_text

if TYPE_CHECKING:  # not at run time: the CLI imports this module before the pack client
    from policy_preview.evaluate import Evaluation


def _render_junit(evaluation: Evaluation, context: RunContext) -> str:
    from policy_preview.report.junit import render_junit  # junit.py builds on text.py's helpers

    return render_junit(evaluation, context)


FORMATS = {"text": render_text, "json": render_json, "sarif": render_sarif, "junit": _render_junit}


def render(evaluation: Evaluation, context: RunContext, fmt: str) -> str:
    return FORMATS[fmt](evaluation, context)
