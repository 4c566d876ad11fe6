"""Shared runs for the stack tests."""

from __future__ import annotations

import pytest

from dynamodb_stack import DynamoDbStackArgs, parse_stack_args
from tests.infra.harness import StackRun, run_stack


@pytest.fixture
def default_args() -> DynamoDbStackArgs:
    """What an unconfigured stack gets: every default, env `dev`."""
    return parse_stack_args({}, {})


@pytest.fixture(scope="session")
def default_run() -> StackRun:
    """The unconfigured stack, built once: a StackRun is plain frozen data, and `run_stack` starts
    from a fresh engine, so sharing it leaks no Pulumi state between tests."""
    return run_stack(parse_stack_args({}, {}))
