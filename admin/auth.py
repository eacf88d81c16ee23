"""Staff login for the admin web: argon2 passwords, a signed session cookie, rate limiting, CSRF.

- Passwords: argon2id through argon2-cffi's ``PasswordHasher``; a hash made with older parameters is
  rehashed on the next successful login.
- Session: Starlette's ``SessionMiddleware`` (itsdangerous-signed cookie, key = ``settings.secret_key``),
  ``SameSite=Lax``, ``HttpOnly``; ``https_only`` is off only when the app serves 127.0.0.1/localhost.
  The session holds the user id alone; every request reloads the user, so deactivating a user or
  turning them into a dealer user logs them out at once.
- Who may log in: active staff users (``Role.is_staff``) with a ``password_hash``. Dealer users never,
  with the same "wrong username or password" answer so nothing leaks.
- Rate limit: at most ``LOGIN_ATTEMPTS_PER_MINUTE`` attempts per username per minute, in memory (per process);
  a successful login clears the count.
- CSRF: SQLAdmin 0.32 has no CSRF token for its forms, so ``SameOriginMiddleware`` guards the admin:
  an unsafe request (POST/PUT/PATCH/DELETE) must carry an ``Origin`` (or, failing that, a ``Referer``)
  whose host[:port] equals the request's ``Host``; otherwise 403. The scheme is not compared, so a
  TLS-terminating reverse proxy in front of plain-HTTP uvicorn still works. Together with the
  SameSite=Lax cookie a cross-site form post can neither ride the session nor pass the check.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqladmin.authentication import AuthenticationBackend
from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, Response
from starlette.types import ASGIApp, Receive, Scope, Send

from core.auditing import record
from core.clock import Clock
from core.ports import AbstractUnitOfWork
from core.users import Actor, ActorKind, Role, User

LOGIN_ATTEMPTS_PER_MINUTE = 5
SESSION_MAX_AGE_SECONDS = 8 * 3600
SESSION_COOKIE = "dms_admin_session"
STAFF_STATE_ATTR = "dms_staff"

_hasher = PasswordHasher()

MSG_BAD_LOGIN = "用户名或密码错误 / Invalid username or password"
MSG_TOO_MANY = "登录尝试过于频繁，请一分钟后再试 / Too many login attempts, try again in a minute"


def hash_password(plain: str) -> str:
    """argon2id hash of ``plain`` (for ``dms user create-admin`` and password changes)."""
    return _hasher.hash(plain)


def verify_password(hash: str, plain: str) -> bool:
    """True when ``plain`` matches ``hash``; False for a mismatch or a malformed hash (never raises)."""
    try:
        return _hasher.verify(hash, plain)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def password_needs_rehash(hash: str) -> bool:
    try:
        return _hasher.check_needs_rehash(hash)
    except InvalidHashError:
        return True


class LoginRateLimiter:
    """Sliding window of login attempts per username, in memory."""

    def __init__(self, max_attempts: int = LOGIN_ATTEMPTS_PER_MINUTE, window_seconds: float = 60.0,
                 now: Callable[[], float] = time.monotonic) -> None:
        self.max_attempts = max_attempts
        self.window = window_seconds
        self._now = now
        self._attempts: dict[str, deque[float]] = {}

    @staticmethod
    def _key(username: str) -> str:
        return username.strip().lower()

    def attempt(self, username: str) -> bool:
        """Record one attempt; False when the limit is already used up (the attempt is refused)."""
        now = self._now()
        window = self._attempts.setdefault(self._key(username), deque())
        while window and now - window[0] >= self.window:
            window.popleft()
        if len(window) >= self.max_attempts:
            return False
        window.append(now)
        return True

    def reset(self, username: str) -> None:
        self._attempts.pop(self._key(username), None)


@dataclass(frozen=True)
class StaffIdentity:
    """The logged-in staff user of this request (on ``request.state.dms_staff``)."""

    user_id: int
    username: str
    role: Role

    def to_actor(self) -> Actor:
        return Actor(kind=ActorKind.STAFF, user_id=self.user_id, name=self.username, role=self.role)


def current_staff(request: Request) -> StaffIdentity | None:
    staff = getattr(request.state, STAFF_STATE_ATTR, None)
    return staff if isinstance(staff, StaffIdentity) else None


def may_use_admin(user: User | None) -> bool:
    return bool(user is not None and user.active and user.role.is_staff and user.password_hash)


class StaffAuthBackend(AuthenticationBackend):
    """SQLAdmin authentication against ``User`` rows read through the unit of work."""

    def __init__(self, secret_key: str, uow_factory: Callable[[], AbstractUnitOfWork], clock: Clock,
                 *, https_only: bool = False, limiter: LoginRateLimiter | None = None) -> None:
        super().__init__(secret_key=secret_key, session_cookie=SESSION_COOKIE, max_age=SESSION_MAX_AGE_SECONDS,
                         same_site="lax", https_only=https_only)
        self.uow_factory = uow_factory
        self.clock = clock
        self.limiter = limiter or LoginRateLimiter()
        self.templates: Any = None      # SQLAdmin's Jinja2Templates, set by admin.views.build_admin

    async def _render_login(self, request: Request, error: str, status_code: int) -> Response:
        if self.templates is not None:
            response: Response = await self.templates.TemplateResponse(
                request, "sqladmin/login.html", {"error": error}, status_code=status_code)
            return response
        return PlainTextResponse(error, status_code=status_code)

    async def login(self, request: Request) -> Response | bool:
        form = await request.form()
        username = str(form.get("username") or "").strip()
        password = str(form.get("password") or "")
        if not username or not password:
            return await self._render_login(request, MSG_BAD_LOGIN, 400)
        if not self.limiter.attempt(username):
            return await self._render_login(request, MSG_TOO_MANY, 429)

        async with self.uow_factory() as uow:
            user = await uow.users.get_by(username=username)
            if not may_use_admin(user):
                # spend the same time as a real check so timing does not tell who exists
                verify_password(_DUMMY_HASH, password)
                return await self._render_login(request, MSG_BAD_LOGIN, 400)
            assert user is not None and user.password_hash is not None and user.id is not None
            if not verify_password(user.password_hash, password):
                return await self._render_login(request, MSG_BAD_LOGIN, 400)
            if password_needs_rehash(user.password_hash):
                user.password_hash = hash_password(password)
                await record(uow, user.to_actor(), "user.password_rehash", "user", user.username, self.clock)
                await uow.commit()
            user_id = user.id

        self.limiter.reset(username)
        request.session.clear()          # no session fixation: a fresh session for the new login
        request.session["user_id"] = user_id
        return True

    async def logout(self, request: Request) -> Response | bool:
        request.session.clear()
        return True

    async def authenticate(self, request: Request) -> Response | bool:
        user_id = request.session.get("user_id")
        if not isinstance(user_id, int):
            return False
        async with self.uow_factory() as uow:
            user = await uow.users.get(user_id)
        if not may_use_admin(user):
            request.session.clear()
            return False
        assert user is not None and user.id is not None
        setattr(request.state, STAFF_STATE_ATTR, StaffIdentity(user.id, user.username, user.role))
        return True


_DUMMY_HASH = hash_password("dms-timing-equaliser")


def _host_of(url: str) -> str | None:
    """``host[:port]`` of an absolute URL, without default ports (what a Host header carries)."""
    parts = urlsplit(url)
    if not parts.scheme or not parts.hostname:
        return None
    default = {"http": 80, "https": 443}.get(parts.scheme.lower())
    host = parts.hostname.lower()
    if ":" in host:
        host = f"[{host}]"
    return host if parts.port in (None, default) else f"{host}:{parts.port}"


def _strip_default_port(host: str) -> str:
    for suffix in (":80", ":443"):
        if host.endswith(suffix):
            return host[: -len(suffix)]
    return host


class SameOriginMiddleware:
    """Refuse unsafe requests whose Origin/Referer is not this site (CSRF guard for SQLAdmin forms)."""

    SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in self.SAFE_METHODS:
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        expected = _strip_default_port(request.url.netloc.lower())
        claimed = request.headers.get("origin")
        origin = _host_of(claimed) if claimed and claimed != "null" else None
        if origin is None:
            referer = request.headers.get("referer")
            origin = _host_of(referer) if referer else None
        if origin is None or origin != expected:
            response = HTMLResponse(
                "<h1>403</h1><p>跨站请求被拒绝 / Cross-site request refused</p>", status_code=403)
            await response(scope, receive, send)
            return
        await self.app(scope, receive, send)
