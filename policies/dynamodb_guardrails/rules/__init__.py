"""One module per policy. Each exposes `META` (a PolicyMeta) and either
`check(resource, config) -> list[Violation]` (resource policy, optional `remediate`) or
`check_stack(resources, config) -> list[Violation]` (stack policy)."""
