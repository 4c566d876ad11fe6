"""Where a resource lives: its AWS account and region, as far as its properties and provider tell."""

from __future__ import annotations

from dataclasses import dataclass


# Plain dataclasses: views are built for every resource of a stack, and frozen ones cost ~7x to
# build (slots ones are built twice at import); nothing writes to one after its reader made it.
@dataclass
class Location:
    """`None` means the pack cannot tell (unset, unknown during a preview, or not stated anywhere);
    two locations conflict only when both sides are known and differ. `provider` is the package
    that manages the resource (`aws`, `aws-native`, or `cloudformation` for a template's)."""

    account: str | None = None
    region: str | None = None
    provider: str | None = None


def same_account(a: str | None, b: str | None) -> bool:
    return a is None or b is None or a == b


def reaches_region(region: str | None, regions: frozenset[str] | None) -> bool:
    """Whether a resource in `region` can be in one of `regions` (None on either side: maybe)."""
    return region is None or regions is None or region in regions
