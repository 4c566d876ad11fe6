"""A rule's user documentation, read from its module docstring, and the pages made from it.

The docstring of a rule module is the documentation (ruff's model): a first line
`<policy name>: <summary>.`, then these sections, in this order:

    ## What it checks     what is judged, on which resource types and properties
    ## Why                the risk or cost the rule prevents
    ## Example            a Pulumi Python program the rule flags (one ```python block)
    ## Use instead        the same program fixed (one ```python block)
    ## During preview     what happens while values are unknown
    ## References         optional: more links (the rule's `url` is always listed first)

`{{name}}` in the prose stands for `rule.facts[name]` (counts, versions), so numbers are computed;
a fact may be a function, called here, so the pack does not load the data it counts at start-up.
Configuration, levels and resource types come from the rule's metadata, never from prose.
scripts/generate_docs.py writes the pages to docs/policies/ and the tables into README.md; the pack
hands `pack_readme()` to `PolicyPack(readme=...)`. Pure string work: nothing heavy is imported.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from .rule import ResourceRule, Rule, StackRule

SECTIONS = ("What it checks", "Why", "Example", "Use instead", "During preview")
OPTIONAL_SECTIONS = ("References",)
_PLACEHOLDER = re.compile(r"\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}")
_PYTHON_BLOCK = re.compile(r"```python\n(.*?)```", re.DOTALL)
# A config default longer than this is shown on the policy's page only.
_SHORT_DEFAULT = 56
# A rule reading more resource types than this lists them on its page as a count.
_LISTED_TYPES = 12


class DocError(ValueError):
    """A rule's docstring does not follow the fixed sections; the message names the rule."""


@dataclass(frozen=True)
class RuleDoc:
    name: str
    summary: str
    sections: Mapping[str, str]  # section title -> markdown body, placeholders filled in

    def code(self, section: str) -> str:
        """The one ```python block of `section` (Example or Use instead)."""
        blocks = _PYTHON_BLOCK.findall(self.sections[section])
        if len(blocks) != 1:
            raise DocError(f"{self.name}: section {section!r} needs exactly one ```python block")
        code: str = blocks[0]
        return code

    @property
    def bad_example(self) -> str:
        return self.code("Example")

    @property
    def fixed_example(self) -> str:
        return self.code("Use instead")


def rule_module(rule: Rule) -> str:
    """The dotted name of the module that declares the rule."""
    check = rule.check if isinstance(rule, ResourceRule) else rule.check_stack
    return check.__module__


def _fill(text: str, facts: Mapping[str, object], name: str, used: set[str]) -> str:
    def replace(match: re.Match[str]) -> str:
        key = match.group(1)
        if key not in facts:
            raise DocError(f"{name}: the docs use {{{{{key}}}}} but the rule declares no such fact")
        used.add(key)
        value = facts[key]
        return str(value() if callable(value) else value)

    return _PLACEHOLDER.sub(replace, text)


def parse(rule: Rule) -> RuleDoc:
    """The rule's documentation, checked against its metadata; DocError says what is wrong."""
    name = rule.meta.name
    text = (rule.doc or "").strip()
    head, _, body = text.partition("\n## ")
    prefix = f"{name}: "
    summary = " ".join(head.split())
    if not summary.startswith(prefix):
        raise DocError(f"{name}: the docstring must start with '{prefix}<summary>' (found {summary[:60]!r})")
    sections: dict[str, str] = {}
    for chunk in ("\n## " + body).split("\n## ")[1:] if body else ():
        title, _, content = chunk.partition("\n")
        sections[title.strip()] = content.strip()
    titles = [t for t in sections if t not in OPTIONAL_SECTIONS]
    if titles != list(SECTIONS):
        raise DocError(
            f"{name}: the docstring needs the sections {list(SECTIONS)} in order, has {list(sections)}"
        )
    used: set[str] = set()
    filled = {title: _fill(content, rule.facts, name, used) for title, content in sections.items()}
    doc = RuleDoc(name, _fill(summary.removeprefix(prefix), rule.facts, name, used), filled)
    unused = sorted(set(rule.facts) - used)
    if unused:
        raise DocError(f"{name}: the fact {unused[0]!r} is declared but not used in the docs")
    for section in ("Example", "Use instead"):
        doc.code(section)  # DocError when the block is missing
    return doc


# --- rendering ---------------------------------------------------------------------------------


def cell(text: str) -> str:
    """Text for one markdown table cell."""
    return " ".join(text.split()).replace("|", "\\|")


