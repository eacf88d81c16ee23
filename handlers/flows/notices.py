"""Staff send a notice to dealers in words: "给华东区的经销商发个通知：双十二活动开始了", "通知A级经销商：…",
"给D0003 D0007发消息：…", "给所有经销商发公告：…" (marketing and channel managers: ``core.services.notices``).

The words before the colon say who (regions 华东/华北/…, tiers A级/B级, dealer codes, a city or province, 所有/全部:
everyone; regions and tiers narrow together), the words after it what. Nothing is sent before a confirm that shows
how many dealers it reaches and the text as they will read it; ✅ 发送 sends once (a second tap answers the same).

    notice.ok|<nonce>   send the notice shown
"""

from __future__ import annotations

from core.dealers import DealerStatus
from core.services.notices import SENDERS, Audience, notice_audience, notice_text, send_notice
from handlers import i18n
from handlers.context import Ctx
from handlers.flows import forms
from handlers.messages import Button, Reply
from handlers.router import Router, payload
from nlu.notice_words import NOTICE_ASKED, audience_words, notice_words
from nlu.replies import is_confirmation

router = Router(name=__name__)

MAX_NAMED = 8            # dealer codes shown in the confirm

i18n.register({
    "notice.ask": ("📢 将发给{who}：{n} 家经销商（{codes}）\n内容：\n{text}\n确认发送吗？",
                   "📢 To {who}: {n} dealer(s) ({codes})\nText:\n{text}\nSend it?"),
    "notice.more": ("等", " and more"),
    "notice.everyone": ("所有在营经销商", "every active dealer"),
    "notice.btn.send": ("✅ 发送", "✅ Send"),
    "notice.sent": ("✅ 已发送给 {n} 家经销商的用户。", "✅ Sent to the users of {n} dealer(s)."),
    "notice.nobody": ("没有符合“{who}”的在营经销商，没有发送。", "No active dealer fits \"{who}\"; nothing was sent."),
    "notice.unclear": ("没认出要发给谁：“{who}”。可以写地区（华东）、级别（A级）、经销商编号（D0007）、城市，或“所有经销商”。",
                       "Could not tell who \"{who}\" is: write a region (华东), a tier (A级), dealer codes (D0007), a "
                       "city, or 所有经销商."),
    "notice.not_yours": ("发通知需要市场部或渠道经理的权限。", "Sending notices is for marketing and channel managers."),
})


@router.staff_pattern(NOTICE_ASKED)
async def notice_said(ctx: Ctx) -> list[Reply]:
    if not SENDERS & ctx.actor.permissions:
        return [Reply(text=ctx.t("notice.not_yours"))]
    said = notice_words(ctx.inbound.text or "")
    assert said is not None            # the pattern routed here
    who, text = said[0], notice_text(said[1])
    audience, label = await _audience(ctx, who)
    if audience is None:
        return [Reply(text=ctx.t("notice.unclear", who=forms.clip(who, 30)))]
    dealers = await notice_audience(ctx.uow(), ctx.actor, audience)
    if not dealers:
        return [Reply(text=ctx.t("notice.nobody", who=forms.clip(label, 30)))]
    nonce = forms.new_nonce()
    ctx.go("notice.confirm", nonce=nonce, text=text, regions=list(audience.regions), tiers=list(audience.tiers),
           dealer_ids=list(audience.dealer_ids))
    codes = "、".join(d.code for d in dealers[:MAX_NAMED]) + (ctx.t("notice.more") if len(dealers) > MAX_NAMED else "")
    return [Reply(text=ctx.t("notice.ask", who=label, n=len(dealers), codes=codes, text=text),
                  buttons=[[Button(ctx.t("notice.btn.send"), payload("notice.ok", nonce))],
                           forms.cancel_row(ctx, "notice")])]


async def _audience(ctx: Ctx, who: str) -> tuple[Audience | None, str]:
    """The audience the words name and how to say it; (None, "") when words are left that name nobody. A city or
    province said picks its dealers (narrowed by the region and tier said); else regions and tiers narrow together."""
    regions, tiers, codes, rest = audience_words(who)
    label = " ".join([*regions, *(f"{t}级" for t in tiers), *sorted(codes), *([rest] if rest else [])]) \
        or ctx.t("notice.everyone")
    if not (codes or rest):
        return Audience(regions=regions, tiers=tiers), label
    async with ctx.uow() as uow:
        active = await uow.dealers.list(status=DealerStatus.ACTIVE)
    named = [d.id for d in active if d.id is not None and d.code.upper() in codes]
    if not rest:
        return Audience(regions=regions, tiers=tiers, dealer_ids=tuple(named)), label
    placed = [d.id for d in active if d.id is not None and _in_place(rest, d.city, d.province)
              and (not regions or d.region in regions) and (not tiers or d.tier in tiers)]
    if not placed:
        return None, ""
    return Audience(dealer_ids=tuple(dict.fromkeys(named + placed))), label


def _in_place(words: str, city: str | None, province: str | None) -> bool:
    """"杭州" / "浙江" / "杭州市": the dealer's city or province said."""
    return any(place and (words in place or place.rstrip("市省") in words) for place in (city, province))


@router.button("notice.ok")
async def send(ctx: Ctx) -> list[Reply]:
    if not SENDERS & ctx.actor.permissions:
        return [Reply(text=ctx.t("notice.not_yours"))]
    nonce = forms.arg(ctx, 0)
    done = forms.submitted_ref(ctx, nonce)
    if done is not None:
        return [Reply(text=ctx.t("notice.sent", n=done))]
    if not forms.form_is(ctx, "notice.confirm", nonce):
        return [Reply(text=ctx.t("error.button_stale"))]
    d = ctx.dialog.data
    audience = Audience(regions=tuple(d.get("regions") or ()), tiers=tuple(d.get("tiers") or ()),
                        dealer_ids=tuple(int(i) for i in d.get("dealer_ids") or ()))
    n = await send_notice(ctx.uow(), ctx.actor, audience, str(d.get("text") or ""), nonce, ctx.deps.clock)
    forms.remember_submitted(ctx, nonce, str(n))
    return [Reply(text=ctx.t("notice.sent", n=n), buttons=[[forms.menu_button(ctx)]])]


@router.text_hook
async def typed_at_confirm(ctx: Ctx) -> list[Reply] | None:
    """"确认", "发吧" typed instead of ✅ 发送 under the notice shown: sent. Anything else is read as usual (the
    notice waits for its button)."""
    if ctx.dialog.state != "notice.confirm" or not is_confirmation(forms.text_of(ctx)):
        return None
    ctx.args = [str(ctx.dialog.data.get("nonce", ""))]
    return await send(ctx)


@router.button("notice.cancel")
async def cancel(ctx: Ctx) -> list[Reply]:
    return forms.cancel_form(ctx)
