"""The preview's fake engine as a gRPC server: the ResourceMonitor and Engine services a Pulumi
program's SDK connects to under the real CLI (`--monitor` / `--engine` addresses), for programs in
any language that we run in their own runtime (Node.js today).

Every monitor call is answered by the same RecordingMonitor (mock_engine.py) that answers the
Python SDK in-process, so URNs, default providers, transforms, provider checks (auto-names,
tagsAll), computed outputs and invokes are one implementation for every language. What this module
adds is only the transport: protobuf requests in, protobuf responses out, errors as gRPC statuses
the SDK reports as the engine's own would be, and the Engine service's Log/root-resource calls.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent import futures
from dataclasses import dataclass
from typing import Any, TypeVar

import grpc
from google.protobuf import empty_pb2
from pulumi.runtime.proto import engine_pb2, engine_pb2_grpc, resource_pb2, resource_pb2_grpc

from policy_preview.analyzer.pack_process import CHANNEL_OPTIONS
from policy_preview.program.mock_engine import RecordingMonitor

# The SDK sends registrations concurrently; a transform callback blocks its thread while the
# program's own callback server answers, so leave room for both.
_WORKERS = 16
_MAX_LOG_ENTRIES = 5000
# No server-side PINGs: while ts-node compiles (minutes on a busy machine) a Node program's event
# loop answers nothing, and gRPC C-core closes a connection whose PING (a BDP probe, or keepalive)
# stays unanswered for its ping timeout (60 s: GOAWAY ping_timeout), after which the SDK's calls
# hang. The Pulumi engine (Go) never closes a connection for that.
SERVER_OPTIONS = [*CHANNEL_OPTIONS, ("grpc.http2.bdp_probe", 0), ("grpc.keepalive_time_ms", 2**31 - 1)]
_Response = TypeVar("_Response")


@dataclass(frozen=True)
class LogEntry:
    """One Engine.Log call: what the program (or its SDK) told the user."""

    severity: str  # debug | info | warning | error
    message: str
    urn: str = ""


class _MonitorServicer(resource_pb2_grpc.ResourceMonitorServicer):
    """ResourceMonitor over gRPC, delegating each call to the shared RecordingMonitor."""

    def __init__(self, monitor: RecordingMonitor) -> None:
        self._monitor = monitor

    def _answer(self, context: grpc.ServicerContext, call: Callable[[], _Response]) -> _Response:
        try:
            return call()
        except Exception as exc:
            # A failed registration (e.g. a transform raised): the SDK reports it as the engine's.
            notes = "".join(f"\n{note}" for note in getattr(exc, "__notes__", ()))
            context.abort(grpc.StatusCode.UNKNOWN, f"{type(exc).__name__}: {exc}{notes}")
            raise  # unreachable: abort raises

    def SupportsFeature(self, request: Any, context: grpc.ServicerContext) -> Any:
        answer = self._monitor.SupportsFeature(request)
        return resource_pb2.SupportsFeatureResponse(hasSupport=bool(answer.hasSupport))

    def GetDeploymentInfo(self, request: Any, context: grpc.ServicerContext) -> Any:
        return self._monitor.GetDeploymentInfo(request)

    def RegisterResource(self, request: Any, context: grpc.ServicerContext) -> Any:
        return self._answer(context, lambda: self._monitor.RegisterResource(request))

    def RegisterResourceOutputs(self, request: Any, context: grpc.ServicerContext) -> Any:
        return self._answer(context, lambda: self._monitor.RegisterResourceOutputs(request))

    def ReadResource(self, request: Any, context: grpc.ServicerContext) -> Any:
        return self._answer(context, lambda: self._monitor.ReadResource(request))

    def Invoke(self, request: Any, context: grpc.ServicerContext) -> Any:
        return self._answer(context, lambda: self._monitor.Invoke(request))

    def RegisterStackTransform(self, request: Any, context: grpc.ServicerContext) -> Any:
        return self._answer(context, lambda: self._monitor.RegisterStackTransform(request))

    def RegisterStackInvokeTransform(self, request: Any, context: grpc.ServicerContext) -> Any:
        return self._answer(context, lambda: self._monitor.RegisterStackInvokeTransform(request))

    def RegisterResourceHook(self, request: Any, context: grpc.ServicerContext) -> Any:
        return self._monitor.RegisterResourceHook(request)

    def RegisterErrorHook(self, request: Any, context: grpc.ServicerContext) -> Any:
        return self._monitor.RegisterErrorHook(request)

    def RegisterPackage(self, request: Any, context: grpc.ServicerContext) -> Any:
        return self._monitor.RegisterPackage(request)

    def SignalAndWaitForShutdown(self, request: Any, context: grpc.ServicerContext) -> Any:
        return empty_pb2.Empty()


class _EngineServicer(engine_pb2_grpc.EngineServicer):
    """Engine.Log (the program's diagnostics) and the root stack resource."""

    _SEVERITY = {
        engine_pb2.DEBUG: "debug",
        engine_pb2.INFO: "info",
        engine_pb2.WARNING: "warning",
        engine_pb2.ERROR: "error",
    }

    def __init__(self) -> None:
        self.entries: list[LogEntry] = []
        self._root = ""
        self._lock = threading.Lock()

    def Log(self, request: Any, context: grpc.ServicerContext) -> Any:
        severity = self._SEVERITY.get(request.severity, "info")
        with self._lock:
            if severity != "debug" and len(self.entries) < _MAX_LOG_ENTRIES:
                self.entries.append(LogEntry(severity, request.message, request.urn))
        return empty_pb2.Empty()

    def GetRootResource(self, request: Any, context: grpc.ServicerContext) -> Any:
        with self._lock:
            return engine_pb2.GetRootResourceResponse(urn=self._root)

    def SetRootResource(self, request: Any, context: grpc.ServicerContext) -> Any:
        with self._lock:
            self._root = request.urn
        return engine_pb2.SetRootResourceResponse()

    def RequirePulumiVersion(self, request: Any, context: grpc.ServicerContext) -> Any:
        # Any CLI version a program asks for: the preview stands in for all of them.
        return engine_pb2.RequirePulumiVersionResponse()


class FakeEngineServer:
    """ResourceMonitor + Engine on 127.0.0.1 (ephemeral port), one per program run.

    `address` goes to the program as both `--monitor` and `--engine`, as one CLI process serves
    both. Use as a context manager; `stop()` is idempotent.
    """

    def __init__(self, monitor: RecordingMonitor) -> None:
        self.monitor = monitor
        self._engine = _EngineServicer()
        self._server = grpc.server(futures.ThreadPoolExecutor(max_workers=_WORKERS), options=SERVER_OPTIONS)
        resource_pb2_grpc.add_ResourceMonitorServicer_to_server(_MonitorServicer(monitor), self._server)
        engine_pb2_grpc.add_EngineServicer_to_server(self._engine, self._server)
        port = self._server.add_insecure_port("127.0.0.1:0")
        self.address = f"127.0.0.1:{port}"
        self._server.start()

    @property
    def log(self) -> list[LogEntry]:
        return list(self._engine.entries)

    def stop(self) -> None:
        self._server.stop(grace=None)

    def __enter__(self) -> FakeEngineServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
