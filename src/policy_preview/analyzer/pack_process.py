"""A policy pack's process, started exactly as the Pulumi CLI starts it, and always stopped.

Mirrors pulumi/pulumi: pkg/resource/plugin/analyzer_plugin.go (`NewPolicyAnalyzer`, `constructEnv`),
sdk/python/cmd/pulumi-language-python/main.go (`RunPlugin`: `python -u -m pulumi.policy
<engine-address> <pack-dir>` with cwd = the pack directory) and pkg/resource/plugin/plugin.go
(`newPlugin`: the first stdout line is the port; later stdout/stderr lines are shown to the user).
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections import deque
from collections.abc import Mapping
from concurrent import futures
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Any

import grpc
import yaml

from policy_preview.errors import PackError

POLICY_PROJECT_FILE = "PulumiPolicy.yaml"
DEFAULT_PACK_TIMEOUT = 30.0
# The engine's max message size for plugins (pulumi_policy uses the same 400 MB).
_MAX_MESSAGE = 400 * 1024 * 1024
CHANNEL_OPTIONS = [
    ("grpc.max_receive_message_length", _MAX_MESSAGE),
    ("grpc.max_send_message_length", _MAX_MESSAGE),
]
_STDERR_TAIL_LINES = 20
# How long a failed call waits for the pack to exit and its stderr to drain (a loaded CI machine
# can take over a second to schedule the dying process and the reader threads).
_DYING_GRACE_S = 2.0
_MAX_LOG_LINES = 2000
_STOP_GRACE_SECONDS = 2.0


@dataclass(frozen=True)
class PackProject:
    """What `PulumiPolicy.yaml` says about a pack."""

    directory: Path
    version: str
    description: str
    runtime: str
    runtime_options: Mapping[str, Any]


@dataclass(frozen=True)
class StackSettings:
    """What the CLI tells a pack about the stack (env vars and ConfigureStack)."""

    project: str = "project"
    stack: str = "dev"
    organization: str = "organization"
    dry_run: bool = True
    config: Mapping[str, str] = field(default_factory=dict)
    config_secret_keys: tuple[str, ...] = ()  # the config keys whose values are secrets
    tags: Mapping[str, str] = field(default_factory=dict)


# --- PulumiPolicy.yaml ------------------------------------------------------------------------


def load_pack_project(pack_dir: Path) -> PackProject:
    """Read `PulumiPolicy.yaml` from `pack_dir` (the CLI does not search parent folders)."""
    directory = pack_dir.resolve()
    path = directory / POLICY_PROJECT_FILE
    if not directory.is_dir():
        raise PackError(f"policy pack directory {pack_dir} does not exist.")
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise PackError(
            f"failed to load Pulumi policy project located at {directory}: no {POLICY_PROJECT_FILE} there. "
            "Pass the directory that holds the pack's PulumiPolicy.yaml to --policy-pack."
        ) from None
    except (OSError, yaml.YAMLError) as exc:
        raise PackError(f"failed to read {path}: {exc}") from exc
    if not isinstance(data, dict):
        raise PackError(f"{path} is not a YAML mapping.")
    runtime = data.get("runtime")
    name, options = (
        (runtime.get("name"), runtime.get("options")) if isinstance(runtime, dict) else (runtime, None)
    )
    if name != "python":
        raise PackError(
            f"{path}: runtime is {name!r}; only Python policy packs (runtime: python) can be run offline."
        )
    return PackProject(
        directory=directory,
        version=str(data.get("version") or ""),
        description=str(data.get("description") or ""),
        runtime="python",
        runtime_options=options if isinstance(options, dict) else {},
    )


def pack_python(project: PackProject) -> str:
    """The interpreter for the pack: its `virtualenv` from PulumiPolicy.yaml when it exists (as the
    language host's toolchain picks it), else the interpreter running this tool."""
    venv = project.runtime_options.get("virtualenv")
    if isinstance(venv, str) and venv:
        root = Path(venv) if Path(venv).is_absolute() else project.directory / venv
        for candidate in (root / "bin" / "python", root / "Scripts" / "python.exe"):
            if candidate.exists():
                return str(candidate)
    return sys.executable


def pack_environment(settings: StackSettings, base: Mapping[str, str] | None = None) -> dict[str, str]:
    """The environment the CLI gives a pack (analyzer_plugin.go constructEnv / RunPlugin)."""
    env = dict(os.environ if base is None else base)
    env.update(
        {
            "PULUMI_ORGANIZATION": settings.organization,
            "PULUMI_PROJECT": settings.project,
            "PULUMI_STACK": settings.stack,
            "PULUMI_DRY_RUN": "true" if settings.dry_run else "false",
        }
    )
    if settings.config:
        env["PULUMI_CONFIG"] = json.dumps(dict(settings.config))
    return env


# --- the engine service the pack may log through ----------------------------------------------


def _engine_pb2() -> Any:
    # The SDK's protos import the whole `pulumi` package (about 0.4 s): only once a pack calls us,
    # so that packs can be started before it is imported (cli.py spawns them first).
    from pulumi.runtime.proto import engine_pb2

    return engine_pb2


class _EngineServicer:
    """Just enough of the Engine service for a pack that logs through it."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self._root = ""
        self._lock = threading.Lock()

    def Log(self, request: Any, context: Any) -> Any:
        engine_pb2 = _engine_pb2()
        names = {engine_pb2.DEBUG: "debug", engine_pb2.INFO: "info", engine_pb2.WARNING: "warning"}
        severity = {**names, engine_pb2.ERROR: "error"}.get(request.severity, "info")
        with self._lock:
            if len(self.lines) < _MAX_LOG_LINES:
                self.lines.append(f"{severity}: {request.message}".rstrip())
        from google.protobuf import empty_pb2  # imported by the client after the packs are spawned

        return empty_pb2.Empty()

    def GetRootResource(self, request: Any, context: Any) -> Any:
        return _engine_pb2().GetRootResourceResponse(urn=self._root)

    def SetRootResource(self, request: Any, context: Any) -> Any:
        self._root = request.urn
        return _engine_pb2().SetRootResourceResponse()

    def handler(self) -> grpc.GenericRpcHandler:
        """The methods as engine_pb2_grpc.add_EngineServicer_to_server registers them (the others
        answer UNIMPLEMENTED, as the generated base servicer does), with messages parsed lazily."""

        def method(name: str, request_type: str) -> grpc.RpcMethodHandler:
            return grpc.unary_unary_rpc_method_handler(
                getattr(self, name),
                request_deserializer=lambda data: getattr(_engine_pb2(), request_type).FromString(data),
                response_serializer=lambda message: message.SerializeToString(),
            )

        methods = {
            "Log": method("Log", "LogRequest"),
            "GetRootResource": method("GetRootResource", "GetRootResourceRequest"),
            "SetRootResource": method("SetRootResource", "SetRootResourceRequest"),
        }
        return grpc.method_handlers_generic_handler("pulumirpc.Engine", methods)


class EngineLogServer:
    """A local Engine gRPC server (127.0.0.1, ephemeral port) that records Log calls.

    Python packs of pulumi-policy 1.x do not connect to it (they log to stderr), but the CLI passes
    an engine address and a pack built on another SDK may use it; its lines join the pack's output.
    """

    def __init__(self) -> None:
        self._servicer = _EngineServicer()
        self._server = grpc.server(futures.ThreadPoolExecutor(max_workers=2), options=CHANNEL_OPTIONS)
        self._server.add_generic_rpc_handlers((self._servicer.handler(),))
        self.port = self._server.add_insecure_port("127.0.0.1:0")
        self.address = f"127.0.0.1:{self.port}"
        self._server.start()

    @property
    def lines(self) -> list[str]:
        return list(self._servicer.lines)

    def stop(self) -> None:
        self._server.stop(grace=None)

    def __enter__(self) -> EngineLogServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


# --- the pack process --------------------------------------------------------------------------


class PackProcess:
    """A running policy pack: spawned as the CLI does, stopped (with its process group) always.

    `startup_seconds` is the time from spawn to the port line, as the pack benchmark measures it.
    """

    def __init__(
        self,
        pack_dir: Path,
        *,
        settings: StackSettings | None = None,
        engine_address: str = "127.0.0.1:0",
        timeout: float = DEFAULT_PACK_TIMEOUT,
        python: str | None = None,
        env: Mapping[str, str] | None = None,
    ) -> None:
        self.project = load_pack_project(pack_dir)
        self.directory = self.project.directory
        self.given_path = str(pack_dir)  # as the user passed it: the CLI's report shows this one
        self.settings = settings or StackSettings()
        self.engine_address = engine_address
        self.timeout = timeout
        self.python = python or pack_python(self.project)
        self._env = pack_environment(self.settings, env)
        self.process: subprocess.Popen[bytes] | None = None
        self.port: int | None = None
        self.startup_seconds: float | None = None
        self.channel: grpc.Channel | None = None
        self._stdout_lines: list[str] = []
        self._stderr_tail: deque[str] = deque(maxlen=_MAX_LOG_LINES)
        self._port_line: list[str | None] = []
        self._port_ready = threading.Event()
        self._readers: list[threading.Thread] = []
        self._spawned_at = 0.0
        self._port_at = 0.0

    @property
    def pid(self) -> int | None:
        return self.process.pid if self.process else None

    @property
    def command(self) -> list[str]:
        return [self.python, "-u", "-m", "pulumi.policy", self.engine_address, str(self.directory)]

    def start(self) -> PackProcess:
        """Spawn the pack and wait until it serves (at most `timeout` seconds from the spawn)."""
        self.spawn()
        return self.wait_ready()

    def spawn(self) -> PackProcess:
        """Start the process without waiting, so the caller can do other work while it boots."""
        self._spawned_at = time.perf_counter()
        try:
            self.process = subprocess.Popen(
                self.command,
                cwd=self.directory,
                env=self._env,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                # Own process group: we can stop the pack and anything it spawned, and a Ctrl-C in the
                # terminal reaches only us, so the pack is stopped in order by our cleanup.
                start_new_session=True,
            )
        except OSError as exc:
            raise PackError(
                f"could not start policy pack {self.directory} with {self.python}: {exc}"
            ) from exc
        try:
            self._start_readers()
        except BaseException:
            self.stop()
            raise
        return self

    def wait_ready(self) -> PackProcess:
        """Wait for the port line and a connectable server; stops the pack on any failure."""
        if self.channel is not None:
            return self
        if self.process is None:
            raise PackError(f"policy pack {self.directory} was not started")
        try:
            self.port = self._await_port()
            self.startup_seconds = self._port_at - self._spawned_at
            self.channel = grpc.insecure_channel(f"127.0.0.1:{self.port}", options=CHANNEL_OPTIONS)
            remaining = max(0.5, self.timeout - (time.perf_counter() - self._spawned_at))
            try:
                grpc.channel_ready_future(self.channel).result(timeout=remaining)
            except grpc.FutureTimeoutError:
                raise self.failure(f"did not accept connections on port {self.port}") from None
        except BaseException:
            self.stop()
            raise
        return self

    def _start_readers(self) -> None:
        assert self.process is not None and self.process.stdout and self.process.stderr
        out = threading.Thread(target=self._read_stdout, args=(self.process.stdout,), daemon=True)
        err = threading.Thread(target=self._read_stderr, args=(self.process.stderr,), daemon=True)
        self._readers = [out, err]
        for reader in self._readers:
            reader.start()

    def _read_stdout(self, stream: Any) -> None:
        first = True
        for raw in iter(stream.readline, b""):
            line = raw.decode("utf-8", "replace").rstrip("\r\n")
            if first:
                first = False
                self._port_at = time.perf_counter()
                self._port_line.append(line)
                self._port_ready.set()
            elif line.strip() and len(self._stdout_lines) < _MAX_LOG_LINES:
                self._stdout_lines.append(line)
        if first:  # EOF before any line: the pack died (or closed stdout)
            self._port_line.append(None)
            self._port_ready.set()

    def _read_stderr(self, stream: Any) -> None:
        for raw in iter(stream.readline, b""):
            line = raw.decode("utf-8", "replace").rstrip("\r\n")
            if line.strip():
                self._stderr_tail.append(line)

    def _await_port(self) -> int:
        remaining = self.timeout - (time.perf_counter() - self._spawned_at)
        if not self._port_ready.wait(max(0.0, remaining)):
            raise self.failure(f"did not print its port within {self.timeout:g} s (hung at start-up?)")
        line = self._port_line[0]
        if line is None:
            self._wait_exit(2.0)
            raise self.failure("exited before printing its port")
        # Same tolerance as the CLI's parsePort: surrounding whitespace is fine, nothing else.
        text = line.strip()
        if not text.isdigit() or not 0 < int(text) <= 65535:
            raise self.failure(f"wrote an invalid port to stdout: {text[:80]!r}")
        return int(text)

    def _wait_exit(self, seconds: float) -> int | None:
        if self.process is None:
            return None
        try:
            return self.process.wait(timeout=seconds)
        except subprocess.TimeoutExpired:
            return None

    def stderr_tail(self, lines: int = _STDERR_TAIL_LINES) -> list[str]:
        return list(self._stderr_tail)[-lines:]

    @property
    def log_lines(self) -> list[str]:
        """Everything the pack printed besides its port (stdout, then stderr), as the CLI shows it."""
        return [*self._stdout_lines, *self._stderr_tail]

    def failure(self, what: str) -> PackError:
        """A PackError naming the pack, saying what went wrong, with its exit code and stderr tail."""
        code = self.process.poll() if self.process else None
        if code is None and self.process is not None:
            # Give a dying pack a moment so its exit code is in the message; the wait ends as soon
            # as the pack is gone, the bound only matters for a pack that is still alive.
            code = self._wait_exit(_DYING_GRACE_S)
        if code is not None:
            # A gone pack's stderr reader reaches EOF at once: let it drain its last words.
            for reader in self._readers[1:]:
                reader.join(timeout=_DYING_GRACE_S)
        status = f" (exit code {code})" if code is not None else ""
        tail = self.stderr_tail()
        shown = (
            ("; its stderr ends with:\n    " + "\n    ".join(tail))
            if tail
            else "; it printed nothing on stderr"
        )
        return PackError(f"policy pack {self.directory} {what}{status}{shown}")

    def stop(self) -> None:
        """Stop the pack and its process group; safe to call more than once."""
        if self.channel is not None:
            self.channel.close()
            self.channel = None
        process = self.process
        if process is None:
            return
        if process.poll() is None:
            self._signal_group(process, signal.SIGTERM)
            try:
                process.wait(timeout=_STOP_GRACE_SECONDS)
            except subprocess.TimeoutExpired:
                self._signal_group(process, signal.SIGKILL)
                process.wait()
        else:
            # The leader is gone; make sure nothing it spawned lingers in its group.
            self._signal_group(process, signal.SIGKILL)
        for reader in self._readers:
            reader.join(timeout=1.0)
        for stream in (process.stdout, process.stderr):
            if stream is not None:
                stream.close()

    @staticmethod
    def _signal_group(process: subprocess.Popen[bytes], sig: signal.Signals) -> None:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(process.pid, sig)

    def __enter__(self) -> PackProcess:
        return self.start() if self.process is None else self.wait_ready()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()
