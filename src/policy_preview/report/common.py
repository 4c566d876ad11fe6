"""What every report format shares: where the run came from (RunContext), the finding details
(finding_details.py), the exit code, the CLI's display names and the order findings are listed in."""

from __future__ import annotations

import os
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from policy_preview.model import Finding
from policy_preview.report.baseline import Baseline
from policy_preview.report.finding_details import Details, finding_details

if TYPE_CHECKING:  # not at run time: the CLI imports this module before the pack client
    from policy_preview.evaluate import Evaluation


SourceKind = Literal["program", "stack-export"]
TOOL_NAME = "policy-preview"
_LEVEL_RANK = {"mandatory": 0, "remediate": 1, "advisory": 2, "disabled": 3}
_SEVERITY_RANK = {"critical": 0, "high": 1, "medium": 2, "low": 3, None: 4}


@dataclass(frozen=True)
class RunContext:
    """Where the resources came from, for the report header and SARIF locations."""

    kind: SourceKind
    path: Path  # the program's main file (or Pulumi.yaml), or the stack export file
    mode: str | None = None  # "preview" | "update" for a program run
    stack: str | None = None
    project: str | None = None
    project_root: Path | None = None  # where source positions are relative to
    repo_root: Path | None = None  # where SARIF paths are relative to (GitHub's checkout)
    baseline: Baseline | None = None  # --baseline: only findings not in it fail the run


def tool_version() -> str:
    from importlib import metadata  # ~0.1 s of imports: not before the CLI has spawned the packs

    try:
        return metadata.version("dynamodb-guardrails")
    except metadata.PackageNotFoundError:
        return "0.0.0"


def _display_path(path: Path) -> str:
    """A path relative to the working directory when it is below it (portable in reports)."""
    try:
        return (
            Path(os.path.relpath(path.resolve(), Path.cwd())).as_posix()
            if path.is_absolute()
            else path.as_posix()
        )
    except ValueError:  # other drive on Windows
        return path.as_posix()


def display_type(type_token: str) -> str:
    """The CLI's short type name (tokens.Type.DisplayName): aws:dynamodb/table:Table -> aws:dynamodb:Table."""
    parts = type_token.split(":")
    if len(parts) != 3 or not parts[2] or "/" not in parts[1]:
        return type_token
    module, _, file = parts[1].rpartition("/")
    if file != parts[2][:1].lower() + parts[2][1:]:
        return type_token
    return f"{parts[0]}:{module}:{parts[2]}"


def _counts(evaluation: Evaluation) -> dict[str, int]:
    levels = Counter(f.level for f in evaluation.findings)
    return {
        "mandatory": levels["mandatory"],
        "advisory": levels["advisory"],
        "remediated": len(evaluation.remediations),
        "resources": len(evaluation.resources),
        "packs": len(evaluation.packs),
    }


def details(evaluation: Evaluation, context: RunContext | None = None) -> Details:
    return finding_details(
        evaluation.findings,
        evaluation.suppressed,
        evaluation.resources,
        context.baseline if context is not None else None,
    )


def exit_code(evaluation: Evaluation, context: RunContext | None = None) -> int:
    """1 when a mandatory finding fails the run: any, or with a baseline any new one."""
    if context is not None and context.baseline is not None:
        return 1 if details(evaluation, context).blocking else 0
    return 1 if evaluation.has_mandatory else 0


def _pack_key(name: str, version: str) -> str:
    return f"{name}@v{version}" if version else name


def _sort_key(finding: Finding) -> tuple[int, int, str, str]:
    return (
        _LEVEL_RANK.get(finding.level, 9),
        _SEVERITY_RANK.get(finding.severity, 4),
        finding.policy,
        finding.urn or "",
    )
