"""The benchmark's baseline pack: one resource policy that accepts everything.

What the pulumi_policy SDK costs on its own (import, gRPC server, one deserialisation per
resource); `bench` compares our pack with it.
"""

from typing import Any

from pulumi_policy import EnforcementLevel, PolicyPack, ResourceValidationPolicy


def _accept_everything(args: Any, report_violation: Any) -> None:
    return None


PolicyPack(
    name="noop",
    description="Benchmark baseline: one resource policy that does nothing.",
    policies=[
        ResourceValidationPolicy(
            name="noop",
            description="Accepts every resource.",
            enforcement_level=EnforcementLevel.ADVISORY,
            validate=_accept_everything,
        )
    ],
)
