"""Whether an IAM resource pattern reaches every DynamoDB table, whatever it is spelt like.

IAM matches a `Resource` pattern against an ARN with `*` (any run of characters, `:` and `/`
included) and `?` (one character), case-sensitively: `arn:aws:dynamodb:*`, `arn:*`,
`arn:aws:dynamodb:*:*:table*` and `*:table/*` all reach every table, while
`arn:aws:DynamoDB:*:*:table/*` reaches none (ARNs are case-sensitive) and
`...:table/prod-*` reaches only some. Source: IAM User Guide, "IAM JSON policy elements: Resource"
https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html

A pattern reaches every table when it matches the ARN of a table *whatever its name*: the ARN
`arn:<partition>:dynamodb:<region>:<account>:table/<name>` (or one of its sub-resources, `/index/`,
`/stream/`, `/backup/`, `/export/`, `/import/` with any name), for some partition, region and
account, and for names made of characters no literal of the pattern can match - so only wildcards
can cover them, and a `*` must cover part of the table name. The
check walks the product of the pattern and that ARN shape (a small automaton), so it is exact for
every spelling rather than a list of known ones.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from typing import Final

# IAM limits an ARN to 2048 characters; longer text is not a pattern worth walking.
MAX_PATTERN_CHARS: Final = 2048

_Match = Callable[[str], bool]


def _chars(allowed: str) -> _Match:
    return frozenset(allowed).__contains__


_LOWER = "abcdefghijklmnopqrstuvwxyz"
# A character of a table or sub-resource name: only `*` and `?` can match it, so a pattern that
# matches such a name matches every name (`table/*-dev` reaches the dev tables, not every table).
_FRESH: Final = None

# The ARN shape as an automaton: state -> [(what the next character is, next state)].
# A "what" is a literal character, a character class, or _FRESH. Runs loop on their last state.
_Edge = tuple[str | _Match | None, int]


def _build() -> tuple[dict[int, list[_Edge]], frozenset[int]]:
    edges: dict[int, list[_Edge]] = {}
    count = 0

    def new() -> int:
        nonlocal count
        count += 1
        edges[count] = []
        return count

    def literal(start: int, text: str) -> int:
        state = start
        for char in text:
            nxt = new()
            edges[state].append((char, nxt))
            state = nxt
        return state

    def run(start: int, what: _Match | None) -> int:
        nxt = new()
        edges[start].append((what, nxt))
        edges[nxt].append((what, nxt))
        return nxt

    start = 0
    edges[start] = []
    state = literal(start, "arn:")
    state = literal(run(state, _chars(_LOWER + "-")), ":dynamodb:")  # partition
    state = literal(run(state, _chars(_LOWER + "0123456789-")), ":")  # region
    state = literal(run(state, _chars("0123456789")), ":table/")  # account
    name_end = run(state, _FRESH)
    accepting = {name_end}
    for sub in ("index", "stream", "backup", "export", "import"):
        accepting.add(run(literal(name_end, f"/{sub}/"), _FRESH))
    return edges, frozenset(accepting)


@lru_cache(maxsize=1)
def _automaton() -> tuple[dict[int, list[_Edge]], frozenset[int]]:
    # Built on first use, not at import: the pack imports nothing it does not need at start-up, and
    # a mutation run (which forks after import) sees a mutated _build.
    return _build()


def _matches(what: str | _Match | None, char: str) -> bool:
    """Whether the pattern's literal `char` can be the ARN character `what`."""
    if what is _FRESH:
        return False
    if isinstance(what, str):
        return what == char
    return what(char)


@lru_cache(maxsize=4096)
def reaches_every_table(pattern: str) -> bool:
    """Whether the IAM resource pattern matches every table's ARN (case-sensitive, as IAM)."""
    if not isinstance(pattern, str) or len(pattern) > MAX_PATTERN_CHARS:
        return False
    edges, accepting = _automaton()
    n = len(pattern)
    # (position in pattern, state of the ARN shape, whether a `*` has covered part of the name)
    start = (0, 0, False)
    seen = {start}
    todo = [start]
    while todo:
        i, state, free = todo.pop()
        if i == n:
            if state in accepting and free:
                return True
            continue
        char = pattern[i]
        steps: list[tuple[int, int, bool]] = []
        if char == "*":
            steps.append((i + 1, state, free))  # the `*` matches nothing more
            for what, nxt in edges[state]:
                # The `*` takes one more character and stays.
                steps.append((i, nxt, free or (what is _FRESH)))
        elif char == "?":
            steps.extend((i + 1, nxt, free) for _, nxt in edges[state])
        else:
            steps.extend((i + 1, nxt, free) for what, nxt in edges[state] if _matches(what, char))
        for step in steps:
            if step not in seen:
                seen.add(step)
                todo.append(step)
    return False
