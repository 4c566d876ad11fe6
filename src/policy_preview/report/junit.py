"""`--format junit`: JUnit XML for CI systems that read test reports (GitLab, Jenkins, Azure DevOps).

One <testsuite> per pack; one <testcase> per resource x policy evaluated (every enabled policy of
the pack against every resource; a stack policy's case for a resource holds the stack-level findings
that name it). What a case holds, in the order a CI reader needs it:
- a mandatory finding: <failure type="mandatory"> (with --baseline only a new one; a mandatory
  finding already in the baseline is <skipped>, so the report fails exactly when the exit code is 1);
- a finding an active exemption suppressed: <skipped> with the exemption's reason;
- a policy that was not applicable (e.g. an internal error in a rule): <skipped> with the reason;
- advisory findings and remediations never fail a case: they are in its <system-out>, so readers
  show them next to a passing test (a red test report for a warning would teach people to ignore it).
Cases carry no timing (the Analyzer protocol times a resource, not a policy). Validated in tests
against the Jenkins xunit JUnit schema (tests/preview/schemas/junit-10.xsd).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from policy_preview.evaluate import Evaluation, PackSummary
from policy_preview.model import ResourceRecord
from policy_preview.report.common import RunContext, _pack_key, details, display_type
from policy_preview.report.finding_details import FindingDetail
from policy_preview.report.text import _exemption_text
from policy_preview.urns import urn_name

# XML 1.0 cannot hold most control characters; a message must never make the file unreadable.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _xml_text(text: str) -> str:
    return _NOT_XML.sub("?", text)


@dataclass
class _Case:
    failures: list[FindingDetail] = field(default_factory=list)
    skips: list[str] = field(default_factory=list)
    out: list[str] = field(default_factory=list)


def _where(detail: FindingDetail) -> str:
    where = str(detail.location) if detail.location else f"unknown ({detail.unknown_reason})"
    return f"source: {where}\nfingerprint: {detail.fingerprint}"


def _finding_text(detail: FindingDetail) -> str:
    return f"{detail.finding.message.rstrip()}\n{_where(detail)}"


def _case_names(resources: tuple[ResourceRecord, ...]) -> dict[str, str]:
    """`<type> <name>` per resource; the URN where that is not unique."""
    short = {r.urn: f"{display_type(r.type)} {urn_name(r.urn)}" for r in resources}
    counts = Counter(short.values())
    return {urn: name if counts[name] == 1 else urn for urn, name in short.items()}


def _cases(evaluation: Evaluation, context: RunContext, pack: PackSummary) -> dict[tuple[str, str], _Case]:
    found = details(evaluation, context)
    cases: dict[tuple[str, str], _Case] = defaultdict(_Case)
    for detail in found.findings:
        finding = detail.finding
        if finding.policy_pack != pack.name:
            continue
        case = cases[(finding.policy, finding.urn or "")]
        if finding.level == "mandatory" and detail.baseline != "existing":
            case.failures.append(detail)
        elif finding.level == "mandatory":
            case.skips.append("mandatory finding already in the baseline")
            case.out.append(f"in the baseline: {_finding_text(detail)}")
        else:
            case.out.append(f"{finding.level}: {_finding_text(detail)}")
    for detail in found.suppressed:
        finding = detail.finding
        if finding.policy_pack != pack.name or detail.exemption is None:
            continue
        case = cases[(finding.policy, finding.urn or "")]
        case.skips.append(f"suppressed by exemption: {_exemption_text(detail.exemption)}")
        case.out.append(f"suppressed: {_finding_text(detail)}")
    for event in evaluation.not_applicable:
        if event.policy_pack == pack.name and event.urn:
            cases[(event.result.policy, event.urn)].skips.append(f"not applicable: {event.result.reason}")
    for remediation in evaluation.remediations:
        rem = remediation.remediation
        if rem.policy_pack == pack.name:
            keys = ", ".join([*remediation.added, *remediation.changed, *remediation.removed]) or "nothing"
            verb = "remediated" if remediation.applied else "would remediate"
            cases[(rem.policy, rem.urn)].out.append(f"{verb} (keys: {keys})")
    return cases


def _testsuite(parent: ET.Element, evaluation: Evaluation, context: RunContext, pack: PackSummary) -> None:
    cases = _cases(evaluation, context, pack)
    names = _case_names(evaluation.resources)
    policies = [p for p in pack.policies if p.enforcement_level != "disabled"]
    suite = ET.SubElement(parent, "testsuite", name=_pack_key(pack.name, pack.version))
    properties = ET.SubElement(suite, "properties")
    for key, value in (
        ("source", context.kind),
        ("stack", context.stack),
        ("mode", context.mode),
        ("baseline", str(context.baseline.path) if context.baseline else None),
    ):
        if value:
            ET.SubElement(properties, "property", name=key, value=value)
    # Findings on a URN that is no resource of the run (a stack export without its Stack) get a case too.
    extra = sorted({urn for _, urn in cases if urn not in names})
    names.update({urn: urn or "(stack)" for urn in extra})
    tests = failures = skipped = 0
    for policy in policies:
        for urn in [*(r.urn for r in evaluation.resources), *extra]:
            case = cases.get((policy.name, urn))
            if case is None:
                if urn in extra:
                    continue
                case = _Case()
            element = ET.SubElement(
                suite, "testcase", classname=f"{pack.name}.{policy.name}", name=names[urn]
            )
            tests += 1
            if case.failures:
                failures += 1
                first = case.failures[0].finding.message.rstrip().split("\n")[-1]
                failure = ET.SubElement(element, "failure", type="mandatory", message=_xml_text(first))
                failure.text = _xml_text("\n\n".join(_finding_text(d) for d in case.failures))
            elif case.skips:
                skipped += 1
                ET.SubElement(element, "skipped", message=_xml_text("; ".join(case.skips)))
            if case.out:
                ET.SubElement(element, "system-out").text = _xml_text("\n\n".join(case.out))
    suite.set("tests", str(tests))
    suite.set("failures", str(failures))
    suite.set("errors", "0")
    suite.set("skipped", str(skipped))


def render_junit(evaluation: Evaluation, context: RunContext) -> str:
    root = ET.Element("testsuites", name="policy-preview")
    for pack in sorted(evaluation.packs, key=lambda p: _pack_key(p.name, p.version)):
        _testsuite(root, evaluation, context, pack)
    suites = root.findall("testsuite")
    for key in ("tests", "failures", "errors"):
        root.set(key, str(sum(int(s.get(key, "0")) for s in suites)))
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
