"""Scheduled checks and the outbox that delivers pushes through the channel adapters."""
