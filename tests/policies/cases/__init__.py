"""Good and bad cases per rule: one module per rule module, declaring `RULE` and `CASES`.

`CASES_BY_POLICY` maps each policy name to its cases; the golden, contract and gRPC tests look a
rule's cases up there, and fail for a rule of ALL_RULES without cases.
"""

from __future__ import annotations

import importlib
import pkgutil

from dynamodb_guardrails.rule import ResourceRule, StackRule
from tests.policies.kit.cases import Case


def _discover() -> dict[str, tuple[Case, ...]]:
    found: dict[str, tuple[Case, ...]] = {}
    for module_info in pkgutil.iter_modules(__path__):
        module = importlib.import_module(f"{__name__}.{module_info.name}")
        rule, cases = getattr(module, "RULE", None), getattr(module, "CASES", None)
        if not isinstance(rule, ResourceRule | StackRule) or not isinstance(cases, tuple):
            raise TypeError(f"{module.__name__} must declare RULE (a rule) and CASES (a tuple of Case)")
        names = [case.name for case in cases]
        if len(set(names)) != len(names):
            raise ValueError(f"{module.__name__}: two cases share a name")
        found[rule.meta.name] = cases
    return found


CASES_BY_POLICY: dict[str, tuple[Case, ...]] = _discover()
