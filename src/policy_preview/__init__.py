"""Offline policy preview: judge a Pulumi program or a stack export with CrossGuard packs,
exactly as the Pulumi CLI would, with no CLI and no cloud account.

Data flow (cli.py drives it; model.py holds what passes between the stages):

    program/   a program under the mock engine, or a stack export  -> ResourceRecords
    analyzer/  each pack started as the CLI starts it, over gRPC    -> AnalyzerClients
    evaluate   Remediate + Analyze per resource, then AnalyzeStack  -> Evaluation (findings)
    report/    text, JSON, SARIF, JUnit; baseline and fingerprints  -> the report and exit code
    urns, wire shared by all stages: URN parts, Pulumi's wire form of property values
"""
