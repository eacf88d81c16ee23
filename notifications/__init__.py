"""Scheduled checks and the outbox that delivers pushes through the channel adapters.

Modules (nothing is built at import time; ``bot.notify_senders`` wires the real objects):

- ``notifications.templates``: ``render(kind, params, lang) -> Rendered`` (text + buttons), every kind in
  zh-CN and English; ``button_payload`` (``core.payload.payload``, the chat flows' rule)
- ``notifications.worker``: ``OutboxWorker(uow_factory, store, senders, limiter, clock, settings)`` with
  ``run()`` / ``drain()``; ``WorkerSettings`` (batch, retries, backoff, quiet hours, limits);
  ``resolve_recipient``; the ``ChannelSender`` protocol
- ``notifications.ratelimit``: ``RateLimits.for_chat``, ``InProcessRateLimiter``, ``RedisRateLimiter``
- ``notifications.errors``: ``ChannelError(permanent)``, ``ChannelRateLimited(retry_after)``
- ``notifications.checks``: ``Checks(uow_factory, store, clock, settings)``: the scheduled checks
- ``notifications.scheduler``: ``build_scheduler`` (APScheduler 3) and ``run_scheduler`` (leader election)

What queues rows: the use cases through ``core.notify`` (same transaction as the change) and the
checks through ``core.ports.AbstractOutboxStore.enqueue_many``; both key rows so nothing is queued twice.
"""
