"""required-tags: every taggable type, defaultTags via tagsAll, case, empty values, unknowns, secrets."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dynamodb_guardrails.config import defaults, resolve_config
from dynamodb_guardrails.model import UNKNOWN, Resource, Violation
from dynamodb_guardrails.readers import tag_shapes
from dynamodb_guardrails.rules import required_tags
from dynamodb_guardrails.taggable_types import TAGGABLE_TYPES
from dynamodb_guardrails.views.tags import EffectiveTags
from tests.policies.strategies import junk_trees
from tests.policies.strategies_schema import junk_configs, junk_failures, junk_resources, secret_free
from tests.policies.strategies_tags import (
    REQUIRED,
    blank_values,
    full_tag_maps,
    resolve_unknowns,
    secret_values,
    tag_keys,
    tag_maps,
)

SCHEMA = required_tags.META.config_schema
CONFIG = defaults(SCHEMA)
FULL = {"Environment": "dev", "Repository": "org/repo", "Team": "data", "CostCenter": "cc-42"}
TABLE = "aws:dynamodb/table:Table"
ASG = "aws:autoscaling/group:Group"


def resource(kind: str = TABLE, **props: Any) -> Resource:
    return Resource(type=kind, name="thing", urn=f"urn:pulumi:dev::p::{kind}::thing", props=props)


def config(**overrides: Any) -> dict[str, Any]:
    return resolve_config(SCHEMA, overrides)


def quoted(message: str) -> set[str]:
    return set(re.findall(r"'([^']*)'", message))


GOOD = [
    pytest.param(resource(tags=FULL), CONFIG, id="all tags on the resource"),
    pytest.param(resource(tags={}, tagsAll=FULL), CONFIG, id="all tags from provider defaultTags"),
    pytest.param(
        resource(tags={"Team": "data"}, tagsAll={**FULL, "Team": "data"}), CONFIG, id="own and default"
    ),
    pytest.param(resource("aws:sns/topic:Topic", tags=FULL), CONFIG, id="not only tables"),
    pytest.param(resource("aws:iam/rolePolicy:RolePolicy"), CONFIG, id="untaggable type ignored"),
    pytest.param(
        resource(ASG, tags=[{"key": k, "value": v, "propagateAtLaunch": True} for k, v in FULL.items()]),
        CONFIG,
        id="autoscaling group tag list",
    ),
    pytest.param(
        resource(tags=FULL), config(allowedValues={"Environment": ["dev", "prod"]}), id="allowed value"
    ),
    pytest.param(resource(tags={"Team": "x"}), config(requiredTags=["Team"]), id="custom required keys"),
    pytest.param(resource(), config(exemptResources=["thing"]), id="exempt by name"),
    pytest.param(resource(), config(exemptResourceTypes=[TABLE]), id="exempt by type"),
]
BAD = [
    pytest.param(
        resource(), CONFIG, {"Environment", "Repository", "Team", "CostCenter"}, id="no tags at all"
    ),
    pytest.param(resource(tags={**FULL, "Team": ""}), CONFIG, {"Team"}, id="empty value"),
    pytest.param(resource(tags={**FULL, "Team": "  \t"}), CONFIG, {"Team"}, id="whitespace value"),
    pytest.param(resource(tags={**FULL, "Team": None}), CONFIG, {"Team"}, id="null value"),
    pytest.param(resource(tags={**FULL, "Team": {"a": 1}}), CONFIG, {"Team"}, id="map value is no value"),
    pytest.param(
        resource(tags={k: v for k, v in FULL.items() if k != "Team"} | {"team": "data"}),
        CONFIG,
        {"Team"},
        id="key case matters",
    ),
    pytest.param(
        resource(tags=["Team"]), config(requiredTags=["Team"]), {"Team"}, id="list where a map belongs"
    ),
    pytest.param(
        resource(ASG, tags=[{"key": "Team", "value": ""}]),
        config(requiredTags=["Team"]),
        {"Team"},
        id="ASG empty",
    ),
]


@pytest.mark.parametrize(("res", "cfg"), GOOD)
def test_good_fixtures_pass(res: Resource, cfg: dict[str, Any]) -> None:
    assert required_tags.check(res, cfg) == []


@pytest.mark.parametrize(("res", "cfg", "missing"), BAD)
def test_bad_fixtures_name_exactly_the_missing_keys(
    res: Resource, cfg: dict[str, Any], missing: set[str]
) -> None:
    [violation] = required_tags.check(res, cfg)
    assert "missing" in violation.message and "thing" in violation.message
    assert missing <= quoted(violation.message)
    assert not (set(FULL) - missing) & quoted(violation.message)


MAP_FIX = "Add them to the resource's tags or to the provider's defaultTags, with non-empty values."
LIST_FIX = "Add them to the resource's tags list, with non-empty values."
DISALLOWED = (
    "with a value the policy does not allow. Use one of the values listed for each key in the policy's "
    "allowedValues config."
)


def missing_message(
    keys: str, kind: str = TABLE, fix: str = MAP_FIX, hint: str = "", source: str | None = None
) -> str:
    source = source or ("tags list" if kind == ASG else "tags")
    absent = f"(absent or empty in {source}{hint})"
    return f"Resource 'thing' ({kind}) is missing required tag(s) {keys} {absent}. {fix}"


def test_missing_tags_message_names_every_key_and_the_fix() -> None:
    [violation] = required_tags.check(resource(tags={"Team": "data", "CostCenter": ""}), CONFIG)
    assert violation.message == missing_message("'Environment', 'Repository', 'CostCenter'")


def test_case_only_difference_is_named_in_full() -> None:
    tags = {"environment": "dev", "TEAM": "x", "CostCenter": ""}
    [violation] = required_tags.check(resource(tags=tags), CONFIG)
    assert violation.message == missing_message(
        "'Environment', 'Repository', 'Team', 'CostCenter'",
        hint="; tag keys are case-sensitive and 'Environment', 'Team' only exist with other casing",
    )


def test_disallowed_values_message_names_the_keys() -> None:
    cfg = config(allowedValues={"Environment": ["prod"], "Team": ["data"], "Repository": []})
    [violation] = required_tags.check(resource(tags={**FULL, "Environment": "dev", "Team": "ops"}), cfg)
    assert violation.message == f"Resource 'thing' ({TABLE}) has tag(s) 'Environment', 'Team' {DISALLOWED}"


def test_missing_and_disallowed_are_two_findings() -> None:
    cfg = config(allowedValues={"Environment": ["prod"]})
    messages = [v.message for v in required_tags.check(resource(tags={"Environment": " dev "}), cfg)]
    assert messages == [
        missing_message("'Repository', 'Team', 'CostCenter'"),
        f"Resource 'thing' ({TABLE}) has tag(s) 'Environment' {DISALLOWED}",
    ]


@pytest.mark.parametrize(
    ("value", "allowed", "ok"),
    [
        (True, ["true"], True),
        (False, ["false"], True),
        (True, ["false"], False),
        (False, ["true"], False),
        (True, ["True"], False),
        (7, ["7"], True),
        (" prod ", ["prod"], True),
    ],
)
def test_non_string_tag_values_are_compared_as_the_wire_sends_them(
    value: Any, allowed: list[str], ok: bool
) -> None:
    # Booleans become "true"/"false" on the wire; numbers their decimal text.
    cfg = config(requiredTags=["Flag"], allowedValues={"Flag": allowed})
    violations = required_tags.check(resource(tags={"Flag": value}), cfg)
    assert violations == (
        [] if ok else [Violation(f"Resource 'thing' ({TABLE}) has tag(s) 'Flag' {DISALLOWED}")]
    )


@pytest.mark.parametrize(
    ("tags", "missing"),
    [
        pytest.param([], "'Team', 'CostCenter'", id="empty list"),
        pytest.param([{"key": "Team", "value": "data"}], "'CostCenter'", id="a key lacks entirely"),
        pytest.param(["junk", 3, {"key": "Team", "value": "data"}], "'CostCenter'", id="junk entries first"),
        pytest.param([{"key": 7, "value": "x"}, {"value": "x"}], "'Team', 'CostCenter'", id="keys not text"),
        pytest.param({"key": "Team", "value": "data"}, "'Team', 'CostCenter'", id="a map is no tag list"),
        pytest.param("Team", "'Team', 'CostCenter'", id="text is no tag list"),
    ],
)
def test_tag_lists_report_missing_keys_with_the_list_fix(tags: Any, missing: str) -> None:
    cfg = config(requiredTags=["Team", "CostCenter"])
    [violation] = required_tags.check(resource(ASG, tags=tags), cfg)
    assert violation.message == missing_message(missing, kind=ASG, fix=LIST_FIX)


@pytest.mark.parametrize(
    ("tags", "missing"),
    [
        pytest.param([UNKNOWN, {"key": "Team", "value": "data"}], None, id="unknown entry may be any key"),
        pytest.param(
            [{"key": UNKNOWN, "value": "x"}, {"key": "Team", "value": "data"}], None, id="unknown key"
        ),
        pytest.param(
            [{"key": "Team", "value": UNKNOWN}, {"key": "CostCenter", "value": "c"}], None, id="unknown value"
        ),
        pytest.param(
            [UNKNOWN, {"key": "Team", "value": ""}], "'Team'", id="known empty value is still missing"
        ),
        pytest.param(UNKNOWN, None, id="unknown list"),
    ],
)
def test_tag_lists_with_unknowns_report_only_what_is_known(tags: Any, missing: str | None) -> None:
    cfg = config(requiredTags=["Team", "CostCenter"])
    messages = [v.message for v in required_tags.check(resource(ASG, tags=tags), cfg)]
    assert messages == ([] if missing is None else [missing_message(missing, kind=ASG, fix=LIST_FIX)])


def effective_tags(res: Resource) -> EffectiveTags | None:
    """The tags the rule judges for a classic resource or a tag-list type (readers/tag_shapes)."""
    if res.type == ASG:
        return tag_shapes.tag_list(res.props.get("tags"))
    return tag_shapes.classic_tags(res.props, res.provider_props)


@pytest.mark.parametrize(
    ("props", "expected"),
    [
        ({}, EffectiveTags({}, complete=True)),
        (
            {"tags": {"A": "1"}, "tagsAll": {"A": "2", "B": "3"}},
            EffectiveTags({"A": "2", "B": "3"}, source="tagsAll"),
        ),
        ({"tags": {"A": "1"}, "tagsAll": UNKNOWN}, EffectiveTags({"A": "1"}, complete=False)),
        (
            {"tags": UNKNOWN, "tagsAll": {"A": "2"}},
            EffectiveTags({"A": "2"}, complete=False, source="tagsAll"),
        ),
        ({"tags": UNKNOWN, "tagsAll": None}, None),
        ({"tags": "junk", "tagsAll": ["junk"]}, EffectiveTags({}, source="tagsAll")),
    ],
)
def test_effective_tags(props: dict[str, Any], expected: EffectiveTags | None) -> None:
    assert effective_tags(resource(**props)) == expected


@pytest.mark.parametrize(
    ("tags", "expected"),
    [
        ([], EffectiveTags({}, complete=True, source="tags list")),
        (
            ["junk", {"key": "A", "value": "1"}],
            EffectiveTags({"A": "1"}, complete=True, source="tags list"),
        ),
        (
            [UNKNOWN, {"key": "A", "value": "1"}],
            EffectiveTags({"A": "1"}, complete=False, source="tags list"),
        ),
        (
            [{"key": UNKNOWN}, {"key": "A"}],
            EffectiveTags({"A": None}, complete=False, source="tags list"),
        ),
        ({"key": "A", "value": "1"}, EffectiveTags({}, complete=True, source="tags list")),
        (UNKNOWN, None),
    ],
)
def test_effective_tags_of_tag_lists(tags: Any, expected: EffectiveTags | None) -> None:
    assert effective_tags(resource(ASG, tags=tags)) == expected


def test_tags_all_known_while_tags_are_unknown_judges_the_known_values() -> None:
    # Own tags may still add keys, but a value tagsAll shows empty is the provider's final word.
    [violation] = required_tags.check(
        resource(tags=UNKNOWN, tagsAll={"Team": " ", "Environment": "dev"}), CONFIG
    )
    assert violation.message == missing_message("'Team'", source="tagsAll")


def test_case_only_difference_is_explained() -> None:
    [violation] = required_tags.check(
        resource(tags={"environment": "dev"}), config(requiredTags=["Environment"])
    )
    assert "case-sensitive" in violation.message


def test_disallowed_value_names_the_key_not_the_value() -> None:
    res = resource(tags={**FULL, "Environment": "s3cr3t-staging"})
    [violation] = required_tags.check(res, config(allowedValues={"Environment": ["dev", "prod"]}))
    assert "'Environment'" in violation.message and "allowedValues" in violation.message
    assert "s3cr3t" not in violation.message


def test_allowed_values_apply_to_the_effective_tags() -> None:
    cfg = config(allowedValues={"Environment": ["prod"]})
    # tagsAll is the provider's merge: it has the last word over `tags`.
    assert (
        required_tags.check(
            resource(tags={"Environment": "dev"}, tagsAll={**FULL, "Environment": "prod"}), cfg
        )
        == []
    )
    assert len(required_tags.check(resource(tags={}, tagsAll=FULL), cfg)) == 1


def test_tags_fill_keys_missing_from_tags_all() -> None:
    assert (
        required_tags.check(
            resource(tags={"Team": "data"}, tagsAll={k: v for k, v in FULL.items() if k != "Team"}), CONFIG
        )
        == []
    )


@pytest.mark.parametrize(
    "props",
    [
        {"tags": UNKNOWN},
        {"tags": UNKNOWN, "tagsAll": UNKNOWN},
        {"tags": {}, "tagsAll": UNKNOWN},
        {"tags": {k: UNKNOWN for k in FULL}},
        {"tags": UNKNOWN, "tagsAll": {"Team": "data"}},
    ],
)
def test_unknown_tags_are_not_judged_during_preview(props: dict[str, Any]) -> None:
    cfg = config(allowedValues={"Team": ["data"], "Environment": ["prod"]})
    assert required_tags.check(resource(**props), cfg) == []


def test_known_empty_own_value_is_missing_even_when_tags_all_is_unknown() -> None:
    # Own tags win over defaultTags, so an empty own value is final.
    [violation] = required_tags.check(resource(tags={"Team": " "}, tagsAll=UNKNOWN), CONFIG)
    assert quoted(violation.message) >= {"Team"}
    assert not {"Environment", "Repository", "CostCenter"} & quoted(violation.message)


def test_pack_covers_every_taggable_type() -> None:
    assert required_tags.META.resource_types is not None
    assert required_tags.META.resource_types >= TAGGABLE_TYPES
    assert ASG in required_tags.META.resource_types


taggable = st.sampled_from(sorted(TAGGABLE_TYPES))


@given(junk_trees, st.one_of(taggable, st.just(ASG)), st.one_of(st.just(CONFIG), junk_trees))
def test_never_raises_on_junk(props: Any, kind: str, cfg: Any) -> None:
    res = resource(kind, **props) if isinstance(props, dict) else resource(kind, tags=props)
    required_tags.check(res, cfg if isinstance(cfg, dict) else resolve_config(SCHEMA, None))


@given(tag_maps, st.one_of(st.none(), tag_maps), taggable)
def test_secret_values_never_appear_in_messages(tags: dict[str, Any], tags_all: Any, kind: str) -> None:
    cfg = config(allowedValues={"Environment": ["dev"], "Team": ["data"]})
    for violation in required_tags.check(resource(kind, tags=tags, tagsAll=tags_all), cfg):
        assert "s3cr3t" not in violation.message


@given(tag_maps, st.one_of(st.none(), tag_maps), tag_keys, secret_values)
def test_adding_a_required_tag_never_adds_a_violation(
    tags: dict[str, Any], tags_all: Any, key: str, value: str
) -> None:
    cfg = config(requiredTags=[*REQUIRED, key])
    before = required_tags.check(resource(tags=tags, tagsAll=tags_all), cfg)
    after_tags_all = {**tags_all, key: value} if tags_all is not None else None
    after = required_tags.check(resource(tags={**tags, key: value}, tagsAll=after_tags_all), cfg)
    assert len(after) <= len(before)
    missing_after = {k for v in after if "missing" in v.message for k in quoted(v.message)}
    assert key not in missing_after


@given(full_tag_maps, st.sampled_from(REQUIRED), blank_values)
def test_blank_value_counts_as_missing(tags: dict[str, str], key: str, blank: str) -> None:
    assert required_tags.check(resource(tags=tags), CONFIG) == []
    [violation] = required_tags.check(resource(tags={**tags, key: blank}), CONFIG)
    assert key in quoted(violation.message)


@given(full_tag_maps, st.sampled_from(REQUIRED))
def test_key_case_matters(tags: dict[str, str], key: str) -> None:
    renamed = {k.lower() if k == key else k: v for k, v in tags.items()}
    [violation] = required_tags.check(resource(tags=renamed), CONFIG)
    assert key in quoted(violation.message)


@given(tag_maps, full_tag_maps)
def test_tags_all_supplies_default_tags(tags: dict[str, Any], defaults_: dict[str, str]) -> None:
    # tagsAll holds the provider's merge: own tags win, so build it the way the provider does.
    tags_all = {**defaults_, **tags}
    own_blank = {k for k, v in tags.items() if k in REQUIRED and isinstance(v, str) and not v.strip()}
    violations = required_tags.check(resource(tags=tags, tagsAll=tags_all), CONFIG)
    flagged = {k for v in violations for k in quoted(v.message)} & set(REQUIRED)
    assert flagged == own_blank


def provider_merge(defaults_: Any, own: Any) -> Any:
    """`tagsAll` as pulumi-aws computes it: defaultTags overlaid with the resource's own tags."""
    if isinstance(defaults_, dict) and isinstance(own, dict):
        return {**defaults_, **own}
    return UNKNOWN if UNKNOWN in (defaults_, own) else defaults_


