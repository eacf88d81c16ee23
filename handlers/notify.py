"""Messages to other chats (a dealer told of a decision, staff asked to approve).

Handlers append them to ``ctx.outbox`` as ``Reply`` objects with ``channel`` and ``chat_id`` set; the
adapter sends them. (The durable outbox of the notifications package takes these over later.)
Private chats only: a user's chat id is its external id on that channel.
"""

from __future__ import annotations

from core.ports import AbstractUnitOfWork
from core.users import ROLE_PERMISSIONS, Permission
from handlers.messages import Button, Reply


async def dealer_chats(uow: AbstractUnitOfWork, dealer_id: int) -> list[tuple[str, str]]:
    users = await uow.users.list(dealer_id=dealer_id, active=True)
    return await _chats(uow, [u.id for u in users if u.id is not None])


async def staff_chats(uow: AbstractUnitOfWork, permission: Permission) -> list[tuple[str, str]]:
    roles = [role for role, perms in ROLE_PERMISSIONS.items() if role.is_staff and permission in perms]
    users = await uow.users.list(role__in=roles, active=True)
    return await _chats(uow, [u.id for u in users if u.id is not None])


async def _chats(uow: AbstractUnitOfWork, user_ids: list[int]) -> list[tuple[str, str]]:
    if not user_ids:
        return []
    identities = await uow.identities.list(user_id__in=user_ids)
    return [(i.channel, i.external_id) for i in identities]


def to_chats(chats: list[tuple[str, str]], text: str, buttons: list[list[Button]] | None = None) -> list[Reply]:
    return [Reply(text=text, buttons=buttons or [], channel=channel, chat_id=chat_id) for channel, chat_id in chats]


async def chat_language(uow: AbstractUnitOfWork, channel: str, chat_id: str, default: str = "zh-CN") -> str:
    """The language a chat chose (``/lang``), else ``default``: pushes are written per recipient."""
    dialog = await uow.dialogs.get_by(channel=channel, chat_id=chat_id)
    return dialog.language if dialog is not None and dialog.language else default
