"""What the pack knows about aws-native matches the pinned pulumi-aws-native SDK (a test extra the
pack never imports): the generated taggable types (tests/test_generated_files.py checks they are
current), the property names the readers read (also those the CloudFormation reader derives from
template names), and which properties are free-form JSON that must keep their keys."""

from __future__ import annotations

import importlib
import importlib.metadata
import importlib.util
import re
import subprocess
import sys
from pathlib import Path

import pytest

from dynamodb_guardrails import aws_native_taggable_types as native_tags
from dynamodb_guardrails.readers import cloudformation

ROOT = Path(__file__).resolve().parents[2]


def test_native_version_is_the_pinned_one() -> None:
    assert importlib.metadata.version("pulumi-aws-native") == native_tags.PULUMI_AWS_NATIVE_VERSION


def test_native_tag_shapes_of_the_types_the_pack_reads() -> None:
    listed = native_tags.NATIVE_TAG_LIST_TYPES
    for kind in (
        "aws-native:dynamodb:Table",
        "aws-native:cloudwatch:Alarm",
        "aws-native:iam:Role",
        "aws-native:cloudformation:Stack",
        "aws-native:sns:Topic",
    ):
        assert kind in listed, kind
    # A GlobalTable's tags live on its replicas; the reader handles that itself.
    assert "aws-native:dynamodb:GlobalTable" not in listed | native_tags.NATIVE_TAG_MAP_TYPES
    assert "aws-native:apigatewayv2:Api" in native_tags.NATIVE_TAG_MAP_TYPES
    assert not listed & native_tags.NATIVE_TAG_MAP_TYPES


def _wire_names(package: str, cls: str) -> set[str]:
    """The wire (camelCase) property names of an SDK input class, from its `@pulumi.getter`s. The
    class is taken from its package (importing a submodule directly upsets the SDK's lazy modules)."""
    klass = getattr(importlib.import_module(f"pulumi_aws_native{'.' + package if package else ''}"), cls)
    return {
        prop.fget._pulumi_name  # type: ignore[union-attr]
        for prop in vars(klass).values()
        if isinstance(prop, property) and hasattr(prop.fget, "_pulumi_name")
    }


# CloudFormation names the readers rely on, per SDK input class: sdk_name of each must be a
# property of that class (so a template resource reads like a program's aws-native resource).
READ_PROPERTIES = {
    ("dynamodb", "TableArgs"): [
        "BillingMode",
        "SSESpecification",
        "TableName",
        "ProvisionedThroughput",
        "GlobalSecondaryIndexes",
        "Tags",
        "KeySchema",
        "ResourcePolicy",
        "StreamSpecification",
    ],
    ("dynamodb", "TableSseSpecificationArgs"): ["SSEEnabled", "SSEType", "KMSMasterKeyId"],
    ("dynamodb", "TableProvisionedThroughputArgs"): ["ReadCapacityUnits", "WriteCapacityUnits"],
    ("dynamodb", "TableGlobalSecondaryIndexArgs"): ["IndexName", "ProvisionedThroughput"],
    ("dynamodb", "TableResourcePolicyArgs"): ["PolicyDocument"],
    ("dynamodb", "GlobalTableArgs"): [
        "BillingMode",
        "SSESpecification",
        "Replicas",
        "TableName",
        "WriteProvisionedThroughputSettings",
    ],
    ("dynamodb", "GlobalTableSseSpecificationArgs"): ["SSEEnabled", "SSEType"],
    ("dynamodb", "GlobalTableReplicaSpecificationArgs"): [
        "Region",
        "SSESpecification",
        "Tags",
        "ReadProvisionedThroughputSettings",
        "ResourcePolicy",
    ],
    ("dynamodb", "GlobalTableReplicaSseSpecificationArgs"): ["KMSMasterKeyId"],
    ("cloudwatch", "AlarmArgs"): [
        "Namespace",
        "MetricName",
        "Dimensions",
        "Metrics",
        "Statistic",
        "ExtendedStatistic",
        "ComparisonOperator",
        "Threshold",
        "ThresholdMetricId",
        "AlarmActions",
        "ActionsEnabled",
        "Tags",
    ],
    ("cloudwatch", "AlarmDimensionArgs"): ["Name", "Value"],
    ("cloudwatch", "AlarmMetricDataQueryArgs"): [
        "Id",
        "Expression",
        "MetricStat",
        "AccountId",
        "ReturnData",
    ],
    ("cloudwatch", "AlarmMetricStatArgs"): ["Metric", "Stat", "Period"],
    ("cloudwatch", "AlarmMetricArgs"): ["Namespace", "MetricName", "Dimensions"],
    ("iam", "RoleArgs"): [
        "AssumeRolePolicyDocument",
        "Policies",
        "ManagedPolicyArns",
        "RoleName",
        "Tags",
    ],
    ("iam", "RolePolicyArgs"): ["PolicyName", "PolicyDocument"],
    ("iam", "ManagedPolicyArgs"): ["PolicyDocument", "Roles", "Users", "Groups"],
    ("", "TagArgs"): ["Key", "Value"],
    ("cloudformation", "StackArgs"): ["TemplateBody", "TemplateURL", "Parameters", "StackName", "Tags"],
}