@given(st.one_of(tag_maps, st.just(UNKNOWN)), st.one_of(st.none(), st.just(UNKNOWN), tag_maps), st.data())
def test_unknowns_never_add_violations(own: Any, defaults_: Any, data: st.DataObject) -> None:
    """Whatever the unknowns turn out to be, the keys flagged now are still flagged then."""
    cfg = config(allowedValues={"Environment": ["dev"]})
    now = required_tags.check(resource(tags=own, tagsAll=provider_merge(defaults_, own)), cfg)
    own_later = resolve_unknowns(own, data.draw)
    defaults_later = resolve_unknowns(defaults_, data.draw)
    later = required_tags.check(
        resource(tags=own_later, tagsAll=provider_merge(defaults_later, own_later)), cfg
    )
    for violation in now:
        kind = "missing" if "missing" in violation.message else "allow"
        matching = [v for v in later if kind in v.message]
        assert matching and quoted(violation.message) <= quoted(matching[0].message)


@given(junk_resources(required_tags), junk_configs(required_tags))
def test_schema_junk_never_raises_nor_echoes_values(res: Resource, cfg: dict[str, Any]) -> None:
    violations = required_tags.check(res, cfg)
    assert secret_free([v.message for v in violations])
    assert all(v.message.startswith(f"Resource 'thing' ({res.type}) ") for v in violations)


