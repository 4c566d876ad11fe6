"""Load a CloudFormation template written in YAML, short-form intrinsic functions included.

CloudFormation YAML writes intrinsics as tags: `!Ref X`, `!GetAtt X.Arn`, `!Sub "..."`,
`!Join [",", [...]]`, `!If [...]`, ... (AWS CloudFormation User Guide, "Intrinsic function
reference"). They become the long form a JSON template uses (`{"Ref": "X"}`,
`{"Fn::GetAtt": ["X", "Arn"]}`, `{"Fn::Sub": ...}`), so one resolver reads both.

Values stay text where YAML 1.1 would turn them into dates (`2010-09-09`): CloudFormation passes
scalars on as strings, and a tag value that looks like a date is still a tag value.

PyYAML is imported on first use only: most stacks have no YAML template, and the pack must start
fast. The C loader is used when PyYAML has it.
"""

from __future__ import annotations

from typing import Any

_LOADER: Any = None


def _intrinsic(loader: Any, suffix: str, node: Any) -> Any:
    import yaml

    if isinstance(node, yaml.ScalarNode):
        value: Any = loader.construct_scalar(node)
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    else:
        value = loader.construct_mapping(node, deep=True)
    if suffix == "Ref":
        return {"Ref": value}
    if suffix == "Condition":
        return {"Condition": value}
    if suffix == "GetAtt" and isinstance(value, str):
        # `!GetAtt Resource.Attribute` (the attribute may itself contain dots)
        resource, _, attribute = value.partition(".")
        return {"Fn::GetAtt": [resource, attribute]}
    return {f"Fn::{suffix}": value}


def _loader() -> Any:
    global _LOADER
    if _LOADER is None:
        import yaml

        base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

        class TemplateLoader(base):  # type: ignore[valid-type, misc]
            pass

        # Copy the implicit resolvers without the timestamp one (dates stay strings).
        TemplateLoader.yaml_implicit_resolvers = {
            first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
            for first, resolvers in base.yaml_implicit_resolvers.items()
        }
        TemplateLoader.add_multi_constructor("!", _intrinsic)
        _LOADER = TemplateLoader
    return _LOADER


def load(text: str) -> Any:
    """The template as plain data; raises ValueError when the text is not YAML."""
    import yaml

    try:
        return yaml.load(text, Loader=_loader())
    except (yaml.YAMLError, RecursionError, ValueError, TypeError) as exc:
        raise ValueError("not a YAML document") from exc
