"""Generate the documentation that restates the code, so it cannot drift from it.

What it writes, and from where:
- README.md, between `<!-- BEGIN GENERATED: <block> -->` and `<!-- END GENERATED: <block> -->`:
  `policy-table` (every rule of ALL_RULES: name, level, what it checks, types, config defaults),
  `stack-config` (infra/dynamodb_stack/config.py's KEYS) and `sample-output` (what
  `policy-preview` prints for this stack, run for real);
- docs/policies/<policy>.md: one page per rule, from its module docstring and metadata
  (policies/dynamodb_guardrails/docs.py says which sections a docstring has);
- policies/PulumiPolicy.yaml's `description` line, from pack_identity.py.

    python scripts/generate_docs.py           # rewrite what is out of date
    python scripts/generate_docs.py --check   # exit 1 if anything is out of date (CI, a test)

`--root DIR` works on another checkout; `--keep-sample-output` reuses the README's sample output
instead of running the preview (seconds instead of a program run).
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import generated_files  # render, compare, --check, write: shared by every generator

ROOT = Path(__file__).resolve().parent.parent
POLICY_PAGES = Path("docs") / "policies"
README = Path("README.md")
PACK_YAML = Path("policies") / "PulumiPolicy.yaml"
_BLOCK = "<!-- {edge} GENERATED: {name} -->"


def _import_code(root: Path) -> Mapping[str, Any]:
    """The pack's registry and docs and the stack's config keys of the checkout at `root`."""
    for path in (root / "infra", root / "policies"):
        if str(path) not in sys.path:
            sys.path.insert(0, str(path))
    from dynamodb_guardrails import docs
    from dynamodb_guardrails.pack_identity import PACK_DESCRIPTION
    from dynamodb_guardrails.rules import ALL_RULES
    from dynamodb_stack.config import KEYS

    return {"docs": docs, "rules": ALL_RULES, "keys": KEYS, "description": PACK_DESCRIPTION}


def stack_config_table(keys: Any) -> str:
    lines = ["| Key | Default | Meaning |", "|---|---|---|"]
    for key in keys:
        default = "unset" if key.default == "(unset)" else f"`{key.default}`"
        lines.append(f"| `{key.name}` | {default} | {key.meaning.replace('|', chr(92) + '|')} |")
    return "\n".join(lines) + "\n"


def sample_output(root: Path) -> str:
    """What `policy-preview` prints for the project at `root` (a real run: program and pack)."""
    command = Path(sys.executable).with_name("policy-preview")
    if not command.is_file():
        raise SystemExit(f"policy-preview is not installed next to {sys.executable}: pip install -e .")
    run = subprocess.run([str(command)], cwd=root, capture_output=True, text=True, timeout=300, check=False)
    if run.returncode != 0:
        raise SystemExit(f"policy-preview exited {run.returncode}; its errors:\n{run.stderr}")
    return f"```\n{run.stdout.rstrip()}\n```\n"


def replace_block(text: str, name: str, content: str, where: str) -> str:
    begin, end = _BLOCK.format(edge="BEGIN", name=name), _BLOCK.format(edge="END", name=name)
    pattern = re.compile(re.escape(begin) + r"\n.*?" + re.escape(end), re.DOTALL)
    if not pattern.search(text):
        raise SystemExit(f"{where} has no {begin} ... {end} block")
    return pattern.sub(lambda _: f"{begin}\n{content}{end}", text, count=1)


def block(text: str, name: str) -> str:
    begin, end = _BLOCK.format(edge="BEGIN", name=name), _BLOCK.format(edge="END", name=name)
    match = re.search(re.escape(begin) + r"\n(.*?)" + re.escape(end), text, re.DOTALL)
    return match.group(1) if match else ""


def expected_files(root: Path, *, run_preview: bool = True) -> dict[Path, str]:
    """Every generated file (relative path -> its full text) as the code at `root` says it should be."""
    code = _import_code(root)
    docs, rules = code["docs"], code["rules"]
    readme = (root / README).read_text(encoding="utf-8")
    readme = replace_block(readme, "policy-table", docs.policy_table(rules), str(README))
    readme = replace_block(readme, "stack-config", stack_config_table(code["keys"]), str(README))
    sample = sample_output(root) if run_preview else block(readme, "sample-output")
    readme = replace_block(readme, "sample-output", sample, str(README))
    files = {README: readme}
    for rule in rules:
        source = Path("policies", *docs.rule_module(rule).split(".")).with_suffix(".py")
        files[POLICY_PAGES / f"{rule.meta.name}.md"] = docs.policy_page(rule, source=source.as_posix())
    pack_yaml = (root / PACK_YAML).read_text(encoding="utf-8")
    # A YAML double-quoted scalar is a JSON string: the description may hold a colon.
    line = f"description: {json.dumps(code['description'])}"
    files[PACK_YAML] = re.sub(r"^description: .*$", lambda _: line, pack_yaml, count=1, flags=re.M)
    return files


def retired_pages(root: Path, expected: Mapping[Path, str]) -> list[Path]:
    """Pages of policies that no longer exist."""
    pages = root / POLICY_PAGES
    found = sorted(p.relative_to(root) for p in pages.glob("*.md")) if pages.is_dir() else []
    return [path for path in found if path not in expected]


def stale_files(root: Path, expected: Mapping[Path, str]) -> list[Path]:
    """Generated files whose text differs, and pages of policies that no longer exist."""
    return generated_files.stale_files(expected, root) + retired_pages(root, expected)


def main(argv: list[str] | None = None, *, generate: Callable[..., dict[Path, str]] = expected_files) -> int:
    parser = generated_files.parser(__doc__)
    parser.add_argument("--root", type=Path, default=ROOT, help="the checkout to work on (default: this one)")
    parser.add_argument(
        "--keep-sample-output",
        action="store_true",
        help="reuse the README's sample output, do not run the preview",
    )
    args = parser.parse_args(argv)
    root = args.root.resolve()
    expected = generate(root, run_preview=not args.keep_sample_output)
    return generated_files.sync(
        expected,
        check=args.check,
        command="python scripts/generate_docs.py",
        root=root,
        retired=retired_pages(root, expected),
    )


if __name__ == "__main__":
    sys.exit(main())
