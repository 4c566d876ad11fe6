"""Go's `time.ParseDuration`, which the engine applies to `customTimeouts` strings ("5m", "1h30m")
before it stores them, and hands them to analyzers, as seconds (pkg/resource/deploy/source_eval.go,
generateTimeoutInSeconds)."""

from __future__ import annotations

import re

_UNIT_SECONDS = {
    "ns": 1e-9,
    "us": 1e-6,
    "\u00b5s": 1e-6,  # micro sign
    "\u03bcs": 1e-6,  # Greek mu
    "ms": 1e-3,
    "s": 1.0,
    "m": 60.0,
    "h": 3600.0,
}
_PART = re.compile(r"(\d+\.?\d*|\.\d+)([^\d.]+)")


def duration_seconds(text: str) -> float:
    """`"1h30m"` -> 5400.0; ValueError with the engine's wording for anything Go would reject."""
    body = text[1:] if text[:1] in "+-" else text
    sign = -1.0 if text.startswith("-") else 1.0
    if body == "0":
        return 0.0
    total, position = 0.0, 0
    for match in _PART.finditer(body):
        if match.start() != position or match.group(2) not in _UNIT_SECONDS:
            break
        total += float(match.group(1)) * _UNIT_SECONDS[match.group(2)]
        position = match.end()
    if not body or position != len(body):
        raise ValueError(
            f"unable to parse customTimeout Value {text}: expected a Go duration such as "
            '"30s", "5m" or "1h30m" (units ns, us, ms, s, m, h)'
        )
    return sign * total
