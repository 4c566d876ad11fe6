"""User-facing errors of the offline preview: each carries a one-paragraph message saying what went
wrong and where, and the process exit code (2 = bad input or a failed pack)."""

from __future__ import annotations

EXIT_BAD_INPUT = 2


class PreviewError(Exception):
    """An error the user can fix; the CLI prints `message` and exits with `exit_code`."""

    exit_code: int = EXIT_BAD_INPUT

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class ProgramError(PreviewError):
    """The Pulumi program could not be found, loaded, or raised while running."""


class ExportError(PreviewError):
    """A `pulumi stack export` file is missing, not JSON, or not a deployment."""


class PackError(PreviewError):
    """A policy pack did not start, died, hung, or broke the Analyzer protocol."""


class ConfigError(PreviewError):
    """Bad configuration: `--config`, `--policy-pack-config`, or other command-line input."""
