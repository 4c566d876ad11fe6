"""The tags every taggable resource of the stack carries."""

from __future__ import annotations

from dataclasses import dataclass

# Roles carry their access level so a policy (or a person) can tell read-only roles apart.
ACCESS_LEVEL_TAG = "AccessLevel"
READ_ONLY = "read-only"
READ_WRITE = "read-write"


@dataclass(frozen=True)
class StackTags:
    environment: str
    repository: str
    team: str
    cost_center: str

    def as_dict(self) -> dict[str, str]:
        return {
            "Environment": self.environment,
            "Repository": self.repository,
            "Team": self.team,
            "CostCenter": self.cost_center,
        }

    def with_extra(self, **extra: str) -> dict[str, str]:
        """The stack's tags plus resource-specific ones; the stack's four always win."""
        return {**extra, **self.as_dict()}
