"""Copy-paste code in policy messages.

A snippet is Python a user can paste into a Pulumi Python program (SDK argument names, Python
literals). It is written between backticks so a reader, and the test that parses every snippet
the pack can show (tests/policies/test_message_snippets.py), can tell it from prose.
"""

from __future__ import annotations


def python_snippet(code: str) -> str:
    """`code`, marked as a snippet. It must be valid Python on its own (`ast.parse`)."""
    return f"`{code}`"
