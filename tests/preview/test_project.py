"""Reading Pulumi.yaml and Pulumi.<stack>.yaml as the CLI does (no program is run here)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from policy_preview.errors import ConfigError, ProgramError
from policy_preview.model import UNKNOWN_WIRE
from policy_preview.program.project import apply_overrides, load_project, load_stack_config

FIXTURES = Path(__file__).parent / "fixtures" / "programs"


def write_project(root: Path, pulumi_yaml: str, *, main_file: str = "__main__.py") -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "Pulumi.yaml").write_text(pulumi_yaml)
    target = root / main_file
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text("")
    return root


def test_reads_name_runtime_and_default_main() -> None:
    project = load_project(FIXTURES / "table_policy")
    assert (project.name, project.runtime, project.main) == ("fixture-table", "python", ".")
    assert project.main_path == (FIXTURES / "table_policy").resolve()


def test_main_may_be_a_subdirectory() -> None:
    project = load_project(FIXTURES / "sibling_import")
    assert project.main == "app"
    assert project.main_path.name == "app"


def test_missing_pulumi_yaml_names_the_directory(tmp_path: Path) -> None:
    with pytest.raises(ProgramError, match=r"No Pulumi\.yaml in .*") as raised:
        load_project(tmp_path)
    assert str(tmp_path) in raised.value.message


def test_invalid_yaml_reports_file_line_and_column(tmp_path: Path) -> None:
    write_project(tmp_path, "name: broken\nruntime: [python\n")
    with pytest.raises(ProgramError, match=r"Pulumi\.yaml: invalid YAML at line \d+, column \d+"):
        load_project(tmp_path)


@pytest.mark.parametrize(
    ("pulumi_yaml", "problem"),
    [
        ("runtime: python\n", "`name` is missing"),
        ("name: x\nruntime: dotnet\n", "runtime is 'dotnet'; the offline preview runs Python and Node.js"),
        ("name: x\nruntime:\n  name: nodejs\n  options: [ts]\n", "`runtime.options` must be a mapping"),
        ("name: x\nruntime:\n  name: go\n", "runtime is 'go'"),
        ("name: x\nruntime: python\nmain: src/\n", "main 'src/' does not exist"),
        ("- just\n- a list\n", "expected a mapping"),
    ],
)
def test_unusable_project_files_say_what_is_wrong(tmp_path: Path, pulumi_yaml: str, problem: str) -> None:
    write_project(tmp_path, pulumi_yaml)
    with pytest.raises(ProgramError, match=problem):
        load_project(tmp_path)


def test_main_directory_without_dunder_main_is_rejected(tmp_path: Path) -> None:
    write_project(tmp_path, "name: x\nruntime:\n  name: python\nmain: app\n", main_file="app/other.py")
    with pytest.raises(ProgramError, match=r"has no __main__\.py"):
        load_project(tmp_path)


def test_stack_config_is_namespaced_and_stringified_like_the_cli() -> None:
    project = load_project(FIXTURES / "config_env")
    config = load_stack_config(project, "dev")
    assert config.values["fixture-config:readCapacity"] == "5"
    assert config.values["fixture-config:deletionProtection"] == "true"
    assert config.values["aws:region"] == "eu-central-1"
    # Project defaults apply unless the stack file overrides them; namespaced and bare keys meet.
    assert config.values["fixture-config:tableBase"] == "from-project"
    assert config.values["fixture-config:owner"] == "stack-owner"


def test_secure_values_become_unknown_secrets() -> None:
    config = load_stack_config(load_project(FIXTURES / "config_env"), "dev")
    assert config.values["fixture-config:apiToken"] == UNKNOWN_WIRE
    assert config.secret_keys == {"fixture-config:apiToken"}


def test_structured_values_travel_as_json() -> None:
    config = load_stack_config(load_project(FIXTURES / "component"), "dev")
    assert json.loads(config.values["aws:defaultTags"]) == {"tags": {"owner": "platform"}}


def test_missing_stack_file_means_project_defaults_only() -> None:
    project = load_project(FIXTURES / "config_env")
    assert load_stack_config(project, "prod").values == {
        "fixture-config:tableBase": "from-project",
        "fixture-config:owner": "project-owner",
    }


def test_command_line_overrides_win_and_are_plain() -> None:
    project = load_project(FIXTURES / "config_env")
    config = apply_overrides(
        load_stack_config(project, "dev"), {"apiToken": "stand-in", "aws:region": "us-west-2"}, project.name
    )
    assert config.values["fixture-config:apiToken"] == "stand-in"
    assert config.values["aws:region"] == "us-west-2"
    assert "fixture-config:apiToken" not in config.secret_keys


@pytest.mark.parametrize("key", ["", ":x", "x:"])
def test_malformed_override_keys_are_config_errors(key: str) -> None:
    project = load_project(FIXTURES / "config_env")
    with pytest.raises(ConfigError, match="not a valid key"):
        apply_overrides(load_stack_config(project, "dev"), {key: "v"}, project.name)


def test_invalid_stack_yaml_is_a_config_error(tmp_path: Path) -> None:
    write_project(tmp_path, "name: x\nruntime: python\n")
    (tmp_path / "Pulumi.dev.yaml").write_text("config:\n  a: [1\n")
    with pytest.raises(ConfigError, match=r"Pulumi\.dev\.yaml: invalid YAML at line"):
        load_stack_config(load_project(tmp_path), "dev")
