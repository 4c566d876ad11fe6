"""The tags a resource will carry, as far as they are known (built by readers/tags.py)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


# Plain dataclasses: views are built for every resource of a stack, and frozen ones cost ~7x to
# build (slots ones are built twice at import); nothing writes to one after its reader made it.
@dataclass
class EffectiveTags:
    """The tags a resource will carry, as far as they are known.

    `values` maps key -> value (UNKNOWN when not known yet). When `complete` is false, keys not
    in `values` may still arrive (from an unknown part), so a missing key cannot be reported.
    `source` says where they come from, as a message names it ("tagsAll", "tags + provider
    defaultTags", ...).
    """

    values: Mapping[str, Any] = field(default_factory=dict)
    complete: bool = True
    source: str = "tags"

    def under(self, inherited: EffectiveTags | None, inherited_source: str) -> EffectiveTags:
        """These tags over `inherited` ones (these win on a clash); None: inherited unknown."""
        source = f"{self.source} + {inherited_source}"
        if inherited is None:
            return EffectiveTags(dict(self.values), complete=False, source=source)
        return EffectiveTags(
            {**inherited.values, **self.values}, complete=self.complete and inherited.complete, source=source
        )
