"""Faster request handling inside pulumi_policy, installed once when the pack starts.

Why: pulumi_policy 1.21.0 turns a request's properties into the proxy a policy sees,
`unknown_checking_proxy(deserialize_properties(json_format.MessageToDict(struct)))`, once per
policy, for the resource and again for its provider, before a policy can skip a resource it does
not judge. With five resource policies that was most of the pack's Analyze time; in AnalyzeStack
`MessageToDict`'s generic walk and the proxy building were most of the time (measured with
`python -m bench.profile_pack`).

What changes, and what does not:
- `MessageToDict` of a `Struct` is a direct walk giving the same dict (floats for numbers, None for
  null). `unknown_checking_proxy` builds the same proxies as the SDK's, without making a path list
  for every leaf. Anything else goes to the SDK's own functions.
- Within one Analyze / AnalyzeStack / Remediate call (one gRPC handler on one thread), each stage
  runs once per input object and the policies of the call share its result; a provider, which
  every resource of an AnalyzeStack carries as its own copy, is converted once per distinct
  content. The memo is made when the call starts and dropped when it ends: a later call never
  sees a value of an earlier one.
- In AnalyzeStack a resource's properties are converted when a policy first reads them (the stack
  rule reads a few properties of tables and alarms, none of roles and policies), but only when
  converting cannot fail and deserialising changes nothing: a Struct with a secret / asset map or
  a NaN / infinite number is converted up front, as the SDK does, so its errors stay the same.
- Sharing within a call is safe because the adapter only reads the proxies (a policy writing into
  `args.props` would be seen by the next policy of the same call).
- Another pulumi_policy version, or internals not as expected: nothing is installed and the pack
  works as before, only slower.
"""

from __future__ import annotations

import functools
import math
import re
import threading
from collections.abc import Callable
from typing import Any

from google.protobuf import json_format, struct_pb2

# Versions whose policy.py / proxy.py were read and measured against this module.
SUPPORTED_SDK_VERSIONS = frozenset({"1.21.0"})
# Stages kept per call, least recently used first out: a resource and its provider take up to
# three each, so the provider's (refreshed on every hit) stay while a stack's resources pass by.
_MAX_ENTRIES = 12
# Distinct provider contents kept per call (a stack has a handful of providers).
_MAX_PROVIDERS = 32
_HANDLERS = ("Analyze", "AnalyzeStack", "Remediate")
_INSTALLED = "_dynamodb_guardrails_speedups"

_Struct = struct_pb2.Struct
_real_message_to_dict = json_format.MessageToDict
_local = threading.local()
_MISSING = object()


# --- Struct -> dict -------------------------------------------------------------------------------

# pulumi_policy's deserialize.SPECIAL_SIG_KEY: a map with this key is a secret, asset or archive.
_SIGNATURE_KEY = "4dabf18193072939515e22adb298388d"


class _NotFinite(Exception):
    """A NaN or infinite number: left to MessageToDict, which raises its own error for it."""


class _HasSignature(Exception):
    """A secret/asset/archive map: left to the SDK's own conversion."""


def struct_to_dict(message: struct_pb2.Struct) -> dict[str, Any]:
    """`json_format.MessageToDict(message)` for a Struct, by a direct walk (same result)."""
    return _convert(message)[0]


def _convert(message: struct_pb2.Struct) -> tuple[dict[str, Any], bool]:
    """The dict, and whether it holds no signature map (then deserializing it changes nothing)."""
    fields = message.fields
    try:
        if _SIGNATURE_KEY in fields:
            raise _HasSignature
        return {key: _value(fields[key]) for key in fields}, True
    except (_NotFinite, _HasSignature):
        # Rare; MessageToDict gives these (and raises its own error for NaN and infinities).
        result: dict[str, Any] = _real_message_to_dict(message)
        return result, False


