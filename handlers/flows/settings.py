"""/settings: which pushes a user gets, and where (the outbox worker reads these preferences).

One message lists the categories with a toggle each (🔔 on / 🔕 muted) and, for a user bound on more
than one channel, where pushes go: the channel chosen, or the one used last. Each tap rewrites the
same message (``edit_ref``). System notices (account suspended, and so on) cannot be muted.

Payloads: ``settings.menu``, ``settings.mute|<category>``, ``settings.unmute|<category>``,
``settings.channel|<channel or auto>``. The use cases (``core.notify``) check the actor and the values.
"""

from __future__ import annotations

from core.notify import (
    SetMuted,
    SetPreferredChannel,
    get_preferences,
    set_muted,
    set_preferred_channel,
    user_channels,
)
from core.outbox import CATEGORY_LABELS, UNMUTABLE, Category, NotificationPreference
from handlers import i18n
from handlers.context import Ctx
from handlers.flows.menu import require_bound
from handlers.messages import Button, Reply
from handlers.router import Router, payload

router = Router(name=__name__)

AUTO = "auto"
CHANNEL_LABELS: dict[str, tuple[str, str]] = {"telegram": ("Telegram", "Telegram"), "wecom": ("企业微信", "WeCom"),
                                              "console": ("终端", "console"), "web": ("网页聊天", "web chat")}
DEALER_CATEGORIES = (Category.ORDER, Category.TICKET, Category.QUALIFICATION, Category.CONTRACT, Category.STOCK,
                     Category.CAMPAIGN, Category.PERFORMANCE, Category.FAQ)
STAFF_CATEGORIES = (Category.ORDER, Category.TICKET, Category.QUALIFICATION, Category.CONTRACT, Category.STOCK,
                    Category.CAMPAIGN, Category.DIGEST, Category.FAQ)

i18n.register({
    "settings.title": ("🔔 通知设置\n点一下开关：🔔 接收，🔕 已关闭。系统通知始终发送。",
                       "🔔 Notifications\nTap to switch: 🔔 on, 🔕 muted. System notices are always sent."),
    "settings.channel": ("推送渠道：{channel}", "Pushes go to: {channel}"),
    "settings.channel_auto": ("最近使用的渠道", "the channel you used last"),
    "settings.btn.auto": ("📡 最近使用", "📡 Last used"),
    "settings.muted": ("已关闭“{category}”通知。", "{category} notifications are muted."),
    "settings.unmuted": ("已开启“{category}”通知。", "{category} notifications are on."),
    "settings.channel_set": ("推送将发到：{channel}。", "Pushes now go to: {channel}."),
    "settings.quiet": ("夜间免打扰：非紧急通知会在早上送达。", "Quiet nights: non-urgent notices arrive in the morning."),
})


def _label(ctx: Ctx, category: Category) -> str:
    return ctx.pick(*CATEGORY_LABELS[category])


def _channel_label(ctx: Ctx, channel: str | None) -> str:
    if not channel:
        return ctx.t("settings.channel_auto")
    return ctx.pick(*CHANNEL_LABELS.get(channel, (channel, channel)))


def _category(ctx: Ctx) -> Category | None:
    raw = ctx.args[0] if ctx.args else ""
    try:
        category = Category(raw)
    except ValueError:
        return None
    return category if category not in UNMUTABLE else None


async def _panel(ctx: Ctx, pref: NotificationPreference, lead: str = "") -> Reply:
    categories = DEALER_CATEGORIES if ctx.is_dealer else STAFF_CATEGORIES
    toggles = []
    for category in categories:
        muted = pref.mutes(category)
        action = "settings.unmute" if muted else "settings.mute"
        toggles.append(Button(f"{'🔕' if muted else '🔔'} {_label(ctx, category)}", payload(action, category.value)))
    rows = [toggles[i:i + 2] for i in range(0, len(toggles), 2)]
    channels = await user_channels(ctx.uow(), ctx.actor)
    lines = [lead] if lead else []
    lines += [ctx.t("settings.title"), ctx.t("settings.channel", channel=_channel_label(ctx, pref.channel)),
              ctx.t("settings.quiet")]
    if len(channels) > 1:
        choices = [Button(("✅ " if pref.channel is None else "") + ctx.t("settings.btn.auto"),
                          payload("settings.channel", AUTO))]
        choices += [Button(("✅ " if pref.channel == c else "📡 ") + _channel_label(ctx, c), payload("settings.channel", c))
                    for c in channels]
        rows.append(choices)
    rows.append([Button(ctx.t("btn.lang"), payload("lang.toggle")), Button("🏠", payload("menu"))])
    edit = ctx.inbound.message_ref if ctx.inbound.kind.value == "button" else ""
    return Reply(text="\n".join(lines), buttons=rows, edit_ref=edit)


@router.command("settings")
@router.button("settings.menu")
async def settings_menu(ctx: Ctx) -> list[Reply]:
    if (refusal := require_bound(ctx)) is not None:
        return refusal
    return [await _panel(ctx, await get_preferences(ctx.uow(), ctx.actor))]


@router.button("settings.mute", "settings.unmute")
async def toggle(ctx: Ctx) -> list[Reply]:
    if (refusal := require_bound(ctx)) is not None:
        return refusal
    category = _category(ctx)
    if category is None:
        return [Reply(text=ctx.t("error.button_stale"))]
    mute = ctx.inbound.payload.split("|")[1] == "settings.mute"
    pref = await set_muted(ctx.uow(), ctx.actor, SetMuted(category, mute), ctx.deps.clock)
    lead = ctx.t("settings.muted" if mute else "settings.unmuted", category=_label(ctx, category))
    return [await _panel(ctx, pref, lead)]


@router.button("settings.channel")
async def choose_channel(ctx: Ctx) -> list[Reply]:
    if (refusal := require_bound(ctx)) is not None:
        return refusal
    raw = ctx.args[0] if ctx.args else ""
    if not raw:
        return [Reply(text=ctx.t("error.button_stale"))]
    channel = None if raw == AUTO else raw
    pref = await set_preferred_channel(ctx.uow(), ctx.actor, SetPreferredChannel(channel), ctx.deps.clock)
    return [await _panel(ctx, pref, ctx.t("settings.channel_set", channel=_channel_label(ctx, channel)))]
