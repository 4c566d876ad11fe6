"""Every broken variant of the stack: one module per rule (plus `controls`), each declaring
`VARIANTS`, a tuple of Variant (tests/mutations/variant.py) that say how the copy is broken and
what must catch it. The variants program builds one copy per variant; the tests judge each.
"""

from __future__ import annotations

import importlib
import pkgutil

from tests.mutations.variant import Mode, Variant

FIRST = "controls"  # the clean control is the first copy the program builds


def _discover() -> tuple[Variant, ...]:
    names = sorted(info.name for info in pkgutil.iter_modules(__path__))
    found: list[Variant] = []
    for name in sorted(names, key=lambda n: n != FIRST):
        variants = getattr(importlib.import_module(f"{__name__}.{name}"), "VARIANTS", None)
        if not isinstance(variants, tuple) or not all(isinstance(v, Variant) for v in variants):
            raise TypeError(f"{__name__}.{name} must declare VARIANTS, a tuple of Variant")
        found.extend(variants)
    ids = [v.id for v in found]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise ValueError(f"two variants share the id {duplicates[0]!r}")
    return tuple(found)


VARIANTS: tuple[Variant, ...] = _discover()

PROGRAMS_FOR: dict[Mode, frozenset[str]] = {
    "preview": frozenset(v.id for v in VARIANTS),
    "update": frozenset(v.id for v in VARIANTS if v.update_too),
}
