"""One module per conversation flow, each exposing ``router``; ``all_routers()`` lists them."""

from __future__ import annotations

from handlers.router import Router


def all_routers() -> list[Router]:
    from handlers.flows import (
        account,
        adjustments,
        aftersales,
        apply,
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
        prices,
        privacy,
        quality,
        receipt_claims,
        reports,
        sellout,
        sellout_chase,
        settings,
        staff,
        staff_approvals,
        staff_dealers,
        staff_materials,
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

    return [m.router for m in (menu, drafts, help, ordering, cart_edits, aftersales, ticket_reopen, receipt_claims, order_changes, order_file, orders, stock, prices, quality, followups, sellout, credit_ask, account,
                               contracts, campaign_new, campaigns, apply, faq, staff, staff_orders, staff_dealers, staff_materials,
                               staff_tickets, staff_approvals, staff_queues, staff_renewals, staff_words, settings, reports, sellout_chase, privacy,
                               statements, credit, finance, payments, adjustments, notices, thresholds, dealer_stock, subdealers, standing, transfers)]
