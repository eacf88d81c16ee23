"""/privacy: the policy, export of one's own personal data, erasure on request + admin approval, audited;
the audit log offers no way to change or delete an entry."""

from __future__ import annotations

import inspect
import json

import core.services as services_pkg
from core.dealers import Contact
from core.expenses import TaskStatus
from core.masking import mask_phone
from core.services.privacy import ERASE_TASK
from core.users import Role
from handlers.messages import Reply
from tests.chat import ChatWorld, buttons, texts


async def _world() -> tuple[ChatWorld, int]:
    w = ChatWorld()
    mine = await w.dealer()
    mine.contacts.append(Contact(name="李老板", phone="13800138000", role="老板", id_number="110101199003074514",
                                 dealer_id=mine.id))
    mine.contacts.append(Contact(name="王财务", phone="13900139000", role="财务", dealer_id=mine.id))
    user = await w.user("100", Role.DEALER_OWNER, mine)
    user.phone = "13800138000"
    other = await w.dealer()
    await w.user("200", Role.DEALER_OWNER, other)
    await w.user("900", Role.ADMIN, username="admin")
    await w.user("901", Role.ORDER_DESK, username="desk")
    await w.uow.commit()
    return w, mine.id  # type: ignore[return-value]


def _file(replies: list[Reply]) -> dict[str, object]:
    files = [r for r in replies if r.file is not None]
    assert len(files) == 1
    assert files[0].file_name.endswith(".json")
    return json.loads(files[0].file)  # type: ignore[arg-type]


async def test_privacy_shows_the_policy_in_both_languages_and_the_right_buttons() -> None:
    w, _ = await _world()
    shown = texts(await w.say("100", "/privacy"))
    assert "数据与隐私" in shown and "138****8000" in shown and "审计日志" in shown
    assert set(buttons(await w.say("100", "/privacy"))) >= {"📤 导出我的数据", "🗑 申请删除我的数据"}
    unbound = await w.say("555", "/privacy")
    assert "数据与隐私" in texts(unbound) and "📤 导出我的数据" not in buttons(unbound)
    await w.say("100", "/lang")
    assert "Data and privacy" in texts(await w.say("100", "/privacy"))


async def test_export_holds_my_user_identities_and_my_contact_entry_only() -> None:
    w, _ = await _world()
    data = _file(await w.press("100", "1|privacy.export"))
    assert data["user"]["phone"] == "13800138000" and data["user"]["username"] == "u100"  # type: ignore[index]
    assert data["chat_identities"] == [{"channel": "telegram", "external_id": "100", "bound_at": None}]
    contacts = data["dealer_contacts"]
    assert [c["name"] for c in contacts] == ["李老板"]  # type: ignore[union-attr]
    assert contacts[0]["id_number"] == "110101199003074514"  # type: ignore[index]
    assert "13900139000" not in json.dumps(data)          # a colleague's phone is not mine


async def test_unbound_users_cannot_export() -> None:
    w, _ = await _world()
    replies = await w.press("555", "1|privacy.export")
    assert all(r.file is None for r in replies)
    assert "权限" in texts(replies) or "绑定" in texts(replies)


async def test_erasure_request_then_admin_approval_erases_personal_fields_and_keeps_business_records() -> None:
    w, dealer_id = await _world()
    assert "确认申请删除" in texts(await w.press("100", "1|privacy.erase"))
    first = texts(await w.press("100", "1|privacy.erase_yes"))
    again = texts(await w.press("100", "1|privacy.erase_yes"))      # a double tap: still one request
    tasks = [t for t in w.uow.staff_tasks.rows if t.kind == ERASE_TASK]
    assert len(tasks) == 1 and f"编号 {tasks[0].id}" in first and f"编号 {tasks[0].id}" in again

    # neither the dealer, another dealer nor a non-admin staff member can approve it
    for chat in ("100", "200", "901"):
        assert "权限" in texts(await w.press(chat, f"1|privacy.approve|{tasks[0].id}"))
    assert (await w.uow.staff_tasks.get(tasks[0].id)).status == TaskStatus.OPEN  # type: ignore[arg-type,union-attr]

    admin_view = await w.say("900", "/privacy")
    assert f"批准删除 #{tasks[0].id}" in buttons(admin_view)
    audit_before = len(w.uow.audit.rows)
    done = texts(await w.press("900", buttons(admin_view)[f"批准删除 #{tasks[0].id}"]))
    assert "已删除用户 u100" in done

    user = await w.uow.users.get_by(username="u100")
    assert user is not None and user.phone is None and not user.active and user.display_name.startswith("已注销用户")
    assert await w.uow.identities.list(user_id=user.id) == []
    dealer = await w.uow.dealers.get(dealer_id)
    assert [c.name for c in dealer.contacts] == ["王财务"]  # type: ignore[union-attr]
    assert (await w.uow.staff_tasks.get(tasks[0].id)).status == TaskStatus.DONE  # type: ignore[arg-type,union-attr]
    erase_entries = [a for a in w.uow.audit.rows[audit_before:] if a.action == "privacy.erase"]
    assert len(erase_entries) == 1 and erase_entries[0].actor == "staff:admin"
    assert "13800138000" not in json.dumps([a.before | a.after for a in w.uow.audit.rows], ensure_ascii=False)

    # the chat is unbound now, and approving twice is refused
    assert "📤 导出我的数据" not in buttons(await w.say("100", "/privacy"))
    assert "已处理" in texts(await w.press("900", f"1|privacy.approve|{tasks[0].id}"))


async def test_forged_or_bad_approval_payloads_are_refused_politely() -> None:
    w, _ = await _world()
    for bad in ("1|privacy.approve|abc", "1|privacy.approve|99999", "1|privacy.approve"):
        assert "未找到" in texts(await w.press("900", bad))


def test_mask_phone() -> None:
    assert mask_phone("13800138000") == "138****8000"
    assert mask_phone("138-0013-8000") == "138****8000"
    assert mask_phone("") == "" and mask_phone("12345") == "*****"
    assert mask_phone("021-61234567") == "021****4567"      # landlines alike (one rule, core.masking)


def test_no_use_case_changes_or_deletes_audit_entries() -> None:
    """The application writes audit entries only: no module under core/services touches them otherwise."""
    import pkgutil
    from importlib import import_module

    offenders = []
    for info in pkgutil.iter_modules(services_pkg.__path__):
        source = inspect.getsource(import_module(f"core.services.{info.name}"))
        if "audit.delete" in source or "audit.update" in source:
            offenders.append(info.name)
    assert offenders == []


def test_admin_audit_screen_is_read_only_and_no_web_module_writes_audit_rows() -> None:
    from pathlib import Path

    from admin.views import AuditLogAdmin

    assert (AuditLogAdmin.can_create, AuditLogAdmin.can_edit, AuditLogAdmin.can_delete) == (False, False, False)
    admin_dir = Path(__file__).resolve().parents[2] / "admin"
    writers = [str(p) for p in admin_dir.rglob("*.py")
               if any(s in p.read_text(encoding="utf-8") for s in ("audit.delete", "update(audit_log", "delete(audit_log"))]
    assert writers == []
