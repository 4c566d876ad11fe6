"""Hand-made resources and fixture packs for the analyzer/report/CLI tests (no program run)."""

from __future__ import annotations

import os
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
