"""App assembly (bootstrap), channel adapters (Telegram, WeCom, console) and the ``dms`` command."""
