"""The Pulumi runtime's calls to the preview's in-process monitor run inline on the event loop
(policy_preview/program/inline_rpcs.py), so a large program's run time does not depend on how
threads are scheduled; the program's own executor calls keep their pool threads, and transforms that
need the loop while a registration is answered still run. Fixture: fixtures/programs/inline_calls."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from pulumi.runtime._context import wrap_with_context

from policy_preview.model import ResourceRecord
from policy_preview.program.inline_rpcs import InlineRuntimeCalls, is_runtime_call
from policy_preview.program.runner import run_program

FIXTURE = Path(__file__).parent / "fixtures" / "programs" / "inline_calls"
SRC = Path(__file__).resolve().parents[2] / "src"


def in_executor(fn: Callable[[], Any]) -> tuple[Any, int]:
    """Run `fn` through a loop whose default executor is InlineRuntimeCalls: its result and the
    loop's thread."""

    async def call() -> Any:
        return await asyncio.get_running_loop().run_in_executor(None, fn)

    loop = asyncio.new_event_loop()
    loop.set_default_executor(InlineRuntimeCalls())
    try:
        return loop.run_until_complete(call()), threading.get_ident()
    finally:
        loop.close()


def test_a_call_the_runtime_wraps_runs_on_the_loops_thread() -> None:
    ran_on, loop_thread = in_executor(wrap_with_context(threading.get_ident))
    assert ran_on == loop_thread


def test_a_programs_own_call_runs_on_a_pool_thread() -> None:
    ran_on, loop_thread = in_executor(threading.get_ident)
    assert ran_on != loop_thread


def test_a_failing_runtime_call_raises_in_the_coroutine_that_awaits_it() -> None:
    def refused() -> None:
        raise ValueError("the monitor refused the registration")

    with pytest.raises(ValueError, match="the monitor refused the registration"):
        in_executor(wrap_with_context(refused))


def test_ctrl_c_inside_a_runtime_call_stops_the_loop_instead_of_being_stored() -> None:
    def interrupted() -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        in_executor(wrap_with_context(interrupted))


@pytest.mark.parametrize(
    ("fn", "expected"),
    [
        (wrap_with_context(print), True),  # pulumi.runtime._context
        (asyncio.sleep, False),
        (threading.get_ident, False),  # a builtin: module _thread
        (lambda: None, False),  # this test module
        (object(), False),  # no __module__ at all
    ],
)
def test_only_callables_defined_by_the_pulumi_runtime_count_as_its_calls(fn: Any, expected: bool) -> None:
    assert is_runtime_call(fn) is expected


def test_a_module_named_like_the_runtime_but_outside_it_is_not_its_call() -> None:
    def impostor() -> None: ...

    impostor.__module__ = "pulumi.runtimes_of_my_own"
    assert not is_runtime_call(impostor)


@pytest.fixture(scope="module", params=["preview", "update"])
def records(request: pytest.FixtureRequest) -> list[ResourceRecord]:
    return run_program(FIXTURE, stack="dev", mode=request.param, config={"aws:region": "eu-west-1"})


def named(records: list[ResourceRecord], name: str) -> ResourceRecord:
    [record] = [r for r in records if r.name == name]
    return record


def test_a_transform_can_call_a_provider_function_and_await_another_resource(
    records: list[ResourceRecord],
) -> None:
    assert named(records, "second").inputs["tags"] == {
        "Region": "eu-west-1",
        "After": "urn:pulumi:dev::fixture-inline-calls::aws:dynamodb/table:Table::first",
    }


def test_the_programs_own_executor_call_keeps_its_pool_thread(records: list[ResourceRecord]) -> None:
    [stack] = [r for r in records if r.type == "pulumi:pulumi:Stack"]
    assert stack.outputs == {"ownCallOnAPoolThread": True}


_WORKER_PROBE = """
import json, sys, threading
from policy_preview.program import worker
from policy_preview.program.mock_engine import RecordingMonitor

threads = set()
register = RecordingMonitor.RegisterResource

def spy(self, request):
    threads.add(threading.get_ident())
    return register(self, request)

RecordingMonitor.RegisterResource = spy
worker.run(json.loads(sys.argv[1]))
print(json.dumps({"calls_on": sorted(threads), "main": threading.get_ident()}))
"""


def test_the_program_worker_answers_every_registration_on_the_programs_thread() -> None:
    request = {
        "project": "fixture-inline-calls",
        "stack": "dev",
        "mode": "preview",
        "main": ".",
        "project_root": str(FIXTURE),
    }
    env = {**os.environ, "PYTHONPATH": str(SRC), "PULUMI_CONFIG": json.dumps({"aws:region": "eu-west-1"})}
    done = subprocess.run(
        [sys.executable, "-c", _WORKER_PROBE, json.dumps(request)],
        cwd=FIXTURE, env=env, capture_output=True, text=True, timeout=120, check=True,
    )  # fmt: skip
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert seen["calls_on"] == [seen["main"]]
