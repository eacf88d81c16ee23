"""One module per conversation flow, each exposing ``router``; ``all_routers()`` lists them."""

from __future__ import annotations

from handlers.router import Router


def all_routers() -> list[Router]:
    from handlers.flows import (
        account,
        adjustments,
        aftersales,
        apply,
        asked_replies,
        campaign_new,
        campaigns,
        cart_edits,
        contracts,
        credit,
        credit_ask,
        dealer_stock,
        drafts,
        faq,
        finance,
        followups,
        help,
        menu,
        notices,
        order_changes,
        order_file,
        ordering,
        orders,
        payments,
        photo_first,
        prices,
        privacy,
        qf_notes,
        qf_steps,
        quality,
        receipt_claims,
        reports,
        sellout,
        sellout_chase,
        settings,
        staff,
        staff_approvals,
        staff_dealers,
        staff_glance,
        staff_materials,
        staff_order_tails,
        staff_orders,
        staff_queues,
        staff_renewals,
        staff_tickets,
        staff_words,
        standing,
        statements,
        stock,
        subdealers,
        thresholds,
        ticket_reopen,
        transfers,
    )

    # qf_notes first: its hook on every typed message only notes an offer passed over, before any flow answers it
    return [m.router for m in (qf_notes, menu, drafts, help, asked_replies, staff_glance, ordering, cart_edits, aftersales, ticket_reopen, receipt_claims, order_changes, photo_first, order_file, orders, stock, prices, quality, followups, sellout, credit_ask, account,
                               contracts, campaign_new, campaigns, apply, faq, staff, staff_orders, staff_dealers, staff_materials,
                               staff_tickets, staff_order_tails, staff_approvals, staff_queues, staff_renewals, qf_steps, staff_words, settings, reports, sellout_chase, privacy,
                               statements, credit, finance, payments, adjustments, notices, thresholds, dealer_stock, subdealers, standing, transfers)]
