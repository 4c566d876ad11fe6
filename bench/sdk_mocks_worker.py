"""The baseline of the program stage: a Pulumi program under the Pulumi SDK's own mocks
(`pulumi.runtime.mocks.MockMonitor` with mocks that echo the inputs back as outputs), run by
policy_preview/program/worker.py's own `run_program` (config from PULUMI_CONFIG, cwd = project
root, `run_in_stack(runpy.run_path(main))`), recording nothing.

Usage: python bench/sdk_mocks_worker.py <project> <stack> <main>     (prints the resource count)
"""

from __future__ import annotations

import logging
import sys
from typing import Any

import pulumi.runtime
from pulumi.runtime import mocks

from policy_preview.program.worker import run_program


class EchoMocks(mocks.Mocks):
    """Each resource comes back with its inputs; functions return nothing."""

    def new_resource(self, args: mocks.MockResourceArgs) -> tuple[str, dict[str, Any]]:
        return f"{args.name}-id", dict(args.inputs)

    def call(self, args: mocks.MockCallArgs) -> tuple[dict[str, Any], None]:
        return {}, None


def main(argv: list[str]) -> int:
    project, stack_name, main_path = argv[1:4]
    logging.getLogger("asyncio").setLevel(logging.CRITICAL)
    pulumi.runtime.set_all_config(
        pulumi.runtime.get_config_env(), pulumi.runtime.get_config_secret_keys_env()
    )
    monitor = mocks.MockMonitor(EchoMocks())
    run_program(monitor, project, stack_name, main_path, dry_run=True)
    print(len(monitor.resources))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
