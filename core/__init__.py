"""The dealer-management domain: entities, value objects, state machines, use cases, ports.

Imports the standard library and pydantic only (enforced by import-linter).
"""
