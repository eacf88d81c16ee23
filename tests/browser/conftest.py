"""Browser tests: the whole product (``dms run`` on a free port, SQLite and the demo data) driven by Playwright
in the system Chromium (Debian's ``chromium``, installed by ``scripts/test.sh`` where it can be).

Skipped, with the reason, only where Playwright or a Chromium cannot be had. Every page is watched for console
errors and failed requests; a failed test leaves a screenshot of the page in its temporary folder."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest

ADMIN_PASSWORD = "browser-test-pw-1"
START_TIMEOUT = 120.0
CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")


def chromium_path() -> str | None:
    for candidate in (os.environ.get("DMS_CHROMIUM"), *CHROMIUM_CANDIDATES):
        if candidate and Path(candidate).is_file() and os.access(candidate, os.X_OK):
            return candidate
    found = shutil.which("chromium")
    return found


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Server:
    url: str
    data_dir: Path
    log: Path


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """``dms run`` as a user starts it (``serve.py``), on its own SQLite database with the demo data, with no
    Telegram, no WeCom and no internet."""
    root = tmp_path_factory.mktemp("browser-app")
    port = _free_port()
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("TELEGRAM_", "WECOM_", "LLM_", "OPENAI_", "DMS_", "DATABASE_", "REDIS_"))}
    env.update({"DATABASE_URL": f"sqlite+aiosqlite:///{root / 'dms.sqlite3'}", "DATA_DIR": str(root / "var"),
                "WEB_HOST": "127.0.0.1", "WEB_PORT": str(port), "DMS_ADMIN_PASSWORD": ADMIN_PASSWORD,
                "NOTIFY_IN_RUN": "false", "LOG_LEVEL": "WARNING"})
    log = root / "server.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen([sys.executable, str(Path(__file__).with_name("serve.py"))], cwd=root, env=env, stdout=out,
                                stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            if proc.poll() is not None:
                pytest.fail(f"dms run stopped ({proc.returncode}): {log.read_text(errors='replace')[-3000:]}")
            try:
                if httpx.get(f"{url}/healthz", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"dms run not healthy after {START_TIMEOUT}s: {log.read_text(errors='replace')[-3000:]}")
            time.sleep(0.3)
        yield Server(url, root / "var", log)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("Playwright for Python is not installed (pip install -e '.[dev]')")
    executable = chromium_path()
    if executable is None:
        pytest.skip("no Chromium on this machine (apt-get install chromium, or DMS_CHROMIUM=/path/to/chrome)")
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=executable, headless=True,
                                     args=["--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu"])
        try:
            yield chromium
        finally:
            chromium.close()


@dataclass
class Watched:
    """A logged-in page and everything that went wrong on it."""

    page: Any
    errors: list[str] = field(default_factory=list)

    def assert_clean(self) -> None:
        assert self.errors == [], f"console errors / failed requests: {self.errors}"


def _became_download(request: Any) -> bool:
    """A link to a file: Chromium aborts the navigation and downloads instead (not a failure)."""
    return bool(request.is_navigation_request() and request.failure == "net::ERR_ABORTED")


@pytest.fixture
def page(request: pytest.FixtureRequest, browser: Any, server: Server, tmp_path: Path) -> Iterator[Watched]:
    context = browser.new_context(base_url=server.url, accept_downloads=True, locale="zh-CN")
    context.set_default_timeout(15_000)
    pg = context.new_page()
    watched = Watched(pg)
    pg.on("console", lambda m: watched.errors.append(f"console {m.type}: {m.text} at {m.location.get('url')}") if m.type == "error" else None)
    pg.on("pageerror", lambda e: watched.errors.append(f"page error: {e}"))
    pg.on("requestfailed", lambda r: None if _became_download(r) else watched.errors.append(
        f"request failed: {r.url} {r.failure}"))
    pg.on("response", lambda r: watched.errors.append(f"HTTP {r.status}: {r.url}") if r.status >= 400 else None)
    try:
        yield watched
    finally:
        report = getattr(request.node, "rep_call", None)
        if report is None or report.failed:
            shot = tmp_path / "failure.png"
            try:
                pg.screenshot(path=str(shot), full_page=True)
                print(f"screenshot of the failed page: {shot}")
            except Exception as exc:  # the page may be gone; the test's own failure is what matters
                print(f"no screenshot: {exc}")
        context.close()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    outcome = yield
    report = outcome.get_result()
    if report.when == "call":
        item.rep_call = report  # type: ignore[attr-defined]


def login(watched: Watched, username: str = "admin", password: str = ADMIN_PASSWORD) -> None:
    pg = watched.page
    pg.goto("/admin/login")
    pg.fill("input[name=username]", username)
    pg.fill("input[name=password]", password)
    pg.click("button[type=submit]")
    pg.wait_for_url("**/admin/")
