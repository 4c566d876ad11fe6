"""The only place that reads Pulumi config and the environment; parsing stays pure in `config`."""

from __future__ import annotations

import os

import pulumi
import pulumi_aws as aws
from pulumi.runtime import config as runtime_config

from dynamodb_stack.args import DynamoDbStackArgs
from dynamodb_stack.config import KEY_NAMES, parse_stack_args


def project_config_keys() -> set[str]:
    """Every key set in this project's namespace, so a misspelt key fails instead of being ignored."""
    prefix = f"{pulumi.get_project()}:"
    present = set(runtime_config.CONFIG.get()) | set(runtime_config.get_config_env())
    return {key[len(prefix) :] for key in present if key.startswith(prefix)}


def read_project_config() -> dict[str, str]:
    config = pulumi.Config()  # namespaced by the project name in Pulumi.yaml
    raw: dict[str, str] = {}
    for key in sorted(KEY_NAMES | project_config_keys()):
        value = config.get(key)
        if value is not None:
            raw[key] = value
    return raw


def read_stack_region() -> str | None:
    """The default AWS provider's region: `aws:region`, else AWS_REGION / AWS_DEFAULT_REGION, as the
    pulumi-aws SDK resolves it."""
    region: str | None = aws.config.region
    return region


def read_stack_args() -> DynamoDbStackArgs:
    return parse_stack_args(read_project_config(), os.environ, region=read_stack_region())
