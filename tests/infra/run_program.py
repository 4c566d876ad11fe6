"""Run infra/ the way Pulumi's Python language host does - cwd = project root,
`runpy.run_path("infra")` - under the preview's mock engine, and print what happened as JSON.

Used by test_program.py in a fresh interpreter, so nothing of infra/ is importable beforehand.
"""

from __future__ import annotations

import json
import runpy
import sys
from typing import Any

import pulumi
from pulumi.runtime.settings import get_root_resource

from tests.infra.engine import install_engine, program_resources


def main() -> None:
    monitor = install_engine(stack="dev", config=pulumi.runtime.get_config_env())
    result: dict[str, Any] = {}

    @pulumi.runtime.test
    def program() -> pulumi.Output[None]:
        runpy.run_path("infra", run_name="__main__")
        outputs = get_root_resource().outputs  # type: ignore[union-attr]
        return pulumi.Output.all(**outputs).apply(lambda resolved: result.update(outputs=resolved))

    try:
        program()
    except Exception as error:  # noqa: BLE001 - reported to the test, which decides
        result["error"] = f"{type(error).__name__}: {error}"
    result["registered"] = [r.type for r in program_resources(monitor.records)]
    json.dump(result, sys.stdout)


if __name__ == "__main__":
    main()
