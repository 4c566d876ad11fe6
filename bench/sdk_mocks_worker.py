"""The baseline of the program stage: a Pulumi program under the Pulumi SDK's own mocks
(`pulumi.runtime.mocks.MockMonitor` with mocks that echo the inputs back as outputs), run the way
policy_preview/program/worker.py runs it (config from PULUMI_CONFIG, cwd = project root,
`run_in_stack(runpy.run_path(main))`), recording nothing.

Usage: python bench/sdk_mocks_worker.py <project> <stack> <main>     (prints the resource count)
"""

from __future__ import annotations

import asyncio
import logging
import runpy
import sys
from typing import Any

import pulumi.runtime
from pulumi.runtime import mocks, settings, stack


class EchoMocks(mocks.Mocks):
    """Each resource comes back with its inputs; functions return nothing."""

    def new_resource(self, args: mocks.MockResourceArgs) -> tuple[str, dict[str, Any]]:
        return f"{args.name}-id", dict(args.inputs)

    def call(self, args: mocks.MockCallArgs) -> tuple[dict[str, Any], None]:
        return {}, None


def _run_main(main_path: str) -> None:
    runpy.run_path(main_path, run_name="__main__")


def main(argv: list[str]) -> int:
    project, stack_name, main_path = argv[1:4]
    logging.getLogger("asyncio").setLevel(logging.CRITICAL)
    pulumi.runtime.set_all_config(
        pulumi.runtime.get_config_env(), pulumi.runtime.get_config_secret_keys_env()
    )
    monitor = mocks.MockMonitor(EchoMocks())
    settings.configure(
        mocks.MockSettings(
            monitor=monitor,
            monitor_features=set(monitor.GetDeploymentInfo(None).supportedFeatures),
            engine=mocks.MockEngine(logging.getLogger("pulumi")),
            project=project,
            stack=stack_name,
            dry_run=True,
            organization=None,
            callbacks=None,
        )
    )
    sys.argv = [main_path]
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    try:
        loop.run_until_complete(stack.run_in_stack(lambda: _run_main(main_path)))
    finally:
        loop.close()
    print(len(monitor.resources))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