def _value(value: struct_pb2.Value) -> Any:
    # Indexing the map is cheaper than .items(), which upb serves through Python-level views.
    kind = value.WhichOneof("kind")
    if kind == "string_value":
        return value.string_value
    if kind == "struct_value":
        fields = value.struct_value.fields
        if _SIGNATURE_KEY in fields:
            raise _HasSignature
        return {key: _value(fields[key]) for key in fields}
    if kind == "bool_value":
        return value.bool_value
    if kind == "number_value":
        number = value.number_value
        if not math.isfinite(number):
            raise _NotFinite
        return number
    if kind == "list_value":
        return [_value(item) for item in value.list_value.values]
    return None  # null_value, or no kind set


# --- dict -> unknown-checking proxy ----------------------------------------------------------------


def proxy_builder(
    dict_proxy: type, list_proxy: type, sdk_helper: Callable[[Any, list[str]], Any]
) -> Callable[[Any, list[str]], Any]:
    """pulumi_policy's `_proxy_helper(value, path)`: `unknown_checking_proxy(props)` is
    `build(props, [])`.

    The SDK makes a path list for every value, leaves too, then drops the leaves' lists; this
    makes them for containers only. Types other than exact dict / list go to the SDK's helper."""
    containers = (list, dict)

    def build(value: Any, path: list[str]) -> Any:
        kind = type(value)
        if kind is dict:
            return dict_proxy(
                {
                    key: build(item, [*path, str(key)]) if isinstance(item, containers) else item
                    for key, item in value.items()
                },
                path,
            )
        if kind is list:
            return list_proxy(
                [
                    build(item, [*path, str(index)]) if isinstance(item, containers) else item
                    for index, item in enumerate(value)
                ],
                path,
            )
        return sdk_helper(value, path)

    return build


# --- AnalyzeStack: properties converted when read -------------------------------------------------

# A number_value (field 2, fixed64) that is NaN or infinite: exponent bits all set. Matches can be
# false (inside strings); then the request just takes the eager path.
_NON_FINITE_NUMBER = re.compile(rb"\x11.{6}[\xf0-\xff][\x7f\xff]", re.DOTALL)
_SIGNATURE_BYTES = _SIGNATURE_KEY.encode()


class _Unread:
    """MessageToDict's result for a stack resource: the Struct, converted when a policy reads it."""

    __slots__ = ("message",)

    def __init__(self, message: struct_pb2.Struct) -> None:
        self.message = message


def _convertible_on_read(message: struct_pb2.Struct) -> bool:
    """Converting this Struct cannot fail (no NaN / infinity) and deserialising it changes nothing
    (no secret, asset or archive map), so when it is converted cannot change what anyone sees."""
    data = message.SerializeToString()
    return _SIGNATURE_BYTES not in data and _NON_FINITE_NUMBER.search(data) is None


def lazy_proxy_type(
    dict_proxy: type,
    raise_if_unknown: Callable[[Any, Any, list[str]], Any],
    build: Callable[[Any, list[str]], Any],
) -> type:
    """A subclass of the SDK's dict proxy over a Struct whose top-level properties are converted
    (struct_to_dict, then the SDK's proxies) on first read. What it returns, raises (unknown
    values) and iterates is what the SDK's eager proxy would; only which work is done differs."""

    class LazyDictProxy(dict_proxy):
        def __init__(self, message: struct_pb2.Struct) -> None:
            # The SDK's __init__ is not called: its target dict is what this avoids building.
            self._fields = message.fields
            self._order = dict.fromkeys(self._fields)  # MessageToDict's key order
            self._read: dict[Any, Any] = {}

        def _value_of(self, key: Any) -> Any:
            try:
                return self._read[key]
            except KeyError:
                pass
            if key not in self._order:
                raise KeyError(key)
            value = _value(self._fields[key])
            if isinstance(value, list | dict):
                value = build(value, [str(key)])
            self._read[key] = value
            return value

        def __getitem__(self, key: Any) -> Any:
            if key == "__target":
                return {name: self._value_of(name) for name in self._order}
            return raise_if_unknown(key, self._value_of(key), [])

        def plain_source(self, key: Any) -> Any:
            """The property as plain dicts, lists, str, float, bool and None, unknown sentinels
            left as the strings they are: what this proxy holds without the SDK's proxies around
            it, for a reader that converts it to its own plain data (sdk_adapter._PlainProps).
            A value already read or written here is returned as it is. KeyError when absent."""
            if key in self._read:
                return self._read[key]
            if key not in self._order:
                raise KeyError(key)
            return _value(self._fields[key])

        def __setitem__(self, key: Any, value: Any) -> None:
            self._order.setdefault(key)
            self._read[key] = value

        def __len__(self) -> int:
            return len(self._order)

        def __iter__(self) -> Any:
            return iter(self._order)

    return LazyDictProxy


