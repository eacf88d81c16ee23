"""Staff: /approvals, everything waiting for this person's decision, one message each with its buttons,
a page at a time. What waits comes from ``core.services.queues``; the cards from the job modules.
"""

from __future__ import annotations

from typing import Any

from core.campaigns import RequestStatus
from core.expenses import ClaimStatus
from core.masking import mask_text
from core.money import fmt_cny
from core.order_states import approval_reason_text
from core.services import dealers as dealer_cases
from core.services import qualifications
from core.services.credit import list_pending_credit_changes
from core.services.expenses import list_claims
from core.services.payments import list_finance_requests
from core.services.queues import Queue, QueueItem, all_waiting, may_see
from core.services.rebates import list_pending_settlements
from core.users import Permission
from handlers.context import Ctx
from handlers.flows.finance import offset_arg, page_of, page_where, pager_row
from handlers.flows.menu import require_bound
from handlers.flows.staff import (
    LIST_LIMIT,
    QUEUE_MAX,
    _require_any,
    decision_buttons,
    drop_pending,
)
from handlers.flows.staff_dealers import _docs_line, _qual_prompt_text, _qual_with_dealer
from handlers.flows.staff_materials import _mat_prompt_text, _mat_with_context, mat_buttons
from handlers.flows.transfers import transfers_waiting
from handlers.messages import Button, Reply
from handlers.router import Router, payload
from nlu.desk_words import APPROVALS_ANYWHERE, APPROVALS_ASKED, APPROVALS_ASKED_EN, APPROVALS_PHRASES

router = Router(name=__name__)

P = Permission


# --- approvals: everything waiting for this person's decision -------------------------------------

@router.command("approvals")
@router.button("staff.approvals")
@router.staff_phrase(*APPROVALS_PHRASES, anywhere=APPROVALS_ANYWHERE)
@router.staff_pattern(APPROVALS_ASKED)           # "待审核的订单", "有哪些单子要批": the queue in other words
@router.staff_pattern(APPROVALS_ASKED_EN)        # "what needs my approval", "orders to approve"
async def approvals(ctx: Ctx) -> list[Reply]:
    """Everything waiting for this person's decision, one message each with its buttons, a page at a time
    (``staff.approvals|<offset>``): orders, applications, documents, materials; for finance also rebate
    settlements, expense claims and credit requests. What waits comes from ``core.services.queues``."""
    if (refusal := require_bound(ctx)) is not None:
        return refusal
    _require_any(ctx, P.ORDER_APPROVE, P.DEALER_REVIEW, P.MATERIAL_APPROVE, P.ACCOUNT_POST, P.CREDIT_APPROVE)
    drop_pending(ctx)
    perms = ctx.actor.permissions
    kinds: dict[Queue, str] = {Queue.APPROVE: "order", Queue.APPLICATIONS: "dealer", Queue.DOCUMENTS: "qual",
                               Queue.MATERIALS: "mat"}
    if P.ACCOUNT_POST in perms:
        kinds |= {Queue.REBATES: "rebate", Queue.CLAIMS: "claim", Queue.REFUNDS: "refund"}
    kinds[Queue.CREDIT] = "credit"
    waiting: list[tuple[str, QueueItem]] = []
    for queue, kind in kinds.items():
        if may_see(ctx.actor, queue):
            items = await all_waiting(ctx.uow(), ctx.actor, queue, ctx.deps.clock)
            waiting += [(kind, i) for i in items if kind != "mat" or i.status == RequestStatus.PENDING.value]
    counts = {key: sum(k == kind for k, _ in waiting)
              for key, kind in (("orders", "order"), ("dealers", "dealer"), ("quals", "qual"), ("mats", "mat"))}
    money = [(k, i) for k, i in waiting if k in ("rebate", "claim", "refund", "credit")]
    transfers = await transfers_waiting(ctx)          # 调拨 waiting for the channel manager
    if not waiting:
        return [Reply(text=ctx.t("staff.approvals.empty")), *transfers]
    offset = offset_arg(ctx)
    shown = page_of(waiting, offset, LIST_LIMIT)
    offset = waiting.index(shown[0])
    header = ctx.t("staff.approvals.title", **counts) if {P.ORDER_APPROVE, P.DEALER_REVIEW, P.MATERIAL_APPROVE} \
        & perms else ctx.t("staff.approvals.title_money")
    if money:
        header += "\n" + ctx.t("staff.approvals.money", rebates=sum(k == "rebate" for k, _ in money),
                                claims=sum(k == "claim" for k, _ in money),
                                credit=sum(k == "credit" for k, _ in money))
        if refunds := sum(k == "refund" for k, _ in money):
            header += "\n" + ctx.t("fin.today.requests", n=refunds)
    header += "\n" + page_where(ctx, offset, len(shown), len(waiting))
    details = await _money_details(ctx, {k for k, _ in shown})
    cards = [await _approval_item(ctx, kind, queued, details) for kind, queued in shown]
    replies = [Reply(text=header), *[card for card in cards if card is not None]]
    pager = pager_row(ctx, "staff.approvals", offset, len(waiting), LIST_LIMIT)
    if pager:
        replies[-1].buttons.append(pager)
    return replies + transfers


