"""Hand-made resources and fixture packs for the analyzer/report/CLI tests (no program run)."""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from dynamodb_guardrails.rules import billing_mode
from policy_preview.analyzer.client import AnalyzerClient, running_pack
from policy_preview.analyzer.pack_config import reconcile_pack_config
from policy_preview.model import ResourceRecord

REPO = Path(__file__).resolve().parents[2]
OUR_PACK = REPO / "policies"
FIXTURE_PACKS = Path(__file__).resolve().parent / "fixtures" / "packs"
BILLING = billing_mode.META.name
TABLE = "aws:dynamodb/table:Table"
STACK, PROJECT = "dev", "demo"
ROOT_URN = f"urn:pulumi:{STACK}::{PROJECT}::pulumi:pulumi:Stack::{PROJECT}-{STACK}"


def urn(type_: str, name: str, parent_type: str | None = None) -> str:
    qualified = f"{parent_type}${type_}" if parent_type else type_
    return f"urn:pulumi:{STACK}::{PROJECT}::{qualified}::{name}"


def table(name: str, billing: Any = "PAY_PER_REQUEST", **extra: Any) -> ResourceRecord:
    inputs = {
        "name": name,
        "hashKey": "id",
        **({"billingMode": billing} if billing is not None else {}),
        **extra,
    }
    return ResourceRecord(
        urn=urn(TABLE, name),
        type=TABLE,
        name=name,
        custom=True,
        inputs=inputs,
        outputs={**inputs, "arn": f"arn:aws:dynamodb:us-east-1:123456789012:table/{name}"},
        parent=ROOT_URN,
    )


def root_stack() -> ResourceRecord:
    return ResourceRecord(
        urn=ROOT_URN, type="pulumi:pulumi:Stack", name=f"{PROJECT}-{STACK}", custom=False, inputs={}
    )


# How long a process may take to start on a loaded machine (8 agents on 2 cores took >10 s to import
# pulumi.policy): waits for an event, never a race, so it can be generous.
START_UP_GRACE = 120.0


def processes_with_env(marker: str) -> set[int]:
    """Pids of live processes whose environment holds `marker` ("NAME=value"), children included
    (they inherit it). Zombies have an empty environment: a killed, unreaped child runs no more."""
    found = set()
    needle = marker.encode()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                environment = (entry / "environ").read_bytes()
            except OSError:  # gone meanwhile, or not ours
                continue
            if needle in environment.split(b"\0"):
                found.add(int(entry.name))
    return found


def wait_gone(pid: int, seconds: float = 5.0) -> bool:
    """True once no process has `pid` (reaped or never ours); psutil-free."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.05)
    return False


def sigint_as_in_a_terminal() -> None:
    """`preexec_fn` for a child a test sends Ctrl-C (SIGINT): the signal's default disposition, as in
    a terminal's foreground process. A child inherits an ignored SIGINT, which is what a shell
    gives commands it starts in the background (`cmd &`, nohup), and then Python raises no
    KeyboardInterrupt."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def wait_for(condition: Callable[[], bool], seconds: float = 3.0) -> bool:
    """Poll `condition` (e.g. a log line a pack's reader thread has yet to collect)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.02)
    return condition()


@contextmanager
def configured_pack() -> Iterator[AnalyzerClient]:
    """Our pack running, configured with its defaults as the CLI configures it."""
    with running_pack(OUR_PACK) as client:
        assert client.info is not None
        client.configure(reconcile_pack_config(client.info))
        yield client