def level(rule: Rule) -> str:
    shown: str = rule.meta.enforcement_level
    if isinstance(rule, ResourceRule) and rule.remediate is not None:
        shown += " (supports `remediate`)"
    if isinstance(rule, StackRule):
        shown += " (stack policy)"
    return shown


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def reads(rule: Rule, *, short: bool) -> str:
    """The resource types the rule reads: listed, or counted when there are many."""
    types = sorted(rule.meta.resource_types or ())
    if not types:
        return "every resource type"
    # The README's table names the types (so which providers and forms) unless there are many.
    limit = 8 if short else _LISTED_TYPES
    if len(types) <= limit:
        return ", ".join(f"`{t}`" for t in types)
    providers = sorted({t.split(":", 1)[0] for t in types})
    modules = sorted({t.split("/", 1)[0] for t in types})
    scope = f"`{modules[0]}`" if len(modules) == 1 else ", ".join(f"`{p}`" for p in providers)
    return f"{len(types)} {scope} types"


def config_summary(rule: Rule, page: str | None) -> str:
    parts = []
    for key, prop in rule.meta.config_schema.items():
        default = _json(prop.get("default"))
        if len(default) <= _SHORT_DEFAULT:
            parts.append(f"`{key}` (`{default}`)")
        else:
            parts.append(f"`{key}` ([default]({page}#configuration))" if page else f"`{key}`")
    return ", ".join(parts)


def policy_table(rules: Iterable[Rule], *, pages: str | None = "docs/policies") -> str:
    """The policies as one markdown table; `pages` is where the policy pages are (None: no links)."""
    lines = [
        "| Policy | Default level | What it checks | Reads | Config keys (defaults) |",
        "|---|---|---|---|---|",
    ]
    for rule in rules:
        page = f"{pages}/{rule.meta.name}.md" if pages else None
        name = f"[`{rule.meta.name}`]({page})" if page else f"`{rule.meta.name}`"
        row = [name, level(rule), rule.meta.description, reads(rule, short=True), config_summary(rule, page)]
        lines.append("| " + " | ".join(cell(c) for c in row) + " |")
    return "\n".join(lines) + "\n"


def config_section(rule: Rule) -> str:
    lines = ["| Key | Default | Meaning |", "|---|---|---|"]
    for key, prop in rule.meta.config_schema.items():
        lines.append(
            f"| `{key}` | `{cell(_json(prop.get('default')))}` | {cell(str(prop.get('description', '')))} |"
        )
    example = {rule.meta.name: {key: prop.get("default") for key, prop in rule.meta.config_schema.items()}}
    return (
        "\n".join(lines)
        + "\n\nIn a `--policy-pack-config` file, with every default spelled out:\n\n```json\n"
        + json.dumps(example, indent=2, ensure_ascii=False)
        + "\n```"
    )


def policy_page(rule: Rule, *, source: str) -> str:
    """The policy's page (docs/policies/<name>.md); `source` is the rule module's path."""
    doc = parse(rule)
    meta = rule.meta
    kind = (
        "stack policy (judges the whole stack at once)" if isinstance(rule, StackRule) else "resource policy"
    )
    facts = [
        ("Default level", level(rule)),
        ("Severity", meta.severity),
        ("Kind", kind),
        ("Reads", reads(rule, short=False)),
        ("Tags", ", ".join(meta.tags) or "none"),
    ]
    references = [f"- [{meta.url}]({meta.url})"]
    if "References" in doc.sections:
        references.append(doc.sections["References"])
    parts = [
        f"<!-- Generated by scripts/generate_docs.py from {source}; edit the docstring there. -->",
        f"# `{meta.name}`",
        doc.summary[:1].upper() + doc.summary[1:],
        "| | |\n|---|---|\n" + "\n".join(f"| {k} | {v} |" for k, v in facts),
        "## What it checks",
        doc.sections["What it checks"],
        "## Why",
        doc.sections["Why"],
        "## Example",
        "Flagged:\n\n" + doc.sections["Example"],
        "Fixed:\n\n" + doc.sections["Use instead"],
        f"How to fix, as every finding says it: {meta.remediation_steps}",
        "## Configuration",
        config_section(rule),
        "## During preview",
        doc.sections["During preview"],
        "## References",
        "\n".join(references),
    ]
    return "\n\n".join(parts) + "\n"


def pack_readme(name: str, description: str, rules: Iterable[Rule]) -> str:
    """The README the pack reports to `pulumi policy` (GetAnalyzerInfo.readme)."""
    return f"# {name}\n\n{description}\n\n" + policy_table(rules, pages=None)
