"""The checked-in list of taggable types matches the pinned pulumi-aws, and the pack never imports it."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
import time
from pathlib import Path
from types import ModuleType

import pytest

from dynamodb_guardrails import taggable_types

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "generate_taggable_types.py"


@pytest.fixture(scope="module")
def generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("generate_taggable_types", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def generated(generator: ModuleType) -> str:
    started = time.process_time()  # CPU time: a loaded machine does not stretch it
    text: str = generator.generate()
    assert time.process_time() - started < 10, "generation got slow: keep the regex prefilter"
    return text


def test_checked_in_list_is_current(generated: str) -> None:
    checked_in = Path(taggable_types.__file__).read_text(encoding="utf-8")
    assert checked_in == generated, "run: python scripts/generate_taggable_types.py"


def test_check_mode_fails_on_a_stale_file(
    generator: ModuleType, generated: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    stale = tmp_path / "taggable_types.py"
    stale.write_text(generated.replace('        "aws:sns/topic:Topic",\n', ""), encoding="utf-8")
    monkeypatch.setattr(generator, "TARGET", stale)
    monkeypatch.setattr(generator, "generate", lambda: generated)  # generated once, above
    # The aws-native list is checked by test_aws_native_currency.py; here it is taken as current.
    native = generator.NATIVE_TARGET.read_text(encoding="utf-8")
    monkeypatch.setattr(generator, "generate_native", lambda: native)
    assert generator.main(["--check"]) == 1
    stale.write_text(generated, encoding="utf-8")
    assert generator.main(["--check"]) == 0


def test_version_is_the_pinned_pulumi_aws() -> None:
    from importlib.metadata import version

    assert version("pulumi-aws") == taggable_types.PULUMI_AWS_VERSION


@pytest.mark.parametrize(
    "kind",
    [
        "aws:dynamodb/table:Table",
        "aws:dynamodb/tableReplica:TableReplica",
        "aws:iam/role:Role",
        "aws:cloudwatch/metricAlarm:MetricAlarm",
        "aws:sns/topic:Topic",
        "aws:s3/bucket:Bucket",
        "aws:kms/key:Key",
    ],
)
def test_obvious_taggable_types_are_listed(kind: str) -> None:
    assert kind in taggable_types.TAGGABLE_TYPES


@pytest.mark.parametrize(
    "kind",
    [
        "aws:iam/rolePolicy:RolePolicy",
        "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
        # pulumi-aws 7.51.1: ContributorInsights has no tags input.
        "aws:dynamodb/contributorInsights:ContributorInsights",
        # `tags` there is a filter, not the resource's tags.
        "aws:devopsguru/resourceCollection:ResourceCollection",
        # The provider itself takes defaultTags, not tags.
        "pulumi:providers:aws",
    ],
)
def test_untaggable_types_are_not_listed(kind: str) -> None:
    assert kind not in taggable_types.TAGGABLE_TYPES | taggable_types.TAG_LIST_TYPES


def test_autoscaling_groups_are_listed_with_their_tag_list() -> None:
    assert {"aws:autoscaling/group:Group"} == taggable_types.TAG_LIST_TYPES


def test_the_tag_rules_do_not_import_pulumi_aws() -> None:
    code = (
        "import sys\n"
        "import dynamodb_guardrails.taggable_types, dynamodb_guardrails.rules.required_tags\n"
        "import dynamodb_guardrails.rules.encryption\n"
        "roots = {m.split('.')[0] for m in sys.modules}\n"
        "heavy = sorted(roots & {'pulumi_aws', 'pulumi', 'pulumi_policy'})\n"
        "assert not heavy, heavy\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT / "policies", capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
