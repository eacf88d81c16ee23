"""Password hashing, the login rate limiter's window, language negotiation; rehash on login over HTTP."""

from __future__ import annotations

import pytest
from argon2 import PasswordHasher

from admin.api.errors import preferred_language
from admin.auth import LoginRateLimiter, hash_password, password_needs_rehash, verify_password
from core.users import Role
from tests.e2e.conftest import ADMIN_PASSWORD, BASE_URL, Web, add_staff


def test_hash_and_verify() -> None:
    hashed = hash_password("s3cret-密码")
    assert hashed.startswith("$argon2id$") and "s3cret" not in hashed
    assert verify_password(hashed, "s3cret-密码") is True
    assert verify_password(hashed, "s3cret-密") is False
    assert verify_password("not-a-hash", "whatever") is False
    assert hash_password("same") != hash_password("same")      # salted


def test_rate_limiter_window_slides() -> None:
    now = [1000.0]
    limiter = LoginRateLimiter(max_attempts=5, window_seconds=60, now=lambda: now[0])
    assert all(limiter.attempt("Zhang") for _ in range(5))
    assert limiter.attempt("zhang ") is False            # same user, case and spaces ignored
    assert limiter.attempt("li") is True
    now[0] += 59.9
    assert limiter.attempt("zhang") is False
    now[0] += 0.2
    assert limiter.attempt("zhang") is True
    limiter.reset("ZHANG")
    assert all(limiter.attempt("zhang") for _ in range(5))


@pytest.mark.parametrize(("header", "lang"), [
    (None, "zh"), ("", "zh"), ("en", "en"), ("en-US,en;q=0.9", "en"), ("zh-CN,zh;q=0.9,en;q=0.8", "zh"),
    ("fr-FR, en;q=0.5, zh;q=0.4", "en"), ("en;q=0.3, zh-TW;q=0.8", "zh"), ("en;q=0", "zh"), ("de", "zh"),
])
def test_preferred_language(header: str | None, lang: str) -> None:
    assert preferred_language(header) == lang


async def test_weak_hash_is_upgraded_on_login(web: Web) -> None:
    weak = PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1).hash(ADMIN_PASSWORD)
    assert password_needs_rehash(weak)
    staff_id = await add_staff(web, "zhang.admin", Role.ADMIN, password=None)
    async with web.uow() as uow:
        user = await uow.users.get(staff_id)
        assert user is not None
        user.password_hash = weak
        await uow.commit()

    response = await web.client.post("/admin/login", data={"username": "zhang.admin", "password": ADMIN_PASSWORD},
                                     headers={"Origin": BASE_URL})
    assert response.status_code == 302
    async with web.uow() as uow:
        user = await uow.users.get(staff_id)
        audit = await uow.audit.list(action="user.password_rehash")
    assert user is not None and user.password_hash != weak
    assert user.password_hash is not None and not password_needs_rehash(user.password_hash)
    assert verify_password(user.password_hash, ADMIN_PASSWORD)
    assert [(a.actor, a.entity_id, a.before, a.after) for a in audit] == [("staff:zhang.admin", "zhang.admin", {}, {})]