@pytest.mark.parametrize(("where", "names"), list(READ_PROPERTIES.items()), ids=lambda v: str(v))
def test_template_names_become_the_sdks_wire_names(where: tuple[str, str], names: list[str]) -> None:
    wire = _wire_names(*where)
    missing = {
        name: cloudformation.sdk_name(name) for name in names if cloudformation.sdk_name(name) not in wire
    }
    assert not missing, f"{where}: {missing} not in {sorted(wire)}"


# Free-form JSON properties of the types the pack reads that are not policy documents: nothing
# reads inside them, so converting their keys is harmless.
_IGNORED_FREE_FORM = {
    "KeySchema",
    "SlidingWindow",
    "TemplateBody",
    "StackPolicyBody",
    "CustomResourceProperties",
}


@pytest.mark.parametrize(
    ("module", "files"),
    [
        ("dynamodb", "*.py"),
        ("cloudwatch", "*.py"),
        ("iam", "*.py"),
        ("sso", "*.py"),
        ("cloudformation", "stack.py"),
    ],
)
def test_free_form_json_properties_keep_their_keys(module: str, files: str) -> None:
    """Every property the SDK types `Any` (free-form JSON) in a module the pack reads is either kept
    verbatim by the CloudFormation reader or known to be irrelevant."""
    package = Path(importlib.util.find_spec("pulumi_aws_native").submodule_search_locations[0])  # type: ignore[union-attr,index]
    free_form = set()
    for path in sorted((package / module).glob(files)):
        text = path.read_text(encoding="utf-8")
        for signature in re.findall(r"def (?:_internal_init|__init__)\(__self__,(.*?)\):", text, re.S):
            for name, annotation in re.findall(r"^\s*(\w+): ([^=\n]*)", signature, re.M):
                if re.search(r"\bAny\b", annotation):
                    free_form.add("".join(part.capitalize() for part in name.split("_")))
    assert free_form, module
    unknown = free_form - cloudformation.VERBATIM_PROPERTIES - _IGNORED_FREE_FORM
    assert not unknown, f"free-form JSON properties to keep verbatim or ignore: {sorted(unknown)}"


def test_the_rules_never_import_the_provider_sdks() -> None:
    """The generated type lists stand in for the SDKs: neither provider (nor the Pulumi SDK, the
    policy SDK outside sdk_adapter.py, or PyYAML before a template is read) is imported."""
    code = (
        "import sys\n"
        "import dynamodb_guardrails.readers, dynamodb_guardrails.taggable_types\n"
        "import dynamodb_guardrails.rules.required_tags, dynamodb_guardrails.rules.encryption\n"
        "import dynamodb_guardrails.rules.table_alarms, dynamodb_guardrails.rules.cloudformation_templates\n"
        "roots = {m.split('.')[0] for m in sys.modules}\n"
        "heavy = sorted(roots & {'pulumi_aws_native', 'pulumi_aws', 'pulumi', 'pulumi_policy', 'yaml'})\n"
        "assert not heavy, heavy\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT / "policies", capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
