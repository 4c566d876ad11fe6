"""Offline policy preview: judge a Pulumi program or a stack export with CrossGuard packs,
exactly as the Pulumi CLI would, with no CLI and no cloud account."""
