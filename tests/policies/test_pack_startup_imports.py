"""The pack starts without the readers and generated data it needs only for some resource types,
and loads them when a resource of such a type is first judged (issue 11: start-up).

The pack's entry point is run as `python -m pulumi.policy` runs it (runpy, the pack directory on
sys.path), with the SDK's PolicyPack replaced by one that records its policies instead of serving
them; each check then runs in the same process. The verdicts themselves are pinned by every rule's
own tests and tests/policies/test_pack_over_grpc.py, which run the modules loaded this way.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = "dynamodb_guardrails"

# Loaded on first use, each by the resource forms that need it.
TABLE_AND_ALARM_READERS = {
    "readers.aws_classic",
    "readers.aws_native",
    "readers.location",
    "views.alarms",
    "alarm_metrics",
}
PERMISSION_READERS = {
    "readers.iam_classic",
    "readers.iam_native",
    "readers.identity_center",
    "readers.resource_policies",
    "views.permissions",
    "iam_documents",
    "arn_patterns",
    "managed_policies",
    "aws_managed_policies_data",
}
TEMPLATE_READERS = {"readers.cloudformation", "readers.cfn_yaml"}
ON_FIRST_USE = TABLE_AND_ALARM_READERS | PERMISSION_READERS | TEMPLATE_READERS

_SCRIPT = r"""
import json, runpy, sys
import pulumi_policy

served = []
class RecordingPack:
    def __init__(self, **kwargs):
        served.extend(kwargs["policies"])
pulumi_policy.PolicyPack = RecordingPack
sys.path.insert(0, ".")
runpy.run_path("__main__.py", run_name="__main__")

def loaded():
    prefix = "dynamodb_guardrails."
    return sorted(m.removeprefix(prefix) for m in sys.modules if m.startswith(prefix))

report = {"start": loaded(), "policies": len(served)}

from dynamodb_guardrails.model import Resource
from dynamodb_guardrails.rules import ALL_RULES
rules = {rule.meta.name: rule for rule in ALL_RULES}
config = {}
role_policy = Resource(
    type="aws:iam/rolePolicy:RolePolicy", name="app", urn="urn:app",
    props={"role": "app-role", "policy": json.dumps(
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "dynamodb:*", "Resource": "*"}]}
    )},
)
report["iam_findings"] = len(rules["iam-least-privilege"].check(role_policy, config))
report["after_iam"] = loaded()
alarm = Resource(
    type="aws:cloudwatch/metricAlarm:MetricAlarm", name="a", urn="urn:a",
    props={"namespace": "AWS/DynamoDB", "metricName": "ReadThrottleEvents", "dimensions": {"TableName": "t"}},
)
report["alarm_findings"] = len(rules["dynamodb-alarm-actions"].check(alarm, config))
report["after_alarm"] = loaded()
print(json.dumps(report))
"""


@pytest.fixture(scope="module")
def report() -> dict[str, object]:
    done = subprocess.run(
        [sys.executable, "-c", _SCRIPT], cwd=ROOT / "policies", capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    result: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def _modules(report: dict[str, object], key: str) -> set[str]:
    names = report[key]
    assert isinstance(names, list)
    return set(names)


def test_the_pack_starts_without_the_readers_and_data_it_loads_on_first_use(
    report: dict[str, object],
) -> None:
    assert report["policies"], "the entry point declared no policies"
    early = _modules(report, "start") & ON_FIRST_USE
    assert not early, sorted(early)


def test_a_role_policy_loads_the_classic_iam_reader_and_document_analysis_only(
    report: dict[str, object],
) -> None:
    assert report["iam_findings"], "a dynamodb:* grant on every table must be reported"
    loaded = _modules(report, "after_iam")
    assert {"readers.iam_classic", "views.permissions", "iam_documents", "arn_patterns"} <= loaded
    assert not loaded & (TABLE_AND_ALARM_READERS | TEMPLATE_READERS | {"readers.iam_native"})
    assert not loaded & {"managed_policies", "aws_managed_policies_data"}, "it attaches no managed policy"


def test_an_alarm_loads_the_alarm_readers_and_not_the_templates(report: dict[str, object]) -> None:
    assert report["alarm_findings"], "an alarm on DynamoDB without actions must be reported"
    loaded = _modules(report, "after_alarm")
    assert {"readers.aws_classic", "views.alarms", "alarm_metrics"} <= loaded
    assert not loaded & TEMPLATE_READERS
