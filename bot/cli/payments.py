"""``dms payments import FILE [--as USER]``: import a bank statement file (CSV in UTF-8 or GBK, or XLSX).

Each incoming row is matched to a dealer (reference, payer account, name) and booked as a bank transfer
into its prepayment (``core.services.bank_import``); rows no rule matches are listed for a person to
assign in the back office (/backoffice/bank). Importing the same file again books nothing twice.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from bot.cli._runtime import fail, run_async, with_app

payments_app = typer.Typer(help="回款 (payments): 导入银行流水 (import a bank statement file).", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.add_typer(payments_app, name="payments")


@payments_app.command("import")
def import_file(
    path: Annotated[Path, typer.Argument(help="银行流水文件 .csv / .xlsx (bank statement file)")],
    as_: Annotated[str, typer.Option("--as", help="以哪个财务账号导入 (finance username)")] = "wu.finance",
) -> None:
    """导入银行流水并入账 (import a bank statement file and book the matched payments)."""
    from bot.tabular import read_table
    from core.banking import MATCH_REASON_LABELS, MatchReason
    from core.money import fmt_cny
    from core.services.bank_import import file_sha256, import_bank_file

    async def body(application: Any) -> None:
        table = read_table(path)   # ValidationFailed for a missing or unreadable file
        actor, dealers = await _finance(application, as_)
        summary = await import_bank_file(application.uow_factory(), actor, path.name,
                                         [table.header, *table.rows], application.clock,
                                         sha256=file_sha256(path.read_bytes()))
        for row in summary.booked:
            dealer = dealers.get(row.dealer_id)
            reason = MATCH_REASON_LABELS[MatchReason(row.match_reason)]
            typer.echo(f"已入账 booked  第{row.row_number}行  {row.paid_on}  {row.payer}  {fmt_cny(row.amount)}  -> "
                       f"{dealer.code if dealer else row.dealer_id} {dealer.name if dealer else ''}"
                       f"  依据 by {reason['zh']} ({reason['en']})")
        for row in summary.unmatched:
            why = f"  {row.note}" if row.note else ""
            typer.echo(f"待匹配 unmatched  #{row.id}  第{row.row_number}行  {row.paid_on}  {row.payer}  {fmt_cny(row.amount)}"
                       f"  {row.reference}{why}")
        for error in summary.errors:
            typer.echo(f"错误 error  {error.zh}（{error.en}）")
        typer.echo(f"入账 {len(summary.booked)} 笔，重复 {summary.duplicates} 笔，待匹配 {len(summary.unmatched)} 笔，"
                   f"错误 {len(summary.errors)} 行 ({len(summary.booked)} booked, {summary.duplicates} duplicates, "
                   f"{len(summary.unmatched)} unmatched, {len(summary.errors)} errors)")
        if summary.unmatched:
            typer.echo("指定经销商：dms payments assign #编号 经销商编码；忽略：dms payments ignore #编号 原因 "
                       "(assign: dms payments assign ID DEALER_CODE; ignore: dms payments ignore ID REASON)")

    run_async(with_app)(body)


def _row_id(text: str) -> int:

    digits = text.strip().lstrip("#")
    if not digits.isdigit():
        raise fail(f"流水编号应为数字，如 3，而不是 {text}", f"the row id is a number such as 3, not {text}", code=2)
    return int(digits)


async def _finance(application: Any, username: str, *,
                   with_dealers: bool = True) -> tuple[Any, dict[int | None, Any]]:

    async with application.uow_factory() as uow:
        user = await uow.users.get_by(username=username)
        dealers = {d.id: d for d in await uow.dealers.list()} if with_dealers else {}
    if user is None:
        raise fail(f"没有用户 {username}", f"no user {username}")
    return user.to_actor(), dealers


@payments_app.command("unmatched")
def unmatched(
    as_: Annotated[str, typer.Option("--as", help="财务账号 (finance username)")] = "wu.finance",
) -> None:
    """列出待匹配的银行流水 (list the bank rows waiting for a person)."""
    from core.money import fmt_cny
    from core.services.bank_import import list_unmatched

    async def body(application: Any) -> None:
        actor, _ = await _finance(application, as_)
        rows, total = await list_unmatched(application.uow_factory(), actor, limit=200)
        for row in rows:
            typer.echo(f"#{row.id}  {row.paid_on}  {row.payer}  {fmt_cny(row.amount)}  {row.reference}  "
                       f"{row.account}  ({row.file_name} 第{row.row_number}行)")
        typer.echo(f"待匹配 {total} 笔 ({total} unmatched)")

    run_async(with_app)(body)


@payments_app.command("assign")
def assign(
    row_id: Annotated[str, typer.Argument(help="流水编号 (row id from dms payments unmatched), e.g. 3 or #3")],
    dealer: Annotated[str, typer.Argument(help="经销商编码 (dealer code), e.g. D0007")],
    as_: Annotated[str, typer.Option("--as", help="财务账号 (finance username)")] = "wu.finance",
) -> None:
    """把一笔待匹配流水记为某经销商的回款 (book an unmatched row as the dealer's payment)."""
    from core.money import fmt_cny
    from core.services.bank_import import assign_bank_row
    from core.services.dealers import get_dealer_by_code

    async def body(application: Any) -> None:
        actor, _ = await _finance(application, as_, with_dealers=False)
        found = await get_dealer_by_code(application.uow_factory(), actor, dealer)    # NotFound names the code
        row = await assign_bank_row(application.uow_factory(), actor, _row_id(row_id), found.id or 0,
                                    application.clock)
        typer.echo(f"已入账 booked  #{row.id}  {row.payer}  {fmt_cny(row.amount)}  -> {found.code} {found.name}")

    run_async(with_app)(body)


@payments_app.command("ignore")
def ignore(
    row_id: Annotated[str, typer.Argument(help="流水编号 (row id), e.g. 3 or #3")],
    reason: Annotated[str, typer.Argument(help="原因 (reason), e.g. 银行利息")],
    as_: Annotated[str, typer.Option("--as", help="财务账号 (finance username)")] = "wu.finance",
) -> None:
    """忽略一笔不是经销商回款的流水 (ignore a row that is no dealer's payment)."""
    from core.services.bank_import import ignore_bank_row

    async def body(application: Any) -> None:
        actor, _ = await _finance(application, as_, with_dealers=False)
        row = await ignore_bank_row(application.uow_factory(), actor, _row_id(row_id), reason, application.clock)
        typer.echo(f"已忽略 ignored  #{row.id}  {row.payer}  ({row.note})")

    run_async(with_app)(body)
