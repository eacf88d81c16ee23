"""The Telegram adapter (aiogram 3 as client, parser and polling loop; never its FSM).

- ``inbound``: ``TelegramInbound`` turns an aiogram ``Update`` into ``handlers.messages.Inbound``.
- ``sender``: ``TelegramSender`` sends ``Reply`` objects (text, buttons, photo, file, edit).
- ``flood``: ``FloodLimiter``, messages per chat per minute.
- ``processor``: ``TelegramUpdates``, one update from translation to sent replies.
- ``channel``: ``build_telegram_channel``, the Bot (pointed at ``TELEGRAM_API_BASE``) and the pipeline.
- ``polling`` / ``webhook``: the two ways updates arrive.
"""
