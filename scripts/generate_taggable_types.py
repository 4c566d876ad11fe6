"""Generate the pack's lists of taggable types from the installed provider SDKs:
policies/dynamodb_guardrails/taggable_types.py from pulumi-aws, and
policies/dynamodb_guardrails/aws_native_taggable_types.py from pulumi-aws-native (a test extra).

The required-tags policy must know which AWS resource types take tags without importing
pulumi_aws at run time (it is large and slow to import). pulumi-aws does not ship its schema
JSON, so the list comes from the generated Python SDK: every resource class has an
`_internal_init(...)` whose parameters are the resource's inputs and whose body passes the type
token to `super().__init__`. A type is taggable when one of those inputs is `tags` typed as a
map of strings (python name `tags` is wire name `tags`). Types whose `tags` input is a list of
tag objects (autoscaling groups: `[{key, value, propagateAtLaunch}]`) are listed apart; a `tags`
input of any other shape is not resource tagging (devopsguru's ResourceCollection filters by tag)
and is left out. aws-native types take `tags` as a list of `{key, value}` objects (TagArgs,
CreateOnlyTagArgs, or a type-specific `...TagArgs`) or as a map; a `tags` typed `Any` (free-form
JSON) has no known shape and is left out.

Only the `_internal_init` methods are parsed with `ast` (parsing whole files takes ~11 s).

    python scripts/generate_taggable_types.py           # rewrite the checked-in files
    python scripts/generate_taggable_types.py --check   # exit 1 if one is out of date
"""

from __future__ import annotations

import ast
import importlib.metadata
import re
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import generated_files  # render, compare, --check, write: shared by every generator

PACKAGE = "pulumi_aws"
DISTRIBUTION = "pulumi-aws"
PACK_DIR = Path(__file__).resolve().parent.parent / "policies" / "dynamodb_guardrails"
TARGET = PACK_DIR / "taggable_types.py"
NATIVE_PACKAGE = "pulumi_aws_native"
NATIVE_DISTRIBUTION = "pulumi-aws-native"
NATIVE_TARGET = PACK_DIR / "aws_native_taggable_types.py"
# Element types of a list of tag objects: TagArgs, CreateOnlyTagArgs, DetectorTagArgs,
# AutoScalingGroupTagPropertyArgs, ApplicationTag0PropertiesArgs, ...
_TAG_OBJECT = re.compile(r"Tag\w*Args")

_METHOD = "    def _internal_init("
# The next class-level member after `_internal_init` ends its source.
_MEMBER_STARTS = ("\n    @", "\n    def ", "\nclass ", "\n@")


def _internal_init_sources(text: str) -> Iterator[str]:
    start = text.find(_METHOD)
    while start != -1:
        ends = [end for marker in _MEMBER_STARTS if (end := text.find(marker, start + len(_METHOD))) != -1]
        end = min(ends) if ends else len(text)
        yield textwrap.dedent(text[start:end])
        start = text.find(_METHOD, end)


def _type_token(method: ast.FunctionDef) -> str | None:
    """The string passed to `super(Cls, __self__).__init__(token, ...)`."""
    for node in ast.walk(method):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "__init__"
            and isinstance(node.func.value, ast.Call)
            and isinstance(node.func.value.func, ast.Name)
            and node.func.value.func.id == "super"
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            return node.args[0].value
    return None


def _tags_shape(method: ast.FunctionDef, list_element: re.Pattern[str]) -> str | None:
    """`map`, `list` (of tag objects) or None (no `tags` input, or one of another shape)."""
    params = [*method.args.posonlyargs, *method.args.args, *method.args.kwonlyargs]
    for param in params:
        if param.arg == "tags" and param.annotation is not None:
            annotation = ast.unparse(param.annotation)
            # e.g. pulumi.Input[Optional[Mapping[str, pulumi.Input[_builtins.str]]]]
            if annotation.startswith("pulumi.Input[Optional[Mapping[str,"):
                return "map"
            # e.g. pulumi.Input[Optional[Sequence[pulumi.Input[Union['GroupTagArgs', ...]]]]]
            if annotation.startswith("pulumi.Input[Optional[Sequence[") and list_element.search(annotation):
                return "list"
    return None


