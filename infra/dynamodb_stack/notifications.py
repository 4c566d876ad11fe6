"""Where alarms send ALARM and OK notifications: an existing SNS topic, or one the stack creates."""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from dynamodb_stack import naming
from dynamodb_stack.args import DynamoDbStackArgs


@dataclass(frozen=True)
class AlarmTarget:
    topic_arn: pulumi.Input[str]
    topic: aws.sns.Topic | None = None  # None when the topic is an existing one from config


def create_alarm_target(parent: pulumi.Resource, args: DynamoDbStackArgs) -> AlarmTarget:
    settings = args.notifications
    if settings.existing_topic_arn:
        return AlarmTarget(topic_arn=settings.existing_topic_arn)
    name = naming.alarm_topic_name(args.environment)
    topic = aws.sns.Topic(
        name,
        aws.sns.TopicArgs(name=name, tags=args.tags.as_dict()),
        opts=pulumi.ResourceOptions(parent=parent),
    )
    if settings.email:
        # AWS e-mails a confirmation link; nothing is delivered until it is followed.
        aws.sns.TopicSubscription(
            f"{name}-email",
            aws.sns.TopicSubscriptionArgs(topic=topic.arn, protocol="email", endpoint=settings.email),
            opts=pulumi.ResourceOptions(parent=parent),
        )
    return AlarmTarget(topic_arn=topic.arn, topic=topic)
