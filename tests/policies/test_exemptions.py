"""Reviewed exemptions as pure functions: which findings they suppress, when they stop, what the
finding then says, and tag exemptions. Dates are passed in: nothing here depends on today."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import jsonschema
import pytest

from dynamodb_guardrails.exemptions import (
    SUPPRESSED_PREFIX,
    Decision,
    Exemption,
    Suppression,
    apply_exemptions,
    encode_suppressions,
    exemption_schema,
    is_exempt,
    is_exempt_view,
    is_suppressed,
    log_line,
)
from dynamodb_guardrails.model import UNKNOWN, Resource, Violation
from dynamodb_guardrails.rules import ALL_RULES, billing_mode, required_tags, table_alarms
from policy_preview.analyzer.suppressions import SUPPRESSED_PREFIX as PREVIEW_PREFIX
from policy_preview.analyzer.suppressions import parse_suppressed

POLICY = billing_mode.META.name
TODAY = date(2026, 6, 15)
URN = "urn:pulumi:dev::app::tap:stack:DynamoDbStack$aws:dynamodb/table:Table::events-dev"


def table(name: str = "events-dev", urn: str = URN, **props: Any) -> Resource:
    return Resource(type="aws:dynamodb/table:Table", name=name, urn=urn, props=props)


def decide(config: dict[str, Any], resource: Resource | None = None, today: date = TODAY) -> Any:
    return apply_exemptions([Violation("bad")], resource or table(), config, policy=POLICY, today=today)


def exemption(**fields: Any) -> dict[str, Any]:
    return {
        "exemptions": [{"resources": ["events-dev"], "reason": "load test until the migration", **fields}]
    }


@pytest.mark.parametrize(
    "pattern",
    ["events-dev", URN, "events-*", "*::events-dev", "urn:pulumi:dev::app::*aws:dynamodb/table:Table::*"],
)
def test_an_active_exemption_matches_names_urns_and_globs(pattern: str) -> None:
    decision = decide(
        {"exemptions": [{"resources": ["other", pattern], "reason": "ok", "owner": "data-team"}]}
    )
    assert decision.reported == ()
    [suppressed] = decision.suppressed
    assert (suppressed.urn, suppressed.message, suppressed.matched) == (URN, "bad", pattern)
    assert (suppressed.exemption.reason, suppressed.exemption.owner) == ("ok", "data-team")


def test_an_exemption_for_other_resources_suppresses_nothing() -> None:
    decision = decide({"exemptions": [{"resources": ["events", "users-*"], "reason": "ok"}]})
    assert decision.reported == (Violation("bad"),) and decision.suppressed == ()


def test_an_exemption_applies_through_its_expiry_day_and_not_after() -> None:
    config = exemption(expires="2026-06-15", owner="data-team")
    assert decide(config, today=date(2026, 6, 15)).suppressed
    [reported] = decide(config, today=date(2026, 6, 16)).reported
    assert reported.message.startswith(
        "bad An exemption for this resource (owner: data-team) expired on 2026-06-15"
    )
    assert "extend `expires`" in reported.message


@pytest.mark.parametrize("expires", ["2026-02-30", "2026-6-1", "20260601", "tomorrow"])
def test_an_unreadable_expiry_date_ends_the_exemption(expires: str) -> None:
    [reported] = decide(exemption(expires=expires)).reported
    assert "unreadable `expires` date" in reported.message


def test_an_active_exemption_wins_over_an_expired_one() -> None:
    config = {
        "exemptions": [
            {"resources": ["events-dev"], "reason": "old", "expires": "2026-01-01"},
            {"resources": ["events-*"], "reason": "renewed", "expires": "2026-12-31"},
        ]
    }
    [suppressed] = decide(config).suppressed
    assert suppressed.exemption.reason == "renewed"


@pytest.mark.parametrize(
    "entry",
    [
        {"resources": ["events-dev"]},
        {"resources": ["events-dev"], "reason": "  "},
        {"reason": "x"},
        "events-dev",
        None,
    ],
)
def test_malformed_entries_never_exempt_and_never_crash(entry: Any) -> None:
    assert decide({"exemptions": [entry]}).reported == (Violation("bad"),)
    assert decide({"exemptions": "events-dev"}).reported == (Violation("bad"),)


TAG = f"policy-exemption:{POLICY}"


def test_tag_exemptions_work_only_when_the_policy_allows_them() -> None:
    tagged = table(tags={TAG: "  sandbox  table, deleted   weekly ", "Team": "t"})
    [suppressed] = decide({"allowTagExemptions": True}, tagged).suppressed
    assert suppressed.exemption.source == "tag" and suppressed.matched == TAG
    assert suppressed.exemption.reason == "sandbox table, deleted weekly"
    [reported] = decide({}, tagged).reported
    assert (
        reported.message
        == f"bad The tag `{TAG}` does not exempt it: tag exemptions are not enabled for this policy."
    )


def test_a_tag_exemption_needs_a_reason() -> None:
    [reported] = decide({"allowTagExemptions": True}, table(tags={TAG: " "})).reported
    assert "has no reason as its value" in reported.message
    # A tag for another policy is not this policy's business.
    assert decide(
        {"allowTagExemptions": True}, table(tags={f"policy-exemption:{required_tags.META.name}": "x"})
    ).reported == (Violation("bad"),)


def test_an_unknown_tag_value_suppresses_during_preview_rather_than_fail() -> None:
    [suppressed] = decide({"allowTagExemptions": True}, table(tags={TAG: UNKNOWN})).suppressed
    assert "not known until the update" in suppressed.exemption.reason
    assert decide({"allowTagExemptions": True}, table(tags=UNKNOWN)).reported == (Violation("bad"),)


def test_a_stack_policy_finding_is_exempt_by_the_resource_it_names() -> None:
    alarm_urn = URN.replace("events-dev", "events-dev-errors")
    resources = {URN: table(), alarm_urn: table("events-dev-errors", alarm_urn)}
    violations = [Violation("table has no alarm", URN), Violation("alarm can never fire", alarm_urn)]
    decision = apply_exemptions(
        violations, None, exemption(), policy=table_alarms.META.name, today=TODAY, resources=resources
    )
    assert [s.urn for s in decision.suppressed] == [URN]
    assert [v.urn for v in decision.reported] == [alarm_urn]


def test_is_suppressed_tells_remediation_to_leave_the_resource_alone() -> None:
    assert is_suppressed(table(), exemption(), policy=POLICY, today=TODAY)
    assert not is_suppressed(table(), exemption(expires="2026-06-14"), policy=POLICY, today=TODAY)


def test_suppressions_travel_in_the_format_the_preview_reads() -> None:
    assert (
        SUPPRESSED_PREFIX == PREVIEW_PREFIX
    )  # one format, kept in two packages that never import each other
    config = exemption(owner="data-team", expires="2026-12-31")
    reason = encode_suppressions(decide(config).suppressed)
    assert reason.startswith(SUPPRESSED_PREFIX)
    assert parse_suppressed(reason) == [
        {
            "urn": URN,
            "message": "bad",
            "source": "config",
            "matched": "events-dev",
            "reason": "load test until the migration",
            "owner": "data-team",
            "expires": "2026-12-31",
        }
    ]
    assert parse_suppressed(SUPPRESSED_PREFIX + "{not json") is None
    assert parse_suppressed("internal error in policy x") is None


@pytest.mark.parametrize("rule", ALL_RULES, ids=lambda r: r.meta.name)
def test_every_policy_accepts_the_same_exemption_config(rule: Any) -> None:
    schema = rule.meta.config_schema
    for key, prop in exemption_schema("x").items():
        assert schema[key]["type"] == prop["type"] and schema[key].get("items") == prop.get("items"), key
    validator = jsonschema.Draft7Validator({"type": "object", "properties": dict(schema)})
    validator.validate(exemption(owner="o", expires="2026-12-31"))
    for bad in (
        {"exemptions": [{"resources": ["x"]}]},  # no reason
        {"exemptions": [{"resources": [], "reason": "r"}]},
        {"exemptions": [{"resources": ["x"], "reason": "r", "expires": "31/12/2026"}]},
        {"exemptions": [{"resources": ["x"], "reason": "r", "approvedBy": "me"}]},  # a typo'd key
        {"allowTagExemptions": "yes"},
    ):
        with pytest.raises(jsonschema.ValidationError):
            validator.validate(bad)
    json.dumps(schema)  # the schema travels over the protocol as JSON


# --- the legacy exemptResources list ---------------------------------------------------------------


@pytest.mark.parametrize("listed", [["events-dev"], [URN], "events-dev", ["other", "events-dev"]])
def test_a_resource_listed_by_name_or_urn_in_exempt_resources_is_exempt(listed: Any) -> None:
    assert is_exempt(table(), {"exemptResources": listed})


@pytest.mark.parametrize(
    "config",
    [{}, {"exemptResources": ["events-*"]}, {"exemptResources": [URN.upper()]}, {"exemptResources": UNKNOWN}],
)
def test_exempt_resources_takes_exact_names_only(config: dict[str, Any]) -> None:
    assert not is_exempt(table(), config)  # no globs, no case folding, nothing unknown


def test_a_view_is_exempt_under_any_of_its_names() -> None:
    config = {"exemptResources": ["app-stack/EventsTable"]}
    assert is_exempt_view(["events-dev", "app-stack/EventsTable"], config)
    assert not is_exempt_view(["events-dev", URN], config)
    assert not is_exempt_view([], config)


# --- what the pack's log says ----------------------------------------------------------------------


def suppression(urn: str = URN, **fields: Any) -> Suppression:
    return Suppression(urn, "bad", Exemption(source="config", reason="load test", **fields), "events-dev")


@pytest.mark.parametrize(
    ("fields", "details"),
    [
        ({}, ""),
        ({"owner": "data-team"}, " (owner: data-team)"),
        ({"expires": "2026-12-31"}, " (expires: 2026-12-31)"),
        (
            {"owner": "data-team", "expires": "2026-12-31", "tag": "policy-exemption:x"},
            " (owner: data-team, expires: 2026-12-31, tag: policy-exemption:x)",
        ),
    ],
)
def test_the_log_line_names_the_policy_the_resource_and_the_exemption(fields: Any, details: str) -> None:
    assert log_line(POLICY, suppression(**fields)) == (
        f"policy {POLICY}: finding on 'events-dev' suppressed by exemption{details}: load test"
    )


def test_the_log_line_names_the_resource_by_its_name_even_one_with_colons() -> None:
    urn = "urn:pulumi:dev::app::aws:dynamodb/table:Table::odd::name"
    assert "finding on 'odd::name' suppressed" in log_line(POLICY, suppression(urn=urn))


def test_the_log_line_shows_a_urn_it_cannot_shorten_whole() -> None:
    assert "finding on 'not-a-urn' suppressed" in log_line(POLICY, suppression(urn="not-a-urn"))
    assert "finding on 'a::b::c' suppressed" in log_line(POLICY, suppression(urn="a::b::c"))


# --- what remediation, expired exemptions and the preview's channel rely on -----------------------


def test_is_suppressed_reads_the_tag_of_this_policy_only_when_tag_exemptions_are_on() -> None:
    tagged = table(tags={TAG: "sandbox"})
    assert is_suppressed(tagged, {"allowTagExemptions": True}, policy=POLICY, today=TODAY)
    assert not is_suppressed(tagged, {}, policy=POLICY, today=TODAY)
    assert not is_suppressed(tagged, {"allowTagExemptions": "yes"}, policy=POLICY, today=TODAY)  # True only
    other = required_tags.META.name
    assert not is_suppressed(tagged, {"allowTagExemptions": True}, policy=other, today=TODAY)


def test_a_tag_exemption_records_its_tag_and_a_pending_one_says_so() -> None:
    [known] = decide({"allowTagExemptions": True}, table(tags={TAG: "sandbox"})).suppressed
    assert (known.exemption.source, known.exemption.tag, known.matched) == ("tag", TAG, TAG)
    [pending] = decide({"allowTagExemptions": True}, table(tags={TAG: UNKNOWN})).suppressed
    assert (pending.exemption.source, pending.exemption.reason, pending.exemption.tag, pending.matched) == (
        "tag",
        "tag value not known until the update",
        TAG,
        TAG,
    )


@pytest.mark.parametrize("tags", [UNKNOWN, None, "junk"])
def test_unknown_or_junk_tags_exempt_nothing(tags: Any) -> None:
    assert decide({"allowTagExemptions": True}, table(tags=tags)).reported == (Violation("bad"),)


def test_an_expired_exemption_without_an_owner_says_so_plainly() -> None:
    [reported] = decide(exemption(expires="2026-06-14")).reported
    assert reported.message == (
        "bad An exemption for this resource expired on 2026-06-14 and no longer applies: fix the "
        "resource, or review the exemption and extend `expires`."
    )


def test_an_expired_exemption_and_a_tag_that_cannot_exempt_are_both_told() -> None:
    tagged = table(tags={TAG: "sandbox"})
    [disabled] = decide(exemption(expires="2026-06-14"), tagged).reported
    assert disabled.message == (
        "bad An exemption for this resource expired on 2026-06-14 and no longer applies: fix the "
        "resource, or review the exemption and extend `expires`. The tag "
        f"`{TAG}` does not exempt it: tag exemptions are not enabled for this policy."
    )
    config = {**exemption(expires="2026-06-14"), "allowTagExemptions": True}
    [empty] = decide(config, table(tags={TAG: ""})).reported
    assert empty.message.endswith(
        f"extend `expires`. The tag `{TAG}` has no reason as its value, so it does not exempt the resource."
    )


def test_a_stack_finding_keeps_its_urn_when_an_expired_exemption_adds_a_note() -> None:
    other = "urn:pulumi:dev::app::aws:dynamodb/table:Table::events-dev"
    decision = apply_exemptions(
        [Violation("bad", other)], None, exemption(expires="2026-06-14"), policy=POLICY, today=TODAY
    )
    [reported] = decision.reported
    assert reported.urn == other and "expired on 2026-06-14" in reported.message


def test_a_finding_about_a_resource_named_only_by_urn_is_matched_by_the_urns_name() -> None:
    # No resource map: the name comes from the URN.
    decision = apply_exemptions([Violation("bad", URN)], None, exemption(), policy=POLICY, today=TODAY)
    assert [s.urn for s in decision.suppressed] == [URN] and decision.reported == ()


def test_a_finding_with_no_resource_at_all_is_reported_unchanged() -> None:
    decision = apply_exemptions([Violation("bad")], None, exemption(), policy=POLICY, today=TODAY)
    assert decision == Decision((Violation("bad"),), ())
    assert apply_exemptions([], table(), exemption(), policy=POLICY, today=TODAY) == Decision((), ())


def test_malformed_entries_before_a_good_one_do_not_hide_it() -> None:
    config = {
        "exemptions": [
            "junk",
            {"resources": ["events-dev"]},  # no reason
            {"resources": ["events-dev"], "reason": "good"},
        ]
    }
    [suppressed] = decide(config).suppressed
    assert suppressed.exemption.reason == "good"


def test_suppressions_are_encoded_with_sorted_keys_and_text_as_written() -> None:
    config = {"exemptions": [{"resources": ["events-dev"], "reason": "Lasttest bis März, ok"}]}
    reason = encode_suppressions(decide(config).suppressed)
    assert reason == SUPPRESSED_PREFIX + (
        '[{"expires": null, "matched": "events-dev", "message": "bad", "owner": null, '
        '"reason": "Lasttest bis März, ok", "source": "config", '
        f'"urn": "{URN}"}}]'
    )
