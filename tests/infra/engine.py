"""The stack's tests run under the preview's mock engine (policy_preview.program.mock_engine), so one
description says what a deployed stack looks like: ids and ARNs (computed_outputs.py), provider
checks, default providers, parents, protect and dependencies as the engine records them.

No import of the stack here: the program test loads this module before `runpy` puts infra/ on
sys.path, as the language host does.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import pulumi

from policy_preview.model import ResourceRecord
from policy_preview.program.mock_engine import PROVIDER_TYPE_PREFIX, RecordingMonitor
from policy_preview.urns import STACK_TYPE

PROJECT = "dynamodb-guardrails"


def install_engine(stack: str = "test", config: Mapping[str, str] | None = None) -> RecordingMonitor:
    """A fresh engine, as after a `pulumi up` (outputs known): Pulumi's runtime state is global, so
    every run starts here."""
    monitor = RecordingMonitor(project=PROJECT, stack=stack, preview=False, config=config or {})
    pulumi.runtime.set_mocks(monitor.mocks, project=PROJECT, stack=stack, preview=False, monitor=monitor)
    return monitor


def program_resources(records: Iterable[ResourceRecord]) -> tuple[ResourceRecord, ...]:
    """What the program registered: without the root stack and the engine's default providers."""
    return tuple(r for r in records if r.type != STACK_TYPE and not r.type.startswith(PROVIDER_TYPE_PREFIX))