# --- the per-call memo ----------------------------------------------------------------------------


class _CallMemo:
    """The conversions of one handler call: key -> (input kept alive, result).

    Keys hold `id()` of inputs; keeping the input alive beside its result means an id cannot be
    reused by another object while its entry exists."""

    __slots__ = ("entries", "in_provider", "providers", "read_lazily")

    def __init__(self, read_lazily: bool = False) -> None:
        self.entries: dict[tuple[Any, ...], tuple[Any, Any]] = {}
        self.providers: dict[bytes, dict[str, Any]] = {}
        self.in_provider = False
        # AnalyzeStack: one stack policy reads a few properties of a few of its resources.
        self.read_lazily = read_lazily

    def get(self, key: tuple[Any, ...]) -> Any:
        entry = self.entries.pop(key, None)
        if entry is None:
            return _MISSING
        self.entries[key] = entry  # now the most recently used
        return entry[1]

    def put(self, key: tuple[Any, ...], source: Any, result: Any) -> Any:
        entries = self.entries
        if len(entries) >= _MAX_ENTRIES:
            del entries[next(iter(entries))]  # the least recently used
        entries[key] = (source, result)
        return result

    def dict_of(self, message: struct_pb2.Struct) -> Any:
        """MessageToDict(message), once per message object or, for a provider, per content; for a
        stack resource, if safe, an `_Unread` that the two shims below pass on unconverted."""
        if self.read_lazily and not self.in_provider and _convertible_on_read(message):
            return _Unread(message)
        if self.in_provider:
            content = message.SerializeToString()
            converted = self.providers.get(content)
            if converted is None:
                converted = self._convert(message)
                if len(self.providers) < _MAX_PROVIDERS:
                    self.providers[content] = converted
            return converted
        key = ("dict", id(message))
        found = self.get(key)
        return self.put(key, message, self._convert(message)) if found is _MISSING else found

    def _convert(self, message: struct_pb2.Struct) -> dict[str, Any]:
        converted, plain = _convert(message)
        if plain:
            # deserialize_properties would copy it unchanged; policy.py hands it to nothing else.
            self.put(("deserialize", id(converted), False), converted, converted)
        return converted


def _memo() -> _CallMemo | None:
    memo: _CallMemo | None = getattr(_local, "memo", None)
    return memo


def _message_to_dict(message: Any, *args: Any, **kwargs: Any) -> Any:
    if args or kwargs or type(message) is not _Struct:
        return _real_message_to_dict(message, *args, **kwargs)
    memo: _CallMemo | None = getattr(_local, "memo", None)
    return struct_to_dict(message) if memo is None else memo.dict_of(message)


class _JsonFormat:
    """Stands for `google.protobuf.json_format` inside `pulumi_policy.policy` only."""

    MessageToDict = staticmethod(_message_to_dict)

    def __getattr__(self, name: str) -> Any:
        return getattr(json_format, name)


