"""What every generator of a checked-in file shares: finding its pinned source, and "render,
compare, --check, write".

Sources: an installed Python package (a test extra pinned in pyproject.toml), found and read as
data without importing it; an npm package pinned by a lockfile, installed with `npm ci`. A
generator keeps only its own data logic: `expected()` renders the text of every file it owns
(path -> text), and its `main` hands that to `sync`:

    def main(argv: list[str] | None = None) -> int:
        args = generated_files.parser(__doc__).parse_args(argv)
        return generated_files.sync(expected(), check=args.check, command="python scripts/generate_x.py")

`--check` names each stale file and exits 1 (CI, and tests/test_generated_files.py); without it,
the stale files are written (and retired ones removed) and the rest left alone.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


class SourceNotInstalled(SystemExit):
    """A generator's pinned source is not installed here (the message says how to install it)."""


def python_package_dir(package: str) -> Path:
    """Where an installed Python package lives, found without importing (executing) it."""
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise SourceNotInstalled(f"{package} is not installed: pip install -e '.[test]' -c constraints.txt")
    return Path(next(iter(spec.submodule_search_locations)))


@dataclass(frozen=True)
class NpmPackage:
    """An npm package pinned in `prefix`/package-lock.json and installed under `prefix`."""

    prefix: Path
    name: str

    def pinned_version(self) -> str:
        lock = json.loads((self.prefix / "package-lock.json").read_text(encoding="utf-8"))
        return str(lock["packages"][f"node_modules/{self.name}"]["version"])

    def installed_version(self) -> str | None:
        manifest = self.prefix / "node_modules" / self.name / "package.json"
        if not manifest.exists():
            return None
        return str(json.loads(manifest.read_text(encoding="utf-8"))["version"])

    def installed_dir(self) -> Path:
        """The installed package, which must be the pinned version."""
        found, pinned = self.installed_version(), self.pinned_version()
        if found is None:
            raise SourceNotInstalled(
                f"{self.name} is not installed: npm ci --ignore-scripts --prefix {self.prefix}"
            )
        if found != pinned:
            raise SystemExit(f"{self.name} {found} installed but {pinned} pinned: run npm ci again")
        return self.prefix / "node_modules" / self.name


def string(text: str) -> str:
    """A Python string literal, double-quoted as ruff formats it."""
    return json.dumps(text)


def strings_tuple(items: Iterable[str]) -> str:
    """A tuple literal of strings: `("a",)`, `("a", "b")`, `()`."""
    quoted = [string(item) for item in items]
    return f"({quoted[0]},)" if len(quoted) == 1 else "(" + ", ".join(quoted) + ")"


def frozenset_lines(name: str, items: Iterable[str]) -> list[str]:
    """`NAME: frozenset[str] = frozenset([...])`, one quoted item a line, as ruff formats it."""
    return [
        f"{name}: frozenset[str] = frozenset(",
        "    [",
        *(f'        "{item}",' for item in items),
        "    ]",
        ")",
    ]


def parser(doc: str | None) -> argparse.ArgumentParser:
    """The command line every generator takes; add a generator's own options to it."""
    result = argparse.ArgumentParser(description=doc, formatter_class=argparse.RawDescriptionHelpFormatter)
    result.add_argument("--check", action="store_true", help="exit 1 if a checked-in file is out of date")
    return result


def stale_files(expected: Mapping[Path, str], root: Path = ROOT) -> list[Path]:
    """The expected files (paths relative to `root`, or absolute) whose text differs or that are missing."""
    return [
        path
        for path, text in expected.items()
        if not (root / path).is_file() or (root / path).read_text(encoding="utf-8") != text
    ]


def sync(
    expected: Mapping[Path, str],
    *,
    check: bool,
    command: str,
    root: Path = ROOT,
    retired: Iterable[Path] = (),
) -> int:
    """Compare the expected files with the checked-in ones. `check`: name each stale one (and each
    `retired` file, one that is no longer generated) and return 1; otherwise write and remove them."""
    stale = stale_files(expected, root)
    gone = [path for path in retired if path not in expected]
    if not stale and not gone:
        print(f"{len(expected)} generated file(s) current")
        return 0
    if check:
        for path in [*stale, *gone]:
            print(f"{path} is out of date; run: {command}", file=sys.stderr)
        return 1
    for path in stale:
        target = root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(expected[path], encoding="utf-8")
        print(f"wrote {path}")
    for path in gone:
        (root / path).unlink()
        print(f"removed {path} (no longer generated)")
    return 0