def test_every_key_with_every_wrong_value_never_raises_nor_echoes_values() -> None:
    """Every property the rule reads (strategies_schema), absent or holding each wrong type, one at a time."""

    def judge(resource: Resource, config: Mapping[str, Any]) -> list[str]:
        return [v.message for v in required_tags.check(resource, config)]

    assert junk_failures(required_tags, judge) == []


# --- provider defaultTags when the engine sends no tagsAll (Plugin Framework types) ----------


@pytest.mark.parametrize(
    ("provider", "expected"),
    [
        (None, None),
        ({}, None),
        ({"defaultTags": '{"tags": {"A": "1"}}'}, {"A": "1"}),  # provider objects travel as JSON text
        ({"defaultTags": {"tags": {"A": "1"}}}, {"A": "1"}),
        ({"defaultTags": UNKNOWN}, UNKNOWN),
        ({"defaultTags": {"tags": UNKNOWN}}, UNKNOWN),
        ({"defaultTags": {"tags": "junk"}}, None),
        ({"defaultTags": "not json"}, None),
    ],
)
def test_provider_default_tags(provider: Any, expected: Any) -> None:
    assert tag_shapes.provider_default_tags(provider) == expected


def with_provider(defaults: Any, **props: Any) -> Resource:
    base = resource(**props)
    return Resource(
        base.type, base.name, base.urn, base.props, provider_props={"defaultTags": {"tags": defaults}}
    )


