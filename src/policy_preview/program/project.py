"""Read a Pulumi project the way the CLI does: `Pulumi.yaml` (name, runtime, main, project config)
and `Pulumi.<stack>.yaml` (stack config), merged into the flat `project:key -> string` map the
language host hands to the program.

Secure (`secure: ...`) values are encrypted with the stack's secrets provider, which we cannot
reach offline. They become the unknown sentinel, marked secret: the program sees an unknown secret
(a policy never judges an unknown value), and `--config key=value` can supply a stand-in.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from policy_preview.errors import ConfigError, ProgramError
from policy_preview.model import UNKNOWN_WIRE

PROJECT_FILE = "Pulumi.yaml"
RUNTIMES = ("python", "nodejs")  # the language hosts the preview stands in for


@dataclass(frozen=True)
class Project:
    """What `Pulumi.yaml` says about a program."""

    root: Path
    name: str
    runtime: str
    main: str = "."
    config_defaults: dict[str, str] = field(default_factory=dict)
    secret_default_keys: frozenset[str] = frozenset()
    runtime_options: dict[str, Any] = field(default_factory=dict)  # `runtime: {options: ...}`

    @property
    def main_path(self) -> Path:
        return (self.root / self.main).resolve()


@dataclass(frozen=True)
class StackConfig:
    """Config as the language host receives it: namespaced keys, string values."""

    values: dict[str, str]
    secret_keys: frozenset[str] = frozenset()


def load_project(project_dir: Path) -> Project:
    """Parse `Pulumi.yaml` in `project_dir`; ProgramError says what is wrong and where."""
    root = project_dir.resolve()
    path = root / PROJECT_FILE
    if not path.is_file():
        raise ProgramError(f"No {PROJECT_FILE} in {root}: pass the directory of a Pulumi project.")
    document = _read_yaml(path, ProgramError)
    if not isinstance(document, dict):
        raise ProgramError(f"{path}: expected a mapping with `name` and `runtime`, got {_kind(document)}.")
    name = document.get("name")
    if not isinstance(name, str) or not name:
        raise ProgramError(f"{path}: `name` is missing or not a string.")
    runtime = _runtime_name(document.get("runtime"))
    if runtime not in RUNTIMES:
        raise ProgramError(
            f"{path}: runtime is {runtime!r}; the offline preview runs Python and Node.js (`nodejs`) "
            "programs (for others, preview a `pulumi stack export` file)."
        )
    main = document.get("main", ".")
    if not isinstance(main, str) or not main:
        raise ProgramError(f"{path}: `main` must be a path relative to the project directory.")
    main_path = (root / main).resolve()
    if not main_path.exists():
        raise ProgramError(f"{path}: main {main!r} does not exist ({main_path}).")
    if runtime == "python" and main_path.is_dir() and not (main_path / "__main__.py").is_file():
        raise ProgramError(f"{path}: main directory {main_path} has no __main__.py.")
    defaults, secret_defaults = _project_config_defaults(document.get("config"), name, path)
    options = _runtime_options(document.get("runtime"), path)
    return Project(root, name, runtime, main, defaults, secret_defaults, options)


def load_stack_config(project: Project, stack: str) -> StackConfig:
    """Project defaults, then `Pulumi.<stack>.yaml` (a missing file means no stack config)."""
    values = dict(project.config_defaults)
    secret_keys = set(project.secret_default_keys)
    path = project.root / f"Pulumi.{stack}.yaml"
    if path.is_file():
        document = _read_yaml(path, ConfigError) or {}
        if not isinstance(document, dict):
            raise ConfigError(f"{path}: expected a mapping, got {_kind(document)}.")
        entries = document.get("config") or {}
        if not isinstance(entries, dict):
            raise ConfigError(f"{path}: `config` must be a mapping of keys to values.")
        for key, raw in entries.items():
            full_key = namespaced_key(str(key), project.name)
            value, secret = config_value(raw)
            values[full_key] = value
            secret_keys.discard(full_key)
            if secret:
                secret_keys.add(full_key)
    return StackConfig(values, frozenset(secret_keys))


def apply_overrides(config: StackConfig, overrides: Mapping[str, str], project_name: str) -> StackConfig:
    """Command-line `key=value` pairs win over files; an override is a plain (known) value."""
    values = dict(config.values)
    secret_keys = set(config.secret_keys)
    for key, value in overrides.items():
        if not key or key.startswith(":") or key.endswith(":"):
            raise ConfigError(f"Config key {key!r} is not a valid key (use `name` or `namespace:name`).")
        full_key = namespaced_key(key, project_name)
        values[full_key] = value
        secret_keys.discard(full_key)
    return StackConfig(values, frozenset(secret_keys))


def namespaced_key(key: str, project_name: str) -> str:
    """`key` -> `project:key`, as the CLI does for keys without a namespace."""
    return key if ":" in key else f"{project_name}:{key}"


def config_value(raw: Any) -> tuple[str, bool]:
    """A YAML config value as the language host receives it: scalars as strings, structured values
    as JSON, `secure:` values as an unknown secret. Returns (value, is_secret)."""
    if isinstance(raw, dict) and set(raw) == {"secure"}:
        return UNKNOWN_WIRE, True
    if isinstance(raw, str):
        return raw, False
    if isinstance(raw, bool):
        return ("true" if raw else "false"), False
    if isinstance(raw, int | float):
        return str(raw), False
    if raw is None:
        return "", False
    secret = _contains_secure(raw)
    return json.dumps(_blank_secure(raw), separators=(",", ":")), secret


def _project_config_defaults(
    section: Any, project_name: str, path: Path
) -> tuple[dict[str, str], frozenset[str]]:
    # Pulumi.yaml `config:` holds either plain values or typed declarations with a `default`.
    if section is None:
        return {}, frozenset()
    if not isinstance(section, dict):
        raise ProgramError(f"{path}: `config` must be a mapping.")
    values: dict[str, str] = {}
    secret_keys: set[str] = set()
    for key, entry in section.items():
        declared = isinstance(entry, dict) and ("type" in entry or "default" in entry or "secret" in entry)
        if declared and "default" not in entry:
            continue
        raw = entry["default"] if declared else entry
        full_key = namespaced_key(str(key), project_name)
        values[full_key], secret = config_value(raw)
        if secret or (declared and entry.get("secret") is True):
            secret_keys.add(full_key)
    return values, frozenset(secret_keys)


def _runtime_name(runtime: Any) -> str:
    if isinstance(runtime, dict):
        runtime = runtime.get("name")
    return runtime if isinstance(runtime, str) else repr(runtime)


def _runtime_options(runtime: Any, path: Path) -> dict[str, Any]:
    options = runtime.get("options") if isinstance(runtime, dict) else None
    if options is None:
        return {}
    if not isinstance(options, dict):
        raise ProgramError(f"{path}: `runtime.options` must be a mapping, got {_kind(options)}.")
    return dict(options)


def _read_yaml(path: Path, error: type[ProgramError] | type[ConfigError]) -> Any:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else "unknown position"
        raise error(f"{path}: invalid YAML at {where}: {exc.problem}.") from None
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise error(f"{path}: cannot read: {exc}.") from None


def _contains_secure(raw: Any) -> bool:
    if isinstance(raw, dict):
        return set(raw) == {"secure"} or any(_contains_secure(v) for v in raw.values())
    if isinstance(raw, list):
        return any(_contains_secure(v) for v in raw)
    return False


def _blank_secure(raw: Any) -> Any:
    if isinstance(raw, dict):
        if set(raw) == {"secure"}:
            return UNKNOWN_WIRE
        return {k: _blank_secure(v) for k, v in raw.items()}
    if isinstance(raw, list):
        return [_blank_secure(v) for v in raw]
    return raw


def _kind(value: Any) -> str:
    return "nothing" if value is None else type(value).__name__
