"""required-tags: every taggable resource carries the required tags, with allowed values."""

from dynamodb_guardrails.model import UNKNOWN
from dynamodb_guardrails.rules import required_tags
from tests.policies.kit import (
    TAGS,
    bad,
    cfn_stack,
    good,
    native_global_table,
    native_table,
    resource,
    role,
    role_policy,
    table,
    tag_list,
    topic,
)

RULE = required_tags.RULE

ASG = "aws:autoscaling/group:Group"
WITHOUT_TEAM = {k: v for k, v in TAGS.items() if k != "Team"}

CASES = (
    good("every tag on the resource", table(tags=TAGS)),
    good("every tag from provider defaultTags", table(tags={}, tagsAll=TAGS)),
    good("not only tables", topic(tags=TAGS)),
    good("untaggable type", role_policy("p", policy="{}")),
    good("tag map unknown during preview", table(tags=UNKNOWN)),
    good("defaultTags unknown during preview", table(tags=WITHOUT_TEAM, tagsAll=UNKNOWN)),
    good(
        "autoscaling group tag list",
        resource(
            ASG, "workers", tags=[{"key": k, "value": v, "propagateAtLaunch": True} for k, v in TAGS.items()]
        ),
    ),
    good("allowed value", table(tags=TAGS), allowedValues={"Environment": ["dev", "prod"]}),
    good("exempt type", topic(), exemptResourceTypes=["aws:sns/topic:Topic"]),
    good("exempt resource", topic(), exemptResources=["alarms"]),
    bad("no tags at all", table()),
    bad("one tag missing", role("app-role", tags=WITHOUT_TEAM)),
    bad("empty and blank values", table(tags={**TAGS, "Team": "", "CostCenter": "  "})),
    bad("key in other casing", table(tags={**WITHOUT_TEAM, "team": "data"})),
    bad("value not allowed", table(tags=TAGS), allowedValues={"Environment": ["prod"]}),
    bad("extra required tag", table(tags=TAGS), requiredTags=[*TAGS, "Owner"]),
    bad("autoscaling group without tags", resource(ASG, "workers", tags=[])),
    # the other roads
    good("aws-native tags list", native_table(tags=tag_list())),
    bad(
        "aws-native tags list without Team",
        native_table(tags=tag_list({k: v for k, v in TAGS.items() if k != "Team"})),
    ),
    bad(
        "global table replica without tags",
        native_global_table(replicas=[{"region": "us-east-1", "tags": tag_list()}, {"region": "eu-west-1"}]),
    ),
    good(
        "template resource takes the stack's tags",
        cfn_stack(
            "cfn",
            {"Resources": {"T": {"Type": "AWS::SNS::Topic", "Properties": {}}}},
            tags=TAGS,
            tagsAll=TAGS,
        ),
    ),
    bad(
        "template resource with a blank Team",
        cfn_stack(
            "cfn",
            {
                "Resources": {
                    "T": {"Type": "AWS::SNS::Topic", "Properties": {"Tags": [{"Key": "Team", "Value": " "}]}}
                }
            },
            tags=TAGS,
            tagsAll=TAGS,
        ),
    ),
)