def taggable_types(
    root: Path, prefix: str = "aws:", list_element: re.Pattern[str] = re.compile("TagArgs")
) -> dict[str, list[str]]:
    """Sorted type tokens of the resources under `root`, by the shape of their `tags` input."""
    found: dict[str, set[str]] = {"map": set(), "list": set()}
    for path in sorted(root.rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        if _METHOD not in text or "tags: " not in text:
            continue  # cheap prefilter: not a resource, or no tags at all
        for source in _internal_init_sources(text):
            method = ast.parse(source).body[0]
            if not isinstance(method, ast.FunctionDef):
                continue
            token = _type_token(method)
            shape = _tags_shape(method, list_element)
            if token is not None and token.startswith(prefix) and shape is not None:
                found[shape].add(token)
    return {shape: sorted(tokens) for shape, tokens in found.items()}


def render(types: dict[str, list[str]], version: str) -> str:
    lines = [
        '"""AWS resource types that take tags. GENERATED - do not edit by hand.',
        "",
        f"Generated by scripts/generate_taggable_types.py from pulumi-aws {version} (the pinned",
        "provider SDK): every resource whose `_internal_init` takes a `tags` input, by its shape.",
        "Regenerate after bumping pulumi-aws: `python scripts/generate_taggable_types.py`;",
        "tests/test_generated_files.py fails while this file is out of date.",
        '"""',
        "",
        f'PULUMI_AWS_VERSION = "{version}"',
        "",
        "# `tags` is a map of strings; provider defaultTags are merged into `tagsAll`.",
        *generated_files.frozenset_lines("TAGGABLE_TYPES", types["map"]),
        "",
        "# `tags` is a list of tag objects with `key` and `value`; there is no `tagsAll`.",
        *generated_files.frozenset_lines("TAG_LIST_TYPES", types["list"]),
        "",
    ]
    return "\n".join(lines)


def render_native(types: dict[str, list[str]], version: str) -> str:
    lines = [
        '"""aws-native resource types that take tags. GENERATED - do not edit by hand.',
        "",
        f"Generated by scripts/generate_taggable_types.py from pulumi-aws-native {version} (the version",
        "pinned for tests; the pack never imports it): every resource whose `_internal_init` takes a",
        "`tags` input, by its shape. The provider merges its `defaultTags` into `tags` itself (no",
        "`tagsAll`). Regenerate after bumping pulumi-aws-native:",
        "`python scripts/generate_taggable_types.py`; tests/test_generated_files.py fails while this file",
        "is out of date.",
        '"""',
        "",
        f'PULUMI_AWS_NATIVE_VERSION = "{version}"',
        "",
        "# `tags` is a list of `{key, value}` objects (CloudFormation's Tags).",
        *generated_files.frozenset_lines("NATIVE_TAG_LIST_TYPES", types["list"]),
        "",
        "# `tags` is a map of strings.",
        *generated_files.frozenset_lines("NATIVE_TAG_MAP_TYPES", types["map"]),
        "",
    ]
    return "\n".join(lines)


def generate() -> str:
    """The module text for the installed pulumi-aws."""
    types = taggable_types(generated_files.python_package_dir(PACKAGE))
    return render(types, importlib.metadata.version(DISTRIBUTION))


def generate_native() -> str:
    """The module text for the installed pulumi-aws-native."""
    types = taggable_types(generated_files.python_package_dir(NATIVE_PACKAGE), "aws-native:", _TAG_OBJECT)
    return render_native(types, importlib.metadata.version(NATIVE_DISTRIBUTION))


def expected() -> dict[Path, str]:
    """Every file this generator owns, as the installed SDKs say it should be."""
    return {TARGET: generate(), NATIVE_TARGET: generate_native()}


def main(argv: list[str] | None = None) -> int:
    args = generated_files.parser(__doc__).parse_args(argv)
    return generated_files.sync(
        expected(), check=args.check, command="python scripts/generate_taggable_types.py"
    )


if __name__ == "__main__":
    sys.exit(main())
