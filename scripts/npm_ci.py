"""`npm ci` a package directory, unless what is installed already is what its lockfile pins.

    python scripts/npm_ci.py DIRECTORY [more npm ci arguments]

`npm ci` deletes and reinstalls node_modules on every call (seconds to tens of seconds even from
npm's cache), so `nox -s tests` and `.ci/run` call this instead. The installed tree is current when
npm's own record of it, node_modules/.package-lock.json (written by every install), lists exactly
the packages of the committed package-lock.json, and every one of them is on disk. On a fresh clone
(no node_modules), after a lockfile change, or after a package folder was removed, it installs.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

NPM_CI = ("npm", "ci", "--ignore-scripts", "--no-audit", "--no-fund")


def _packages(lockfile: Path) -> dict[str, Any] | None:
    try:
        data = json.loads(lockfile.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    packages = data.get("packages") if isinstance(data, dict) else None
    if not isinstance(packages, dict):
        return None
    # The root project ("") is in package-lock.json only, never in the installed tree's record.
    return {path: entry for path, entry in packages.items() if path}


def installed_tree_is_current(directory: Path) -> bool:
    """True when node_modules holds exactly the packages package-lock.json pins."""
    wanted = _packages(directory / "package-lock.json")
    installed = _packages(directory / "node_modules" / ".package-lock.json")
    if wanted is None or installed is None or wanted != installed:
        return False
    return all((directory / path).is_dir() for path in wanted)


def main(argv: list[str]) -> int:
    if not argv:
        print(__doc__, file=sys.stderr)
        return 2
    directory, extra = Path(argv[0]), argv[1:]
    if not (directory / "package-lock.json").is_file():
        print(f"{directory}: no package-lock.json to install from", file=sys.stderr)
        return 2
    if installed_tree_is_current(directory):
        print(f"{directory}/node_modules matches package-lock.json: npm ci skipped")
        return 0
    return subprocess.run([*NPM_CI, "--prefix", str(directory), *extra], check=False).returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