@pytest.mark.parametrize(
    ("res", "expected"),
    [
        (
            with_provider({"A": "1", "B": "2"}, tags={"B": "3"}),
            EffectiveTags({"A": "1", "B": "3"}, source=tag_shapes.WITH_DEFAULTS),
        ),
        (
            with_provider({"A": "1"}),
            EffectiveTags({"A": "1"}, source=tag_shapes.WITH_DEFAULTS),
        ),
        (
            with_provider(UNKNOWN, tags={"A": "1"}),
            EffectiveTags({"A": "1"}, complete=False, source=tag_shapes.WITH_DEFAULTS),
        ),
        (with_provider({"A": "1"}, tags=UNKNOWN), None),
        # The engine's tagsAll is the provider's own merge: it wins over re-merging the defaults.
        (
            with_provider({"A": "1"}, tags={}, tagsAll={"B": "2"}),
            EffectiveTags({"B": "2"}, source="tagsAll"),
        ),
    ],
)
def test_effective_tags_with_provider_defaults(res: Resource, expected: Any) -> None:
    assert effective_tags(res) == expected


def test_missing_tags_with_provider_defaults_name_the_merge() -> None:
    res = with_provider({"Environment": "dev", "Repository": "r"}, tags={"Team": "t", "Repository": " "})
    [violation] = required_tags.check(res, CONFIG)
    assert violation.message == missing_message(
        "'Repository', 'CostCenter'", source="tags + provider defaultTags"
    )
