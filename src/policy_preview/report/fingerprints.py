"""A finding's identity across runs, machines and checkouts: what code scanning tracks
(SARIF partialFingerprints), what JSON reports carry, and what a baseline remembers.

The fingerprint hashes the pack name, the policy name, the resource's URN (stack, project, type
chain and name) and a normalised key of the message. It never includes paths, line numbers,
times or the pack version, so moving code, another checkout directory or a pack upgrade keeps it.
The message key drops the policy description the SDK prefixes to every message (it may be
reworded between pack versions) and replaces digits and auto-name suffixes, so a threshold or
a random physical-name suffix does not make a new finding; the words that say *what* is wrong
stay, so two different violations of one policy on one resource stay apart. Findings that are
still equal get an occurrence number in a stable order.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Sequence

from policy_preview.model import Finding

FINGERPRINT_VERSION = "v1"
_AUTO_NAME = re.compile(r"-[0-9a-f]{7}\b")  # the provider's `<name>-<7 hex>` auto-name suffix
_UUID = re.compile(r"\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b")
_DIGITS = re.compile(r"\d+")
_SPACE = re.compile(r"\s+")


def message_key(finding: Finding) -> str:
    """The part of the message that identifies the violation."""
    message = finding.message
    if finding.description and message.startswith(finding.description):
        message = message[len(finding.description) :]
    message = _UUID.sub("<uuid>", message.lower())
    message = _AUTO_NAME.sub("-<suffix>", message)
    message = _DIGITS.sub("#", message)
    return _SPACE.sub(" ", message).strip()


def base_fingerprint(finding: Finding) -> str:
    parts = (
        FINGERPRINT_VERSION,
        finding.policy_pack,
        finding.policy,
        finding.urn or "",
        message_key(finding),
    )
    return hashlib.sha256("\0".join(parts).encode("utf-8")).hexdigest()[:32]


def fingerprints(findings: Sequence[Finding]) -> list[str]:
    """One fingerprint per finding, in the order given; equal base fingerprints are numbered
    (`<hash>:2`, ...) in the order of their full message text, the first keeps the bare hash."""
    bases = [base_fingerprint(f) for f in findings]
    order = sorted(range(len(findings)), key=lambda i: (bases[i], findings[i].message, i))
    seen: Counter[str] = Counter()
    result = [""] * len(findings)
    for i in order:
        seen[bases[i]] += 1
        n = seen[bases[i]]
        result[i] = bases[i] if n == 1 else f"{bases[i]}:{n}"
    return result
