"""Normalised views the rules read, one per concept, whatever provider or resource form a stack uses:
tables and tags (`tables`, `tags`), alarms (`alarms`), where a resource lives (`location`),
permissions (`permissions`).

A reader (dynamodb_guardrails/readers/) turns one resource form's wire properties into a view; the
rules never look at wire properties of the forms a view covers, so a new form is one reader.
"""
