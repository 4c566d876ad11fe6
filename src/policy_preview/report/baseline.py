"""Baselines: a JSON report (`--format json` or `--write-baseline`) whose findings a team accepts
for now, so `--baseline FILE` fails a run only on findings that are new.

A baseline is an ordinary JSON report: what counts is the `fingerprint` of each entry of its
`findings` (fingerprints.py). Suppressed findings are not part of it: when an exemption expires,
its finding is new and fails the run, as the exemption's end date intends.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from policy_preview.errors import ConfigError


@dataclass(frozen=True)
class Baseline:
    path: Path
    fingerprints: frozenset[str]


def load_baseline(path: Path) -> Baseline:
    """The fingerprints of a JSON report; ConfigError naming the file for anything else."""
    where = f"--baseline {path}"
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"{where}: cannot read the baseline: {exc.strerror or exc}.") from exc
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ConfigError(
            f"{where}: not valid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}."
        ) from exc
    findings = document.get("findings") if isinstance(document, dict) else None
    if not isinstance(findings, list):
        raise ConfigError(
            f"{where}: expected a policy-preview JSON report (from --write-baseline or --format json) "
            "with a `findings` list."
        )
    fingerprints = set()
    for index, finding in enumerate(findings):
        fingerprint = finding.get("fingerprint") if isinstance(finding, dict) else None
        if not isinstance(fingerprint, str) or not fingerprint:
            raise ConfigError(
                f"{where}: finding #{index} has no `fingerprint`; write the baseline again with "
                "this version (policy-preview --write-baseline FILE)."
            )
        fingerprints.add(fingerprint)
    return Baseline(path, frozenset(fingerprints))
