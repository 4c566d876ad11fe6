"""Run a program's process to its end or its timeout, and never leave any of it behind.

Both language runners (runner.py for Python, node_runner.py for Node.js) start the program this
way: in its own process group (a Ctrl-C reaches us, not it, and we stop it all), output and errors
in one stream, and the whole group killed on a timeout, on an interruption, and after it exits (a
program may leave children behind that would outlive the run).
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
from collections.abc import Mapping
from pathlib import Path


class ChildTimedOut(Exception):
    """The process did not finish within its timeout; it and its group were stopped."""

    def __init__(self, output: str) -> None:
        super().__init__("timed out")
        self.output = output


def run_in_own_group(
    command: list[str], *, cwd: Path, env: Mapping[str, str], timeout: float
) -> tuple[int, str]:
    """(exit code, combined stdout and stderr) of `command`; ChildTimedOut after `timeout` seconds."""
    process = subprocess.Popen(
        command,
        cwd=cwd,
        env=dict(env),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    try:
        output, _ = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        raise ChildTimedOut(_stop(process)) from None
    except BaseException:
        _stop(process)
        raise
    _kill_group(process)  # it exited; children it left behind did not
    return process.returncode, output or ""


def _kill_group(process: subprocess.Popen[str]) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)


def _stop(process: subprocess.Popen[str]) -> str:
    _kill_group(process)
    output, _ = process.communicate()
    return output or ""
