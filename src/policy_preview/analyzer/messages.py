"""Analyzer request messages built from ResourceRecords, as the engine builds them
(pulumi/pulumi pkg/resource/plugin/analyzer_plugin.go, analyze_snapshot.go): properties marshalled
with unknowns and secrets kept, resource options, the provider resource with its inputs, and
where stack-level findings go."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from google.protobuf import json_format, struct_pb2
from pulumi.runtime.proto import analyzer_pb2

from policy_preview.model import ResourceRecord
from policy_preview.urns import STACK_TYPE, is_pulumi_urn, parse_urn, split_provider_ref, stack_urn


def _struct(props: Mapping[str, Any], *, skip_internal: bool) -> struct_pb2.Struct:
    """Wire-form properties as a protobuf Struct. Unknown sentinels and secret signature maps are
    already in wire form and pass through; like the engine (MarshalOptions.SkipInternalKeys) top-level
    keys starting with `__` are dropped for Analyze/AnalyzeStack."""
    message = struct_pb2.Struct()
    message.update({k: v for k, v in props.items() if not (skip_internal and k.startswith("__"))})
    return message


def _from_struct(message: struct_pb2.Struct) -> dict[str, Any]:
    return json_format.MessageToDict(message)


def _resource_name(record: ResourceRecord) -> str:
    # The engine sends URN.Name() (names may contain "::").
    parsed = parse_urn(record.urn)
    return parsed.name if parsed is not None else record.name


def resource_options(record: ResourceRecord) -> analyzer_pb2.AnalyzerResourceOptions:
    """As marshalResourceOptions: every option the engine keeps, customTimeouts always present (0 =
    unset), deleteBeforeReplace with whether the program set it; no dependencies here (AnalyzeStack
    carries them on the resource)."""
    timeouts = record.custom_timeouts
    return analyzer_pb2.AnalyzerResourceOptions(
        protect=record.protect,
        ignoreChanges=list(record.ignore_changes),
        deleteBeforeReplace=bool(record.delete_before_replace),
        deleteBeforeReplaceDefined=record.delete_before_replace is not None,
        additionalSecretOutputs=list(record.additional_secret_outputs),
        aliases=list(record.aliases),
        customTimeouts=analyzer_pb2.AnalyzerResourceOptions.CustomTimeouts(
            create=timeouts.create, update=timeouts.update, delete=timeouts.delete, read=timeouts.read
        ),
        parent=record.parent or "",
    )


def provider_index(records: Iterable[ResourceRecord]) -> dict[str, ResourceRecord]:
    return {r.urn: r for r in records if r.type.startswith("pulumi:providers:")}


class RequestBuilder:
    """Builds the requests for one set of records. Each provider resource is converted once (every
    resource of a stack usually shares one), not once per request."""

    def __init__(self, providers: Mapping[str, ResourceRecord]) -> None:
        self._providers = providers
        self._provider_messages: dict[str, analyzer_pb2.AnalyzerProviderResource | None] = {}

    def provider(self, record: ResourceRecord) -> analyzer_pb2.AnalyzerProviderResource | None:
        """The resource's provider with the provider's *inputs*, as the engine sends it; only when
        the provider resource is known (analyze_snapshot.go stateToAnalyzerResource does the same)."""
        if not record.provider:
            return None
        provider_urn, _ = split_provider_ref(record.provider)
        if provider_urn not in self._provider_messages:
            provider = self._providers.get(provider_urn)
            self._provider_messages[provider_urn] = (
                None
                if provider is None
                else analyzer_pb2.AnalyzerProviderResource(
                    urn=provider.urn,
                    type=provider.type,
                    name=_resource_name(provider),
                    properties=_struct(provider.inputs, skip_internal=True),
                )
            )
        return self._provider_messages[provider_urn]

    def analyze_request(
        self,
        record: ResourceRecord,
        *,
        properties: Mapping[str, Any] | None = None,
        skip_internal: bool = True,
        options: analyzer_pb2.AnalyzerResourceOptions | None = None,
    ) -> analyzer_pb2.AnalyzeRequest:
        """An AnalyzeRequest (also the Remediate request) for one resource's inputs."""
        props = record.inputs if properties is None else properties
        return analyzer_pb2.AnalyzeRequest(
            type=record.type,
            urn=record.urn,
            name=_resource_name(record),
            properties=_struct(props, skip_internal=skip_internal),
            options=options if options is not None else resource_options(record),
            provider=self.provider(record),
        )

    def stack_resource(
        self, record: ResourceRecord, *, options: analyzer_pb2.AnalyzerResourceOptions | None = None
    ) -> analyzer_pb2.AnalyzerResource:
        """One resource of an AnalyzeStackRequest: its *outputs*, parent and dependency edges."""
        return analyzer_pb2.AnalyzerResource(
            type=record.type,
            urn=record.urn,
            name=_resource_name(record),
            properties=_struct(record.outputs, skip_internal=True),
            options=options if options is not None else resource_options(record),
            provider=self.provider(record),
            parent=record.parent or "",
            dependencies=list(record.dependencies),
            # The engine skips properties without dependencies.
            propertyDependencies={
                key: analyzer_pb2.AnalyzerPropertyDependencies(urns=list(urns))
                for key, urns in record.property_dependencies.items()
                if urns
            },
        )


def analyze_request(
    record: ResourceRecord,
    providers: Mapping[str, ResourceRecord],
    *,
    properties: Mapping[str, Any] | None = None,
    skip_internal: bool = True,
) -> analyzer_pb2.AnalyzeRequest:
    """An AnalyzeRequest (also the Remediate request) for one resource's inputs."""
    return RequestBuilder(providers).analyze_request(
        record, properties=properties, skip_internal=skip_internal
    )


def stack_resource(
    record: ResourceRecord, providers: Mapping[str, ResourceRecord]
) -> analyzer_pb2.AnalyzerResource:
    """One resource of an AnalyzeStackRequest: its *outputs*, parent and dependency edges."""
    return RequestBuilder(providers).stack_resource(record)


def root_stack_urn(records: Sequence[ResourceRecord]) -> str:
    """Where stack-level findings go: the root Stack resource, or its default URN."""
    for record in records:
        if record.type == STACK_TYPE and not record.parent:
            return record.urn
    for record in records:
        parsed = parse_urn(record.urn) if is_pulumi_urn(record.urn) else None
        if parsed is not None:
            return stack_urn(parsed.stack, parsed.project)
    return ""
