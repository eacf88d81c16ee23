"""The order desk's and approvers' words (``handlers.flows.staff_approvals``, ``handlers.flows.staff_orders``): what
waits for a decision asked for ("待审批", "有哪些单子要批", "what needs my approval"), the desk's list ("待配货",
"哪些单要发货"), and a waybill number typed ("SF 1234 5678").

The handlers route on the words and shapes here and take what was said from the functions; they read no words
themselves.
"""

from __future__ import annotations

import re

from nlu.dealer_contact_words import dealer_contact_asked

#: whole messages asking for what waits for this person's decision (a form step open takes them as its answer)
APPROVALS_PHRASES = ("审批", "approvals")
#: the same, that no form step takes as its answer
APPROVALS_ANYWHERE = ("待审批", "待我审批", "有什么要审批的", "要审批的", "pending approvals")
#: "待审核的订单", "有哪些单子要批", "需要我审批的申请": the approvals in other words
APPROVALS_ASKED = (r"^(?:看看|查一?下|列一?下)?\s*(?:有哪些|有什么|哪些)?\s*(?:单子?|订单)?\s*(?:待|要|需要|等着?)\s*我?\s*"
                   r"(?:审核|审批|批|审)的?\s*(?:订单|单子?|申请)?\s*(?:有哪些|有吗|呢|吗)?[?？]?$")
#: "what needs my approval", "orders to approve" ("how many …": the count, ``staff_queues.orders_waiting``)
APPROVALS_ASKED_EN = (r"^(?:what|which|any|show(?: me)?|list)?\s*(?:orders?|requests?|things?)?\s*"
                      r"(?:are |is )?(?:waiting|pending|need(?:s|ing)?|to)\s*(?:for\s+)?(?:my\s+)?approv(?:al|e)\??$")

#: whole messages asking for the order desk (orders to allocate and to ship)
DESK_PHRASES = ("配货发货", "待配货", "待发货", "desk")
#: the same, that no form step takes as its answer
DESK_ANYWHERE = ("待配货的订单", "待配货的单", "要配货的", "要配货的单", "有什么要配货的", "哪些单要配货",
                 "待发货的订单", "待发货的单", "要发货的", "要发货的单", "有什么要发货的", "哪些单要发货",
                 "orders to allocate", "orders to ship", "分配仓库", "分仓", "安排配货", "安排发货")

_TRACKING = re.compile(r"^[A-Za-z0-9-]{4,64}$")


def tracking_said(text: str) -> str | None:
    """The waybill number typed ("SF 1234 5678" -> "SF12345678": spaces dropped), None when it is not one
    (4 to 64 letters, digits or dashes)."""
    tracking = re.sub(r"\s+", "", text)
    return tracking if _TRACKING.match(tracking) else None


# "查下杭州嘉禾", "看看合肥新锐的情况", "杭州嘉禾的资料": a lead word or a trailing one, the dealer words between
_DEALER_LOOKUP = re.compile(r"^(?:(?:查一?下|查查|看看|看一?下|打开)\s*(?P<a>[^\s\d，,。?？]{2,20}?)\s*(?:的?(?:情况|资料|信息|档案))?"
                            r"|(?P<b>[^\s\d，,。?？]{2,20}?)\s*的?(?:情况|资料|信息|档案)(?:发我看看|怎么样|如何)?)"
                            r"\s*(?:怎么样|咋样|如何)?[?？]?$")


def dealer_looked_up(text: str) -> str | None:
    """"查下杭州嘉禾", "杭州嘉禾的资料" -> "杭州嘉禾": the dealer words of a look-up, else None."""
    m = _DEALER_LOOKUP.match(text.strip())
    if m is None:
        return dealer_contact_asked(text)        # "合肥新锐的联系人电话": its card, which lists the contacts
    return (m.group("a") or m.group("b") or "").strip()
