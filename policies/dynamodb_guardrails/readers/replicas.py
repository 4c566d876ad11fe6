"""A table's replicas and the regions its data lives in, read alike for both providers; each
provider names only where an entry keeps its region and its key."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from ..model import UNKNOWN
from ..views.tables import KeyChoice, ReplicaView
from .location import region_name


def replica_label(region: Any, index: int) -> str:
    shown = region_name(region)
    return f"replica in {shown}" if shown is not None else f"replica #{index + 1}"


def replica_views(
    entries: Iterable[Any], region_prop: str, key_of: Callable[[Mapping[str, Any]], KeyChoice | None]
) -> tuple[list[ReplicaView], bool]:
    """The replica entries as views, and whether all of them (and their regions) are known."""
    replicas: list[ReplicaView] = []
    complete = True
    for index, entry in enumerate(entries):
        if not isinstance(entry, Mapping):
            complete = complete and entry is not UNKNOWN
            continue
        region = region_name(entry.get(region_prop))
        complete = complete and region is not None
        replicas.append(ReplicaView(replica_label(region, index), region, key_of(entry)))
    return replicas, complete


def data_regions(
    home: str | None,
    replicas: Iterable[ReplicaView] = (),
    complete: bool = True,
    *,
    home_required: bool = True,
) -> frozenset[str] | None:
    """Every region a table has data in: its own and its replicas'; None while one is not known.
    `home_required=False`: a global table, whose replicas name every region; its own may be unknown."""
    if not complete or (home_required and home is None):
        return None
    regions = {r.region for r in replicas if r.region is not None}
    return frozenset(regions | {home} if home is not None else regions)
