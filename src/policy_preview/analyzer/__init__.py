"""Policy packs as the Pulumi CLI runs them: the pack's process, the Analyzer gRPC client and its
messages, `--policy-pack-config` reconciled with the pack's defaults, and suppressed findings."""
