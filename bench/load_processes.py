"""The processes of bench/load.py's production shape: start ``dms`` web and worker processes, wait until they
answer, size their connection pools, stop them (SIGTERM, then SIGKILL), and make sure none outlives the bench.
bench/ is not a package: bench/load.py loads this file by its path, as the tests load bench/load.py."""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import importlib.util
import os
import signal
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402


def _bench_webhook() -> Any:
    """bench/webhook.py (its seed, uvicorn server, secret); bench/ is not a package."""
    name = "dms_bench_webhook"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, Path(__file__).with_name("webhook.py"))
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


ADMIN_PASSWORD = "load-bench-admin-0123456789"
DMS = ROOT / ".venv" / "bin" / "dms"
START_SECONDS = 90.0       # a process must answer /healthz within this (imports on a busy 2-core machine)
STOP_SECONDS = 30.0        # SIGTERM, then this long to finish the updates in flight, then SIGKILL


@dataclass
class Process:
    role: str                           # "web" | "worker"
    name: str
    proc: asyncio.subprocess.Process
    log: Path
    url: str = ""                       # web: http://127.0.0.1:PORT

    def tail(self, lines: int = 15) -> str:
        with contextlib.suppress(OSError):
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        return ""


def _free_port() -> int:
    sock, port = _bench_webhook()._socket()
    sock.close()
    return int(port)


def _die_with_parent() -> None:
    """In the child before exec: SIGTERM when the bench dies, even by SIGKILL (Linux PR_SET_PDEATHSIG)."""
    if _LIBC is not None:
        _LIBC.prctl(1, signal.SIGTERM)


_LIBC = ctypes.CDLL(None, use_errno=True) if sys.platform == "linux" else None   # loaded before any fork


WORKER_POOL = (5, 5)
RESERVED_CONNECTIONS = 30   # left to the bench's own engine and to everyone else on a shared server


@dataclass(frozen=True)
class Pools:
    """PostgreSQL connections per process: (pool size, overflow), or None: the app's own (storage/engine.py)."""

    web: tuple[int, int] | None
    worker: tuple[int, int] | None

    def describe(self) -> str:
        if self.web is None or self.worker is None:
            return "the app's own pools (storage/engine.py)"
        return f"pools web {self.web[0]}+{self.web[1]}, worker {self.worker[0]}+{self.worker[1]}"


async def plan_pools(app: Any, choice: str, web_processes: int, workers: int) -> Pools:
    """``choice`` "app": as the app builds them; "P+O": that for each web process; "auto": what fits in the
    server's max_connections less RESERVED_CONNECTIONS, workers WORKER_POOL, the web processes the rest."""
    from sqlalchemy import text

    if choice == "app":
        return Pools(None, None)
    if choice != "auto":
        size, overflow = map(int, choice.split("+"))
        return Pools((size, overflow), WORKER_POOL)
    async with app.engine.connect() as conn:
        limit = int((await conn.execute(text("SHOW max_connections"))).scalar_one())
    each = (limit - RESERVED_CONNECTIONS - workers * sum(WORKER_POOL)) // max(web_processes, 1)
    if each < 4:
        raise RuntimeError(f"max_connections={limit} leaves {each} connections per web process")
    kept = each * 4 // 5        # an overflow connection is closed when given back: under load, a connect each time
    return Pools((kept, each - kept), WORKER_POOL)


def dms_argv(pool: tuple[int, int] | None, *args: str) -> tuple[list[str], dict[str, str]]:
    """The command line of a ``dms`` process (and the environment it needs on top)."""
    if pool is None:
        return [str(DMS), *args], {}
    return [str(DMS), *args], {"DATABASE_POOL_SIZE": str(pool[0]), "DATABASE_MAX_OVERFLOW": str(pool[1])}


def process_env(app: Any, *, port: int | None = None) -> dict[str, str]:
    """The settings of a ``dms`` process, as environment (the names of ``bot.settings.Settings``)."""
    s = app.settings
    env = {**os.environ,
           "DATABASE_URL": s.database_url, "DATA_DIR": str(s.data_dir), "REDIS_URL": s.redis_url or "",
           "SECRET_KEY": s.secret_key.get_secret_value(),
           "DATA_ENCRYPTION_KEYS": s.data_encryption_keys.get_secret_value(),
           "DEMO_DATA_ON_EMPTY": "false", "NOTIFY_IN_RUN": "false", "NOTIFY_POLL_SECONDS": "0.5",
           "NOTIFY_REDIS_PREFIX": f"dms:load:{os.getpid()}:", "DMS_ADMIN_PASSWORD": ADMIN_PASSWORD,
           "TELEGRAM_BOT_TOKEN": s.telegram_token or "", "TELEGRAM_API_BASE": s.telegram_api_base,
           "TELEGRAM_MODE": "webhook", "TELEGRAM_WEBHOOK_SECRET": _bench_webhook().SECRET,
           "CHAT_FLOOD_PER_MINUTE": "100000", "LOG_LEVEL": "ERROR", "PYTHONUNBUFFERED": "1"}
    if port is not None:
        env |= {"WEB_HOST": "127.0.0.1", "WEB_PORT": str(port)}
    return env


async def start_process(role: str, name: str, argv: list[str], env: dict[str, str], logs: Path) -> Process:
    """``argv`` (e.g. ``[DMS, "run"]``) with its output in ``logs/NAME.log``; it dies with this process."""
    log = logs / f"{name}.log"
    with log.open("wb") as out:     # the child keeps its own descriptor
        # cwd: a folder without a .env (settings come from env alone); own session: a Ctrl+C at the terminal
        # reaches the bench only, which then stops the children in order
        proc = await asyncio.create_subprocess_exec(
            *argv, cwd=logs, env=env, stdin=asyncio.subprocess.DEVNULL, stdout=out,
            stderr=asyncio.subprocess.STDOUT, start_new_session=True, preexec_fn=_die_with_parent)
    return Process(role, name, proc, log)


async def wait_healthy(process: Process, client: httpx.AsyncClient) -> None:
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        if process.proc.returncode is not None:
            raise RuntimeError(f"{process.name} exited with {process.proc.returncode}:\n{process.tail()}")
        with contextlib.suppress(httpx.HTTPError):
            if (await client.get(process.url + "/healthz", timeout=2)).status_code == 200:
                return
        await asyncio.sleep(0.2)
    raise RuntimeError(f"{process.name}: no /healthz in {START_SECONDS:.0f} s:\n{process.tail()}")


async def stop_processes(processes: list[Process]) -> None:
    """SIGTERM (uvicorn stops, the updates in flight finish; a worker stops after its batch), wait, SIGKILL."""
    for p in processes:
        if p.proc.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                p.proc.terminate()
    for p in processes:
        try:
            await asyncio.wait_for(p.proc.wait(), STOP_SECONDS)
        except TimeoutError:
            with contextlib.suppress(ProcessLookupError):
                p.proc.kill()
            await p.proc.wait()
