"""One module per policy, each ending with `RULE = ResourceRule(...)` or `RULE = StackRule(...)`.

`ALL_RULES` is the catalogue: every module of this package, in policy-name order. The pack, the
docs generator and the tests derive from it, so a new policy is one new module here (plus its test
cases and mutation variant); nothing else lists the policies.
"""

from __future__ import annotations

import importlib
import pkgutil

from ..rule import ResourceRule, Rule, StackRule


def _discover() -> tuple[Rule, ...]:
    found: list[Rule] = []
    for module_info in pkgutil.iter_modules(__path__):
        module = importlib.import_module(f"{__name__}.{module_info.name}")
        rule = getattr(module, "RULE", None)
        if not isinstance(rule, ResourceRule | StackRule):
            raise TypeError(
                f"{module.__name__} must end with `RULE = ResourceRule(...)` or `RULE = StackRule(...)`; "
                f"found {type(rule).__name__}"
            )
        found.append(rule)
    names = [rule.meta.name for rule in found]
    duplicates = sorted({name for name in names if names.count(name) > 1})
    if duplicates:
        raise ValueError(f"two rule modules declare the policy {duplicates[0]!r}")
    return tuple(sorted(found, key=lambda rule: rule.meta.name))


ALL_RULES: tuple[Rule, ...] = _discover()
