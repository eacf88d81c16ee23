"""dms export orders|sellout|dealers|templates."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from bot.cli._runtime import CLI_ACTOR, fail, parse_day, run_async, with_app

export_app = typer.Typer(help="导出订单、动销、经销商 (export orders, sell-out, dealers to .csv/.xlsx).",
                         no_args_is_help=True)

# --- export ----------------------------------------------------------------------------------------

OutArg = Annotated[Path, typer.Argument(help="输出文件，.csv 或 .xlsx (output file, .csv or .xlsx)")]
SinceOpt = Annotated[str | None, typer.Option("--since", help="起始日期 YYYY-MM-DD，含当天 (from, inclusive)")]
UntilOpt = Annotated[str | None, typer.Option("--until", help="截止日期 YYYY-MM-DD，含当天 (until, inclusive)")]


def _run_export(kind: str, file: Path, since: str | None, until: str | None, **options: Any) -> None:
    from bot import tabular

    if file.suffix.lower() not in tabular.SUPPORTED:
        raise fail(f"输出文件须为 .csv 或 .xlsx：{file.name}", f"the output file must be .csv or .xlsx: {file.name}",
                   code=2)
    start, end = parse_day(since, "--since"), parse_day(until, "--until")
    if start and end and start > end:
        raise fail("--since 不能晚于 --until", "--since must not be after --until", code=2)
    exporter = {"orders": tabular.export_orders, "sellout": tabular.export_sellout,
                "dealers": tabular.export_dealers}[kind]

    async def body(application: Any) -> int:
        return await exporter(application.uow_factory, CLI_ACTOR, application.clock, file, since=start,
                              until=end, **options)

    rows = run_async(with_app)(body)
    typer.echo(f"已导出 {rows} 行到 {file}（exported {rows} rows to {file}）")


@export_app.command("orders")
def export_orders(file: OutArg, since: SinceOpt = None, until: UntilOpt = None) -> None:
    """导出订单，每个订单行一行，按下单日期筛选 (one row per order line, by order date).

    列 Columns: order_number,order_date,dealer_code,dealer_name,status,sku,product_name,qty,free_qty,
    unit_price,discount,line_amount,order_total（金额为两位小数文本 money as 2-decimal text）."""
    _run_export("orders", file, since, until)


@export_app.command("sellout")
def export_sellout(file: OutArg, since: SinceOpt = None, until: UntilOpt = None) -> None:
    """导出动销明细，按销售日期筛选 (sell-out lines, by sale date).

    列 Columns: sold_on,dealer_code,dealer_name,sku,qty,amount,province,city,customer_type."""
    _run_export("sellout", file, since, until)


@export_app.command("dealers")
def export_dealers(
    file: OutArg, since: SinceOpt = None, until: UntilOpt = None,
    with_contacts: Annotated[bool, typer.Option("--with-contacts",
                                                help="包含联系人姓名和电话（个人信息）(include contact names "
                                                     "and phones: personal data)")] = False,
) -> None:
    """导出经销商，格式与导入相同，按创建日期筛选 (dealers in the import format, by creation date).

    默认不含个人信息；--with-contacts 时加上 contact_name,contact_phone,contact_role
    (no personal data unless --with-contacts)."""
    _run_export("dealers", file, since, until, with_contacts=with_contacts)


@export_app.command("templates")
def export_templates(
    directory: Annotated[Path, typer.Argument(help="输出目录 (output directory)")],
) -> None:
    """导出各类导入的 Excel 模板（表头 + 中英文说明工作表）(Excel import templates: header row and a
    second sheet of instructions in Chinese and English, one file per import kind)."""
    from admin.import_templates import template_filename, template_workbook
    from core.migration import ImportKind

    directory.mkdir(parents=True, exist_ok=True)
    for kind in ImportKind:
        (directory / template_filename(kind)).write_bytes(template_workbook(kind))
    typer.echo(f"已写入 {len(ImportKind)} 个模板到 {directory} (wrote {len(ImportKind)} templates to {directory})")




def register(app: typer.Typer) -> None:
    app.add_typer(export_app, name="export")
