"""Golden files: tests/policies/golden/<policy>.json holds every case's exact outcome.

`pytest --update-goldens` (or UPDATE_GOLDENS=1) rewrites them from the rules' current output;
review the diff before committing, as for any change of a user-visible message.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from dynamodb_guardrails.rule import Rule

from .cases import Case, outcome

GOLDEN_DIR = Path(__file__).resolve().parent.parent / "golden"
UPDATE_ENV = "UPDATE_GOLDENS"


def updating(option: bool = False) -> bool:
    return option or os.environ.get(UPDATE_ENV, "") not in ("", "0")


def golden_path(rule: Rule, directory: Path = GOLDEN_DIR) -> Path:
    return directory / f"{rule.meta.name}.json"


def render(rule: Rule, cases: tuple[Case, ...]) -> str:
    document = {"policy": rule.meta.name, "cases": {case.name: outcome(rule, case) for case in cases}}
    return json.dumps(document, indent=2, ensure_ascii=False, default=repr) + "\n"


def load(rule: Rule, directory: Path = GOLDEN_DIR) -> dict[str, Any]:
    path = golden_path(rule, directory)
    if not path.exists():
        return {"policy": rule.meta.name, "cases": {}}
    document: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return document


def write(rule: Rule, cases: tuple[Case, ...], directory: Path = GOLDEN_DIR) -> Path:
    path = golden_path(rule, directory)
    path.write_text(render(rule, cases), encoding="utf-8")
    return path
