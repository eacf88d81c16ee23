"""``dms statements issue --period 2026-11 [--dealer CODE] [--again]``: issue (send) monthly statements.

Every active dealer with a movement, an order or a balance gets its statement of the month, sent in chat
with its Excel and PDF (``core.services.statements.issue_statements``); a statement already issued is left
alone unless ``--again`` (then rebuilt and sent again, unless confirmed). The scheduled check ``statements``
does the same on ``STATEMENT_ISSUE_DAY``; running both issues nothing twice.
"""

from __future__ import annotations

from typing import Annotated, Any

import typer

from bot.cli._runtime import run_async, with_app

statements_app = typer.Typer(help="对账单 (monthly statements): 出具并发送 (issue and send).", no_args_is_help=True)

_SKIPPED = {"exists": ("已出具", "already issued"), "confirmed": ("已确认", "already confirmed"),
            "empty": ("本期无发生额且无余额", "no movement and no balance")}


def register(app: typer.Typer) -> None:
    app.add_typer(statements_app, name="statements")


@statements_app.command("issue")
def issue(
    period: Annotated[str, typer.Option(help="账期 (month), e.g. 2026-11")],
    dealer: Annotated[str | None, typer.Option(help="只出此经销商 (only this dealer code), e.g. D0001")] = None,
    again: Annotated[bool, typer.Option("--again", help="已出具的重新生成并发送 (rebuild and send again)")] = False,
) -> None:
    """出具对账单并通过聊天发送 (issue the statements of a month and send them in chat)."""
    from core.money import fmt_cny
    from core.services.statements import IssueStatements, issue_statements
    from core.users import Actor

    async def body(application: Any) -> None:
        confirm_days = application.settings.statement_confirm_days
        outcome = await issue_statements(application.uow_factory, Actor.system(), IssueStatements(
            period=period, dealer_code=dealer, confirm_days=confirm_days, again=again), application.clock)
        for code, statement in outcome.issued:
            typer.echo(f"已出具 issued  {code}  {statement.period}  期末 closing {fmt_cny(statement.closing_balance)}"
                       f"  确认期限 due {statement.due_on}")
        for code, why in outcome.skipped:
            zh, en = _SKIPPED.get(why, (why, why))
            typer.echo(f"跳过 skipped  {code}  {zh} ({en})")
        typer.echo(f"共出具 {len(outcome.issued)} 份，跳过 {len(outcome.skipped)} 家 "
                   f"({len(outcome.issued)} issued, {len(outcome.skipped)} skipped)")

    run_async(with_app)(body)
