"""``dms contract verify FILE NUMBER``: is this PDF the signed copy of contract NUMBER? (SHA-256 against the
signature record; exit 0 when it matches, 1 when not: a changed or foreign file).

``dms contract settle-rebates [NUMBER ...] [--all]``: propose the rebate settlements due (every target whose
period has ended, net of what was settled) and print, per target, what was proposed or why nothing was."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from bot.cli._runtime import run_async, with_app

contract_app = typer.Typer(help="合同 (contracts): 校验签署版、结算返利 (verify a signed copy, settle rebates).",
                           no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.add_typer(contract_app, name="contract")


@contract_app.command("verify")
def verify(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="PDF 文件 (the PDF file)")],
    number: Annotated[str, typer.Argument(help="合同编号 (contract number), e.g. HT-20261126-0001")],
) -> None:
    """校验 PDF 是否为该合同的签署版 (check a PDF against the recorded SHA-256 of the signed copy)."""
    from core.services.contract_docs import verify_signed_pdf
    from core.users import Actor

    data = file.read_bytes()
    outcome: dict[str, bool] = {}

    async def body(application: Any) -> None:
        result = await verify_signed_pdf(application.uow_factory(), Actor.system(), number, data)
        outcome["ok"] = result.ok
        if result.ok and result.signature is not None:
            s = result.signature
            typer.echo(f"OK 一致: {s.number} v{s.version} signed by {s.signer} via {s.channel} ({s.origin}) at "
                       f"{s.signed_at.isoformat()} sha256={s.pdf_sha256}")
        else:
            expected = result.signature.pdf_sha256 if result.signature else "-"
            typer.echo(f"MISMATCH 不一致: file sha256={result.actual_sha256}, signed copy sha256={expected}", err=True)

    run_async(with_app)(body)
    raise typer.Exit(0 if outcome.get("ok") else 1)


@contract_app.command("settle-rebates")
def settle_rebates(
    numbers: Annotated[list[str] | None, typer.Argument(help="合同编号 (contract numbers)")] = None,
    all_contracts: Annotated[bool, typer.Option("--all", help="所有已签署/执行中/已到期的合同 (every signed, "
                                                            "active or expired contract)")] = False,
    lang: Annotated[str, typer.Option(help="zh 或 en (language of the explanation)")] = "zh",
) -> None:
    """计算返利结算 (propose the rebate settlements due), 逐个目标说明 (explained per target)."""
    from core.errors import DomainError
    from core.services.rebates import propose_due
    from core.users import Actor

    if not numbers and not all_contracts:
        typer.echo("请给出合同编号或 --all / give contract numbers or --all", err=True)
        raise typer.Exit(2)
    failed: list[str] = []

    async def body(application: Any) -> None:
        try:
            results = await propose_due(application.uow_factory(), Actor.system(), application.clock,
                                        None if all_contracts else numbers)
        except DomainError as exc:
            typer.echo(exc.message(lang), err=True)
            failed.append(exc.code)
            return
        if not results:
            typer.echo("No signed, active or expired contract." if lang.startswith("en") else
                       "没有已签署、执行中或已到期的合同。")
        for result in results:
            typer.echo(result.explanation(lang))

    run_async(with_app)(body)
    raise typer.Exit(1 if failed else 0)