def _memoized_deserialize(convert: Callable[..., Any]) -> Callable[..., Any]:
    def deserialize_properties(props: Any, proxy_secrets: bool = False) -> Any:
        if type(props) is _Unread:
            # Deserialising changes nothing (_convertible_on_read); the SDK never asks this with
            # proxy_secrets in AnalyzeStack, but if it did it gets the eager result.
            return convert(struct_to_dict(props.message), True) if proxy_secrets else props
        memo: _CallMemo | None = getattr(_local, "memo", None)
        if memo is None:
            return convert(props, proxy_secrets)
        key = ("deserialize", id(props), bool(proxy_secrets))
        found = memo.get(key)
        return memo.put(key, props, convert(props, proxy_secrets)) if found is _MISSING else found

    return deserialize_properties


def _memoized_proxy(convert: Callable[[Any], Any], lazy_proxy: type) -> Callable[[Any], Any]:
    def unknown_checking_proxy(props: Any) -> Any:
        if type(props) is _Unread:
            return lazy_proxy(props.message)
        memo: _CallMemo | None = getattr(_local, "memo", None)
        if memo is None:
            return convert(props)
        key = ("proxy", id(props))
        found = memo.get(key)
        return memo.put(key, props, convert(props)) if found is _MISSING else found

    return unknown_checking_proxy


def _per_call(handler: Callable[..., Any], read_lazily: bool) -> Callable[..., Any]:
    @functools.wraps(handler)
    def run(self: Any, request: Any, context: Any) -> Any:
        outer = _memo()
        _local.memo = _CallMemo(read_lazily)
        try:
            return handler(self, request, context)
        finally:
            _local.memo = outer

    return run


def _provider_by_content(get_provider: Callable[[Any, Any], Any]) -> Callable[[Any, Any], Any]:
    @functools.wraps(get_provider)
    def _get_provider_resource(self: Any, request: Any) -> Any:
        memo = _memo()
        if memo is None:
            return get_provider(self, request)
        memo.in_provider = True
        try:
            return get_provider(self, request)
        finally:
            memo.in_provider = False

    return _get_provider_resource


# --- installation ---------------------------------------------------------------------------------


def _names_same(user: Any, owner: Any, name: str) -> bool:
    """`user.name` is still `owner.name` (not moved, renamed or already wrapped)."""
    found = getattr(user, name, None)
    return found is not None and found is getattr(owner, name, None)


def install() -> bool:
    """Install the speed-ups into pulumi_policy; True if they are (now or already) in place.

    Installs nothing, and returns False, unless the SDK is a version listed above and its modules
    still name what this module expects."""
    try:
        from pulumi_policy import deserialize, policy, proxy, version
    except ImportError:
        return False
    servicer = getattr(policy, "_PolicyAnalyzerServicer", None)
    if servicer is None:
        return False
    if getattr(servicer, _INSTALLED, False):
        return True
    expected = (
        getattr(version, "VERSION", None) in SUPPORTED_SDK_VERSIONS
        and getattr(policy, "json_format", None) is json_format
        and _names_same(policy, deserialize, "deserialize_properties")
        and _names_same(policy, proxy, "unknown_checking_proxy")
        and all(isinstance(getattr(proxy, name, None), type) for name in ("_DictProxy", "_ListProxy"))
        and callable(getattr(proxy, "_proxy_helper", None))
        and callable(getattr(proxy, "_raise_if_unknown", None))
        and all(callable(getattr(servicer, name, None)) for name in (*_HANDLERS, "_get_provider_resource"))
    )
    if not expected:
        return False
    # The names policy.py looks up at call time; the SDK's other modules keep the originals.
    module: Any = policy
    module.json_format = _JsonFormat()
    module.deserialize_properties = _memoized_deserialize(module.deserialize_properties)
    build = proxy_builder(proxy._DictProxy, proxy._ListProxy, proxy._proxy_helper)
    module.unknown_checking_proxy = _memoized_proxy(
        lambda props: build(props, []), lazy_proxy_type(proxy._DictProxy, proxy._raise_if_unknown, build)
    )
    servicer._get_provider_resource = _provider_by_content(servicer._get_provider_resource)
    for name in _HANDLERS:
        setattr(servicer, name, _per_call(getattr(servicer, name), read_lazily=name == "AnalyzeStack"))
    setattr(servicer, _INSTALLED, True)
    return True
