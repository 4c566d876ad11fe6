"""What the preview sends a pack besides properties, checked on the wire with a probe pack that
records every request: the resource options (analyzer_plugin.go marshalResourceOptions, filled as
step_generator.go fills them), ConfigureStack's secret keys, and how reads are treated."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from policy_preview import cli
from policy_preview.errors import ProgramError
from policy_preview.program.go_duration import duration_seconds
from policy_preview.program.runner import run_program

from .engine_helpers import FIXTURE_PACKS

PROGRAMS = Path(__file__).parent / "fixtures" / "programs"
PROBE = FIXTURE_PACKS / "probe"
PREFIX = "urn:pulumi:dev::fixture-options::"
BUNDLE_URN = f"{PREFIX}fixture:index:Bundle::bundle"
TOPIC_URN = f"{PREFIX}fixture:index:Bundle$aws:sns/topic:Topic::bundle-topic"
PLAIN_URN = f"{PREFIX}aws:sns/topic:Topic::plain"
READ_URN = f"{PREFIX}probe:index:Widget::existing"
NO_TIMEOUTS = {"create": 0.0, "update": 0.0, "delete": 0.0, "read": 0.0}


def _probe_run(log: Path, report: Path, *argv: str) -> list[dict[str, Any]]:
    """Run `policy-preview ... --policy-pack <probe>`; the requests the probe received, in order."""
    previous = os.environ.get("PREVIEW_PROBE_LOG")
    os.environ["PREVIEW_PROBE_LOG"] = str(log)
    try:
        code = cli.main([*argv, "--policy-pack", str(PROBE), "--format", "json", "--output", str(report)])
    finally:
        if previous is None:
            os.environ.pop("PREVIEW_PROBE_LOG", None)
        else:
            os.environ["PREVIEW_PROBE_LOG"] = previous
    assert code == 0, report.read_text() if report.exists() else "no report"
    return [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]


def _analyzed(entries: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {e["request"]["urn"]: e["request"] for e in entries if e["method"] == "Analyze"}


def _stack(entries: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    [stack] = [e["request"] for e in entries if e["method"] == "AnalyzeStack"]
    return {r["urn"]: r for r in stack["resources"]}


@pytest.fixture(scope="module")
def program_run(tmp_path_factory: pytest.TempPathFactory) -> Iterator[list[dict[str, Any]]]:
    scratch = tmp_path_factory.mktemp("options")
    yield _probe_run(scratch / "probe.jsonl", scratch / "report.json", str(PROGRAMS / "options"))


def test_analyze_gets_every_option_the_program_set(program_run: list[dict[str, Any]]) -> None:
    options = _analyzed(program_run)[TOPIC_URN]["options"]
    assert options == {
        "protect": True,  # inherited from the component, as the engine's inheritFromParent
        "ignoreChanges": ["displayName", "tags"],
        "deleteBeforeReplace": True,
        "deleteBeforeReplaceDefined": True,
        "additionalSecretOutputs": ["policy"],
        # The engine parses the SDK's duration strings (Go time.ParseDuration) and sends seconds.
        "customTimeouts": {"create": 300.0, "update": 5400.0, "delete": 90.0, "read": 0.0},
        # Only an alias that matched a resource of the previous state; an offline run has none.
        "aliases": [],
        "parent": BUNDLE_URN,
    }


def test_delete_before_replace_false_is_sent_as_set_and_unset_as_unset(
    program_run: list[dict[str, Any]],
) -> None:
    analyzed = _analyzed(program_run)
    plain, bundle = analyzed[PLAIN_URN]["options"], analyzed[BUNDLE_URN]["options"]
    assert (plain["deleteBeforeReplace"], plain["deleteBeforeReplaceDefined"]) == (False, True)
    assert (bundle["deleteBeforeReplace"], bundle["deleteBeforeReplaceDefined"]) == (False, False)
    assert plain["customTimeouts"] == NO_TIMEOUTS and plain["protect"] is False
    assert bundle["protect"] is True


def test_analyze_stack_gets_the_same_options(program_run: list[dict[str, Any]]) -> None:
    analyzed, stack = _analyzed(program_run), _stack(program_run)
    for urn in (TOPIC_URN, PLAIN_URN, BUNDLE_URN):
        assert stack[urn]["options"] == analyzed[urn]["options"], urn


def test_configure_stack_carries_the_config_and_its_secret_keys(program_run: list[dict[str, Any]]) -> None:
    [configure] = [e["request"] for e in program_run if e["method"] == "ConfigureStack"]
    assert configure["configSecretKeys"] == ["fixture-options:dbPassword"]
    assert configure["config"]["fixture-options:owner"] == "platform"
    assert configure["stack"] == "dev" and configure["project"] == "fixture-options"
    assert configure["dryRun"] is True


def test_a_read_is_not_analyzed_but_registers_its_default_provider(program_run: list[dict[str, Any]]) -> None:
    # The engine keeps reads apart from registrations (step_executor.go: `reads`, not `news`), so
    # neither Analyze nor AnalyzeStack sees them; the default provider the read needed is registered.
    analyzed, stack = _analyzed(program_run), _stack(program_run)
    assert READ_URN not in analyzed and READ_URN not in stack
    provider = f"{PREFIX}pulumi:providers:probe::default"
    assert provider in analyzed and provider in stack


EXPORT = {
    "version": 3,
    "deployment": {
        "resources": [
            {
                "urn": "urn:pulumi:prod::shop::pulumi:pulumi:Stack::shop-prod",
                "custom": False,
                "type": "pulumi:pulumi:Stack",
            },
            {
                "urn": "urn:pulumi:prod::shop::aws:sns/topic:Topic::alerts",
                "custom": True,
                "id": "arn:aws:sns:us-east-1:123456789012:alerts",
                "type": "aws:sns/topic:Topic",
                "inputs": {"name": "alerts"},
                "outputs": {"name": "alerts", "arn": "arn:aws:sns:us-east-1:123456789012:alerts"},
                "parent": "urn:pulumi:prod::shop::pulumi:pulumi:Stack::shop-prod",
                "protect": True,
                "ignoreChanges": ["tags"],
                "additionalSecretOutputs": ["policy"],
                "aliases": ["urn:pulumi:prod::shop::aws:sns/topic:Topic::old-alerts"],
                "customTimeouts": {"create": 300, "delete": 60},
            },
            {
                "urn": "urn:pulumi:prod::shop::aws:sns/topic:Topic::shared",
                "custom": True,
                "id": "arn:aws:sns:us-east-1:123456789012:shared",
                "type": "aws:sns/topic:Topic",
                "inputs": {"name": "shared"},
                "outputs": {"name": "shared"},
                "parent": "urn:pulumi:prod::shop::pulumi:pulumi:Stack::shop-prod",
                "external": True,
            },
        ]
    },
}


def test_a_stack_export_sends_the_options_of_the_state(tmp_path: Path) -> None:
    export = tmp_path / "export.json"
    export.write_text(json.dumps(EXPORT), encoding="utf-8")
    entries = _probe_run(tmp_path / "probe.jsonl", tmp_path / "report.json", "--stack-export", str(export))
    alerts = "urn:pulumi:prod::shop::aws:sns/topic:Topic::alerts"
    expected = {
        "protect": True,
        "ignoreChanges": ["tags"],
        # The state keeps no deleteBeforeReplace; AnalyzeSnapshot sends it unset.
        "deleteBeforeReplace": False,
        "deleteBeforeReplaceDefined": False,
        "additionalSecretOutputs": ["policy"],
        "aliases": ["urn:pulumi:prod::shop::aws:sns/topic:Topic::old-alerts"],
        "customTimeouts": {"create": 300.0, "update": 0.0, "delete": 60.0, "read": 0.0},
        "parent": "urn:pulumi:prod::shop::pulumi:pulumi:Stack::shop-prod",
    }
    assert _analyzed(entries)[alerts]["options"] == expected
    assert _stack(entries)[alerts]["options"] == expected
    # A resource the program read (`external`) is part of the state: AnalyzeSnapshot judges it too.
    shared = "urn:pulumi:prod::shop::aws:sns/topic:Topic::shared"
    assert shared in _analyzed(entries) and shared in _stack(entries)


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("5m", 300.0), ("1h30m", 5400.0), ("1.5h", 5400.0), ("90s", 90.0), ("250ms", 0.25), ("0", 0.0)],
)
def test_custom_timeouts_are_read_as_go_durations(text: str, seconds: float) -> None:
    assert duration_seconds(text) == pytest.approx(seconds)


@pytest.mark.parametrize("text", ["5", "5 m", "1e3s", "", "m", "1d"])
def test_a_custom_timeout_go_would_reject_is_an_error_naming_it(text: str) -> None:
    with pytest.raises(ValueError, match="unable to parse customTimeout Value"):
        duration_seconds(text)


def test_a_program_with_a_bad_custom_timeout_fails_with_a_message_naming_it(tmp_path: Path) -> None:
    (tmp_path / "Pulumi.yaml").write_text("name: badto\nruntime: python\n")
    (tmp_path / "__main__.py").write_text(
        "import pulumi\n"
        'pulumi.CustomResource("probe:index:Widget", "w", {}, opts=pulumi.ResourceOptions(\n'
        '    custom_timeouts=pulumi.CustomTimeouts(create="5 minutes")))\n'
    )
    with pytest.raises(ProgramError) as caught:
        run_program(tmp_path, stack="dev", mode="preview", config={})
    message = str(caught.value)
    assert "probe:index:Widget::w: customTimeouts: unable to parse customTimeout Value 5 minutes" in message
    assert "Traceback" not in message  # the engine's refusal, not our internals
