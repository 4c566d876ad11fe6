"""Where the user's code constructed a resource, in the form `pulumi stack export` stores it.

The engine keeps a resource's source position as `project:///<path relative to the project
root>#<line>[,<column>]` (pulumi/pulumi pkg/resource/deploy/source_eval.go, parseSourcePosition):
the SDK sends `file://<absolute path>` and a line, and the engine makes the path project-relative.
Records carry that string; `source_location` turns it into `path:line` for reports, or None when
the position would point at the wrong file.

Which frame a program run records: the Python SDK's `sourcePosition` is the frame that called the
resource's constructor. For a resource built inside a component that is the line in the
component's module (where the resource's properties are written, so where a fix goes). When that
frame is library code (site-packages: a component from a package), the preview walks the SDK's
stack trace outwards to the innermost frame in the project, i.e. the line of the user's program
that constructed the library component. A `pulumi stack export` holds only the first frame, so
there such a resource has no usable position and reports say so. The SDK also sends nothing for
lines of a main *file* named by a relative path (`main: app.py`), as under the CLI; a main
directory (the default `.`) runs from an absolute path and is located.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from urllib.parse import quote, unquote, urlsplit

PROJECT_SCHEME = "project"
# Directories that hold installed packages: positions there are library internals.
LIBRARY_DIRS = frozenset({"site-packages", "dist-packages"})
UNKNOWN_NOT_RECORDED = "not recorded"
UNKNOWN_LIBRARY = "inside library code, outside the project"


@dataclass(frozen=True)
class SourceLocation:
    """A line of a file, the path relative to the project root (POSIX separators)."""

    path: str
    line: int

    def __str__(self) -> str:
        return f"{self.path}:{self.line}"


def project_position(file_uri: str, line: int, project_root: Path | None, column: int = 0) -> str | None:
    """The engine's `project:///...#line` form of an SDK position (`file://` URI + line), or None
    when the SDK sent nothing usable (as the engine drops such positions)."""
    if not file_uri or line < 0 or column < 0:
        return None
    parts = urlsplit(file_uri)
    if parts.scheme != "file":
        return None
    path = Path(unquote(parts.path))
    if not path.is_absolute():
        return None
    root = project_root.resolve() if project_root is not None else Path(path.anchor)
    relative = Path(posixpath.relpath(path.as_posix(), root.as_posix()))
    fragment = f"{line},{column}" if column else f"{line}"
    return f"{PROJECT_SCHEME}:///{quote(relative.as_posix())}#{fragment}"


def program_position(
    frames: Iterable[tuple[str, int]], project_root: Path, *, excluded: Iterable[Path] = ()
) -> str | None:
    """The position a program run records, from the SDK's stack trace (innermost frame first,
    each a `file://` URI and a line): the first frame inside the project and outside library
    code and `excluded` directories; when there is none, the first frame with a position (so a
    report can say it lies in a library)."""
    root = project_root.resolve()
    skipped = [p.resolve() for p in excluded]
    first: str | None = None
    for uri, line in frames:
        position = project_position(uri, line, root)
        if position is None:
            continue
        first = first or position
        path = Path(unquote(urlsplit(uri).path))
        if any(path.is_relative_to(p) for p in skipped):
            continue
        if source_location(position) is not None:
            return position
    return first


def source_location(position: str | None) -> SourceLocation | None:
    """`path:line` for a recorded position; None when there is none, it is malformed, or it lies
    outside the project or in installed packages (a report must not point at a wrong file)."""
    if not position or not isinstance(position, str):
        return None
    parts = urlsplit(position)
    if parts.scheme != PROJECT_SCHEME or not parts.fragment:
        return None
    line_text = parts.fragment.split(",", 1)[0]
    if not line_text.isdigit() or int(line_text) < 1:
        return None
    path = PurePosixPath(unquote(parts.path).lstrip("/"))
    if not path.parts or ".." in path.parts or LIBRARY_DIRS.intersection(path.parts):
        return None
    return SourceLocation(path.as_posix(), int(line_text))


def unknown_reason(position: str | None) -> str:
    """Why `source_location(position)` is None, in words for a report."""
    if not position or urlsplit(position).scheme != PROJECT_SCHEME:
        return UNKNOWN_NOT_RECORDED
    path = PurePosixPath(unquote(urlsplit(position).path).lstrip("/"))
    if ".." in path.parts or LIBRARY_DIRS.intersection(path.parts):
        return UNKNOWN_LIBRARY
    return UNKNOWN_NOT_RECORDED
