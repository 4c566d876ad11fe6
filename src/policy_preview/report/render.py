"""Render an Evaluation in the format `--format` names: text.py, json.py, sarif.py, junit.py."""

from __future__ import annotations

from policy_preview.evaluate import Evaluation
from policy_preview.report.common import RunContext
from policy_preview.report.json import render_json
from policy_preview.report.junit import render_junit
from policy_preview.report.sarif import render_sarif
from policy_preview.report.text import render_text

FORMATS = {"text": render_text, "json": render_json, "sarif": render_sarif, "junit": render_junit}


def render(evaluation: Evaluation, context: RunContext, fmt: str) -> str:
    return FORMATS[fmt](evaluation, context)
