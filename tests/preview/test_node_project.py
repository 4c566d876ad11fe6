"""How a Node.js project is read and launched, as Pulumi's Node language host does it (no program
runs here): runtime options, program directory and entry point, config handed to the SDK, and
error stack traces cut to the program's own frames."""

from __future__ import annotations

from pathlib import Path

import pytest

from policy_preview.errors import ProgramError
from policy_preview.program.node_runner import (
    NodeOptions,
    entry_file,
    legacy_config_keys,
    node_options,
    program_directory_and_entry,
    program_frames,
)
from policy_preview.program.project import load_project
from policy_preview.program.runner import program_entry

from .conftest import NODE_FIXTURES


def write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root


def test_the_seed_project_runs_bin_tap_ts_from_bin() -> None:
    project = load_project(NODE_FIXTURES / "tap")
    assert (project.name, project.runtime, project.main) == ("TapStack", "nodejs", "bin/tap.ts")
    # As the CLI's getPwdMain: a main file runs with its directory as the working directory.
    pwd, entry = program_directory_and_entry(project)
    assert (pwd, entry) == (NODE_FIXTURES / "tap" / "bin", str(NODE_FIXTURES / "tap" / "bin" / "tap.ts"))
    assert program_entry(project) == NODE_FIXTURES / "tap" / "bin" / "tap.ts"
    assert node_options(project) == NodeOptions(typescript=True)


def test_javascript_project_options_and_package_json_main() -> None:
    project = load_project(NODE_FIXTURES / "parity-js")
    assert node_options(project) == NodeOptions(typescript=False)
    assert program_directory_and_entry(project) == (NODE_FIXTURES / "parity-js", ".")
    assert entry_file(project) == NODE_FIXTURES / "parity-js" / "src" / "app.js"


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        ({"index.ts": "", "index.js": ""}, "index.js"),  # Node tries .js before ts-node's .ts
        ({"index.ts": ""}, "index.ts"),
        ({"package.json": '{"exports": {".": {"require": "./lib/a.js"}}}', "lib/a.js": ""}, "lib/a.js"),
        ({"package.json": '{"main": "missing.js"}', "index.js": ""}, "index.js"),
    ],
)
def test_entry_point_of_a_directory_main(tmp_path: Path, files: dict[str, str], expected: str) -> None:
    write(tmp_path, {"Pulumi.yaml": "name: x\nruntime: nodejs\n", **files})
    assert entry_file(load_project(tmp_path)) == (tmp_path / expected).resolve()


def test_a_main_directory_needs_no_dunder_main_for_nodejs(tmp_path: Path) -> None:
    write(tmp_path, {"Pulumi.yaml": "name: x\nruntime: nodejs\nmain: app\n", "app/index.ts": ""})
    project = load_project(tmp_path)
    assert program_directory_and_entry(project) == ((tmp_path / "app").resolve(), ".")


@pytest.mark.parametrize(
    ("options", "problem"),
    [
        ("typescript: 'no'", r"runtime.options.typescript must be true or false, not 'no'"),
        ("tsconfig: 3", r"runtime.options.tsconfig must be a path"),
        ("nodeargs: [--max-old-space-size=4096]", r"runtime.options.nodeargs must be a string"),
        ('nodeargs: "--require \'unclosed"', r"cannot be split into arguments"),
    ],
)
def test_bad_runtime_options_name_the_option(tmp_path: Path, options: str, problem: str) -> None:
    write(tmp_path, {"Pulumi.yaml": f"name: x\nruntime:\n  name: nodejs\n  options:\n    {options}\n"})
    with pytest.raises(ProgramError, match=problem) as raised:
        node_options(load_project(tmp_path))
    assert str(tmp_path / "Pulumi.yaml") in raised.value.message


def test_runtime_options_as_the_language_host_reads_them(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "Pulumi.yaml": "name: x\nruntime:\n  name: nodejs\n  options:\n    typescript: true\n"
            "    tsconfig: tsconfig.pulumi.json\n    nodeargs: --max-old-space-size=4096 --no-warnings\n"
        },
    )
    assert node_options(load_project(tmp_path)) == NodeOptions(
        typescript=True,
        tsconfig="tsconfig.pulumi.json",
        nodeargs=("--max-old-space-size=4096", "--no-warnings"),
    )


def test_config_keys_reach_the_sdk_in_the_language_hosts_form() -> None:
    assert legacy_config_keys({"aws:region": "eu-west-1", "parity:team": "data"}) == {
        "aws:config:region": "eu-west-1",
        "parity:config:team": "data",
    }


def test_stack_traces_keep_the_programs_frames_only(tmp_path: Path) -> None:
    message = "\n".join(
        [
            "Error: boom",
            f"    at check ({tmp_path}/lib/check.ts:3:9)",
            f"    at Object.<anonymous> ({tmp_path}/index.ts:2:1)",
            "    at Module._compile (node:internal/modules/cjs/loader:1554:14)",
            f"    at run ({tmp_path}/node_modules/@pulumi/pulumi/cmd/run/run.js:434:31)",
            "    at async Promise.all (index 0)",
        ]
    )
    assert program_frames(message, tmp_path) == "\n".join(
        [
            "Error: boom",
            f"    at check ({tmp_path}/lib/check.ts:3:9)",
            f"    at Object.<anonymous> ({tmp_path}/index.ts:2:1)",
            "    ... 3 more frames (SDK, Node.js) ...",
        ]
    )
    compiler_error = "TSError: index.ts(3,7): error TS2322"
    assert program_frames(compiler_error, tmp_path) == compiler_error
