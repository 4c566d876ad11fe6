"""`--policy-pack-config` as the CLI reads it: defaults, levels, properties, and clear errors."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from policy_preview.analyzer.client import AnalyzerInfo, PolicyConfig, PolicyInfo
from policy_preview.analyzer.pack_config import load_pack_config_file, reconcile_pack_config
from policy_preview.errors import ConfigError

BILLING = PolicyInfo(
    name="billing",
    description="On-demand tables.",
    enforcement_level="mandatory",
    policy_type="resource",
    config_schema={
        "properties": {"exemptResources": {"type": "array", "items": {"type": "string"}, "default": []}},
        "required": [],
    },
)
TAGS = PolicyInfo(
    name="tags",
    description="Required tags.",
    enforcement_level="advisory",
    policy_type="resource",
    config_schema={
        "properties": {
            "requiredTags": {"type": "array", "items": {"type": "string"}, "default": ["Team"]},
            "limit": {"type": "integer", "minimum": 1},
        },
        "required": ["requiredTags"],
    },
)
PLAIN = PolicyInfo(name="plain", description="No config.", enforcement_level="advisory", policy_type="stack")
INFO = AnalyzerInfo(
    name="pack", version="1.0.0", description="", supports_config=True, policies=(BILLING, TAGS, PLAIN)
)


def _reconcile(raw: dict[str, Any] | None, info: AnalyzerInfo = INFO) -> dict[str, PolicyConfig]:
    return reconcile_pack_config(info, raw, "cfg.json")


def test_without_a_file_every_policy_gets_its_level_and_schema_defaults() -> None:
    config = _reconcile(None)
    assert config["billing"] == PolicyConfig("mandatory", {"exemptResources": []})
    assert config["tags"] == PolicyConfig("advisory", {"requiredTags": ["Team"]})
    assert config["plain"] == PolicyConfig("advisory", {})


def test_a_level_string_or_an_object_sets_level_and_properties() -> None:
    config = _reconcile({"billing": "disabled", "tags": {"enforcementLevel": "mandatory", "limit": 2}})
    assert config["billing"] == PolicyConfig("disabled", {"exemptResources": []})
    assert config["tags"] == PolicyConfig("mandatory", {"requiredTags": ["Team"], "limit": 2})


def test_properties_without_a_level_keep_the_policy_level() -> None:
    assert _reconcile({"billing": {"exemptResources": ["legacy"]}})["billing"] == PolicyConfig(
        "mandatory", {"exemptResources": ["legacy"]}
    )


def test_all_sets_every_level_and_a_named_policy_still_wins() -> None:
    config = _reconcile({"all": "advisory", "billing": "remediate"})
    assert config["tags"].enforcement_level == "advisory" and config["plain"].enforcement_level == "advisory"
    assert config["billing"].enforcement_level == "remediate"


def test_initial_config_from_the_pack_applies_before_the_file() -> None:
    info = AnalyzerInfo(
        name="pack",
        version="1",
        description="",
        supports_config=True,
        policies=(BILLING, TAGS),
        initial_config={"tags": PolicyConfig("mandatory", {"limit": 5})},
    )
    assert _reconcile(None, info)["tags"] == PolicyConfig("mandatory", {"requiredTags": ["Team"], "limit": 5})
    assert _reconcile({"tags": "advisory"}, info)["tags"].enforcement_level == "advisory"


@pytest.mark.parametrize(
    ("raw", "named"),
    [
        ({"biling": "disabled"}, "'biling'"),  # a typo'd policy name
        ({"billing": "off"}, "'billing'"),  # not an enforcement level
        ({"billing": {"enforcementLevel": 3}}, "'billing'"),
        ({"billing": 7}, "'billing'"),  # neither string nor object
        ({"billing": {"exemptResources": "legacy"}}, "'exemptResources'"),  # wrong type
        ({"billing": {"exemptResources": [1]}}, "exemptResources"),
        ({"billing": {"exemptResource": []}}, "'exemptResource'"),  # unknown property
        ({"tags": {"limit": 0}}, "'limit'"),  # below the schema minimum
        ({"tags": {"requiredTags": None}}, "'requiredTags'"),
        ({"environments": ["org/env"]}, "'environments'"),  # ESC cannot be resolved offline
    ],
)
def test_bad_config_is_an_error_naming_the_key_and_the_file(raw: dict[str, Any], named: str) -> None:
    with pytest.raises(ConfigError) as caught:
        _reconcile(raw)
    assert named in caught.value.message and "cfg.json" in caught.value.message
    assert caught.value.exit_code == 2


def test_a_required_property_without_default_must_be_given() -> None:
    needs = PolicyInfo(
        name="needs",
        description="",
        enforcement_level="advisory",
        policy_type="resource",
        config_schema={"properties": {"owner": {"type": "string"}}, "required": ["owner"]},
    )
    info = AnalyzerInfo(name="pack", version="1", description="", supports_config=True, policies=(needs,))
    with pytest.raises(ConfigError, match="owner"):
        _reconcile(None, info)
    assert _reconcile({"needs": {"owner": "data-team"}}, info)["needs"].properties == {"owner": "data-team"}


def test_config_for_a_pack_without_config_support_is_an_error() -> None:
    info = AnalyzerInfo(name="old", version="1", description="", supports_config=False, policies=(PLAIN,))
    with pytest.raises(ConfigError, match="does not support config"):
        _reconcile({"plain": "disabled"}, info)


def test_config_file_errors_say_where(tmp_path: Path) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text('{\n  "billing": "disabled",\n}\n')
    with pytest.raises(ConfigError, match=r"broken.json is not valid JSON: .* line 3"):
        load_pack_config_file(broken)
    array = tmp_path / "array.json"
    array.write_text('["billing"]')
    with pytest.raises(ConfigError, match="must be a JSON object"):
        load_pack_config_file(array)
    with pytest.raises(ConfigError, match="cannot read"):
        load_pack_config_file(tmp_path / "missing.json")


def test_an_empty_config_file_means_no_config(tmp_path: Path) -> None:
    empty = tmp_path / "empty.json"
    empty.write_text("  \n")
    assert load_pack_config_file(empty) == {}
