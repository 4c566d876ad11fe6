"""What every report format says about a finding besides the pack's message: its fingerprint,
the source line that constructed its resource, and whether a baseline already has it.

One place computes these so text, JSON, SARIF and JUnit agree. A finding is placed at the source
position of the resource it names (a stack policy's finding names the table or alarm it is about;
one on the root stack has no line). Fingerprints are computed over reported and suppressed
findings together, so a finding keeps its fingerprint when an exemption starts or stops covering it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from policy_preview.analyzer.suppressions import Exemption, SuppressedFinding
from policy_preview.model import Finding, ResourceRecord
from policy_preview.program.source_positions import SourceLocation, source_location, unknown_reason
from policy_preview.report.baseline import Baseline
from policy_preview.report.fingerprints import fingerprints

BaselineState = Literal["new", "existing"]


@dataclass(frozen=True)
class FindingDetail:
    finding: Finding
    fingerprint: str
    location: SourceLocation | None  # relative to the project root
    unknown_reason: str  # why `location` is None ("" when it is known)
    baseline: BaselineState | None = None  # None without --baseline (and for suppressed findings)
    exemption: Exemption | None = None  # set for suppressed findings


@dataclass(frozen=True)
class Details:
    findings: tuple[FindingDetail, ...]  # in the order of `evaluation.findings`
    suppressed: tuple[FindingDetail, ...]  # in the order of `evaluation.suppressed`
    baseline: Baseline | None = None

    @property
    def absent(self) -> int:
        """Baseline findings this run no longer has (fixed, or the resource is gone)."""
        if self.baseline is None:
            return 0
        return len(self.baseline.fingerprints - {d.fingerprint for d in self.findings})

    def count(self, state: BaselineState) -> int:
        return sum(1 for d in self.findings if d.baseline == state)

    @property
    def blocking(self) -> bool:
        """A mandatory finding fails the run; with a baseline only a new one does."""
        return any(d.finding.level == "mandatory" and d.baseline != "existing" for d in self.findings)


def _positions(resources: Sequence[ResourceRecord]) -> dict[str, str | None]:
    return {r.urn: r.source_position for r in resources}


def finding_details(
    findings: Sequence[Finding],
    suppressed: Sequence[SuppressedFinding],
    resources: Sequence[ResourceRecord],
    baseline: Baseline | None = None,
) -> Details:
    positions = _positions(resources)
    everything = [*findings, *(s.finding for s in suppressed)]
    prints = fingerprints(everything)

    def detail(finding: Finding, fingerprint: str, exemption: Exemption | None) -> FindingDetail:
        position = positions.get(finding.urn or "")
        location = source_location(position)
        state: BaselineState | None = None
        if baseline is not None and exemption is None:
            state = "existing" if fingerprint in baseline.fingerprints else "new"
        return FindingDetail(
            finding,
            fingerprint,
            location,
            "" if location else unknown_reason(position),
            state,
            exemption,
        )

    reported = tuple(detail(f, p, None) for f, p in zip(findings, prints[: len(findings)], strict=True))
    hidden = tuple(
        detail(s.finding, p, s.exemption) for s, p in zip(suppressed, prints[len(findings) :], strict=True)
    )
    return Details(reported, hidden, baseline)


def repository_root(start: Path) -> Path:
    """The nearest directory from `start` upwards with a `.git` (directory, or file for a worktree),
    where GitHub resolves SARIF paths; `start` itself when there is none."""
    start = start.resolve()
    for candidate in (start, *start.parents):
        if (candidate / ".git").exists():
            return candidate
    return start
