"""Normalised views the rules read: one per concept, whatever resource form declared it.

A reader (dynamodb_guardrails.readers) turns one resource's wire properties into views; rules only
read views, so a new provider or resource form is one more reader, not a change to every rule.
"""