async def _money_details(ctx: Ctx, kinds: set[str]) -> dict[tuple[str, str], Any]:
    """The finance items of a page as their use cases describe them (summary, id), keyed by (kind, ref)."""
    out: dict[tuple[str, str], Any] = {}
    if "rebate" in kinds:
        out |= {("rebate", str(s.settlement.id)): s for s in await list_pending_settlements(ctx.uow(), ctx.actor)}
    if "refund" in kinds:
        out |= {("refund", r.request.number): r for r in await list_finance_requests(ctx.uow(), ctx.actor,
                                                                                     limit=QUEUE_MAX)}
    if "credit" in kinds:
        out |= {("credit", c.change.number): c for c in await list_pending_credit_changes(ctx.uow(), ctx.actor)}
    if "claim" in kinds:
        out |= {("claim", c.number): c for c in await list_claims(ctx.uow(), ctx.actor, status=ClaimStatus.SUBMITTED,
                                                                    limit=QUEUE_MAX)}
    return out


async def _approval_item(ctx: Ctx, kind: str, item: QueueItem, details: dict[tuple[str, str], Any]) -> Reply | None:
    """One waiting item as its own message with the decision buttons."""
    lang, today = ctx.lang, ctx.deps.clock.today()
    thing = details.get((kind, item.ref))
    if kind == "rebate" and thing is not None:
        sid = thing.settlement.id or 0
        return Reply(text=thing.summary(lang), buttons=[[Button(ctx.t("fin.rb.ok"), payload("fin.rb.ok", sid)),
                                                         Button(ctx.t("fin.rb.no"), payload("fin.rb.no", sid))]])
    if kind == "refund" and thing is not None:
        rid = thing.request.id or 0
        return Reply(text=thing.summary(lang), buttons=[[Button(ctx.t("fin.fr.ok"), payload("fin.fr.ok", rid)),
                                                         Button(ctx.t("fin.fr.no"), payload("fin.fr.no", rid))]])
    if kind == "credit" and thing is not None:
        cid = thing.change.id or 0
        return Reply(text=thing.summary(lang), buttons=[[Button(ctx.t("cr.btn.ok"), payload("cr.ok", cid)),
                                                         Button(ctx.t("cr.btn.no"), payload("cr.no", cid))]])
    if kind == "claim" and thing is not None:
        return Reply(text=ctx.t("staff.approvals.claim", number=thing.number, amount=fmt_cny(thing.amount),
                                what=mask_text(thing.description)[:60], n=len(thing.evidence)),
                     buttons=[[Button(ctx.t("ctr.btn.approve"), payload("ctr.cl.yes", thing.id or 0, "p")),
                               Button(ctx.t("ctr.btn.approve_rebate"), payload("ctr.cl.yes", thing.id or 0, "r"))],
                              [Button(ctx.t("ctr.btn.reject"), payload("ctr.cl.no", thing.id or 0))]])
    if kind == "order":
        line = ctx.t("staff.order.line", number=item.ref, dealer=item.dealer_name or "?", total=item.summary)
        text = "\n".join([ctx.t("staff.order.prompt", line=line)]
                         + [f"⚠️ {approval_reason_text(c, lang)}" for c in item.notes])
        return Reply(text=text, buttons=decision_buttons(lang, "order", item.ref, item.version))
    if kind == "dealer" and item.dealer_id is not None:
        dealer = await dealer_cases.get_dealer(ctx.uow(), ctx.actor, item.dealer_id)
        docs = await qualifications.list_qualifications(ctx.uow(), ctx.actor, item.dealer_id)
        return Reply(text=ctx.t("staff.dealer.prompt", code=dealer.code, name=dealer.name, region=dealer.region,
                                city=dealer.city, tier=dealer.tier, docs=_docs_line(lang, docs, today)),
                     buttons=decision_buttons(lang, "dealer", dealer.code))
    if kind == "qual" and item.ref.isdigit():
        doc, dealer = await _qual_with_dealer(ctx, int(item.ref))
        return Reply(text=_qual_prompt_text(ctx, doc, dealer), buttons=decision_buttons(lang, "qual", int(item.ref)))
    if kind == "mat" and item.ref.isdigit():
        request, material, dealer = await _mat_with_context(ctx, int(item.ref))
        return Reply(text=_mat_prompt_text(ctx, request, material, dealer),     # buttons naming the request
                     buttons=[[*mat_buttons(ctx, request)[0], decision_buttons(lang, "mat", int(item.ref))[0][2]]]
                     if request.status == RequestStatus.PENDING else mat_buttons(ctx, request))
    return None
