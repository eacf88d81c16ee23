"""``dms worker`` and ``dms scheduler``: the notification processes for production.

- ``dms worker [--id ID]``: delivers the outbox until SIGTERM / Ctrl+C. Run as many as you like, on
  any machines: a row goes to one worker only. Give each live worker its own ``--id`` (default:
  host:pid); a worker restarted with the same id takes back the rows it had claimed at once, others
  wait ``NOTIFY_STALE_SECONDS``. ``--once`` delivers what is due now and exits; ``--status`` prints
  the rows per status.
- ``dms scheduler``: runs the scheduled checks. Start two or more on different machines: on
  PostgreSQL exactly one holds the advisory lock and runs them, the others wait and one takes over
  within ``NOTIFY_LEADER_POLL_SECONDS`` when the leader dies. ``--run-now NAME`` (or ``all``) runs
  checks once and exits.

``dms run`` runs one of each inside the web process (``NOTIFY_IN_RUN``).
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
from typing import Annotated, Any

import typer

from bot.cli._runtime import fail, run_async, with_app
from bot.settings import Settings


def register(app: typer.Typer) -> None:
    app.command("worker")(worker)
    app.command("scheduler")(scheduler)


def _stop_on_signals(stop: Any) -> None:
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(sig, stop)


def worker(
    worker_id: Annotated[str | None, typer.Option("--id", help="本进程的工作者编号，默认 主机名:进程号 "
                                                                "(this worker's id; default host:pid)")] = None,
    once: Annotated[bool, typer.Option("--once", help="发送当前到期的消息后退出 (deliver what is due, then exit)")] = False,
    status: Annotated[bool, typer.Option("--status", help="显示各状态的消息数后退出 (print rows per status)")] = False,
) -> None:
    """发送待推送的通知（可多进程、多机器同时运行）(deliver the outbox; run any number of these)."""
    from bot.bootstrap import settle_memory
    from bot.logging import configure_logging
    from bot.notify_senders import build_worker

    settings = Settings()
    configure_logging(settings)

    async def body(application: Any) -> None:
        built = build_worker(application, worker_id=worker_id)
        try:
            if status:
                counts = await built.store.counts()
                typer.echo(" ".join(f"{k}={counts[k]}" for k in sorted(counts)) or "empty")
                return
            if not built.senders:
                typer.echo("警告：没有可用的推送渠道（未设置 TELEGRAM_BOT_TOKEN）(warning: no channel to push to)",
                           err=True)
            if once:
                done = await built.drain()
                typer.echo(f"outbox worker {built.worker_id}: {done} rows handled {built.stats.as_dict()}")
                return
            _stop_on_signals(built.stop)
            settle_memory()                       # as `dms run` once started (bot.bootstrap.warm_up)
            typer.echo(f"outbox worker {built.worker_id} started (channels: {', '.join(sorted(built.senders)) or '-'})")
            await built.run()
            typer.echo(f"outbox worker {built.worker_id} stopped {built.stats.as_dict()}")
        finally:
            await built.limiter.aclose()

    run_async(with_app)(body)


def scheduler(
    run_now: Annotated[str | None, typer.Option("--run-now", help="立即运行某项检查（或 all）后退出 "
                                                                  "(run one check, or all, once and exit)")] = None,
) -> None:
    """运行定时检查（多实例时只有一个在运行，其余待命接管）(scheduled checks; one leader among instances)."""
    from bot.logging import configure_logging
    from bot.notify_senders import build_checks, scheduler_task

    settings = Settings()
    configure_logging(settings)

    async def body(application: Any) -> None:
        if run_now is not None:
            checks = build_checks(application)
            names = list(checks.all()) if run_now == "all" else [run_now]
            unknown = [n for n in names if n not in checks.all()]
            if unknown:
                raise fail(f"没有这项检查：{unknown[0]}（可选：{', '.join(checks.all())}）",
                           f"no such check: {unknown[0]} (one of: {', '.join(checks.all())})", code=2)
            for name in names:
                typer.echo(f"{name}: {await checks.run(name)} queued")
            return
        stop = asyncio.Event()
        _stop_on_signals(stop.set)
        typer.echo("scheduler: waiting for the leader lock", nl=True)

        def became_leader() -> None:
            typer.echo("scheduler: leader, running the checks")

        await scheduler_task(application, stop=stop, on_leader=became_leader)
        typer.echo("scheduler: stopped")

    run_async(with_app)(body)
