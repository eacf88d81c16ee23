"""dms import KIND FILE: one command an import kind (``core.migration.ImportKind``)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer

from bot.cli._runtime import CLI_ACTOR, run_async, with_app
from core.migration import ImportKind

import_app = typer.Typer(help="数据迁移：导入产品、经销商、库存、联系人、资质、价格、历史订单、动销 "
                              "(import products, dealers, stock, contacts, qualifications, prices, "
                              "historical orders, sell-out from .csv/.xlsx).",
                         no_args_is_help=True)

# --- import ----------------------------------------------------------------------------------------

IMPORT_HELP = {
    "products": """导入产品，按 sku 新增或更新 (import products, upsert by sku).

表头 Header: sku,name,aliases,category,unit,list_price[,pack_size,moq,active,max_line_qty]

aliases 用分号分隔（AP300;净化器300）；list_price 为非负金额，最多两位小数；
pack_size/moq 为正整数（默认 1）；active 为 是/否 或 true/false（默认 是）；
max_line_qty（单行上限）为一个订单行最多的数量，留空为默认 pack_size×1000（最多 99999），无此列则不变。
(aliases are ;-separated; list_price a non-negative amount with at most 2 decimals;
max_line_qty: most units on one order line, empty: pack_size x 1000 up to 99999, no column: unchanged.)""",
    "dealers": """导入经销商，按 code 新增或更新 (import dealers, upsert by code).

表头 Header: code,name,uscc,province,city,region,tier[,parent_code,credit_limit,
contact_name,contact_phone,contact_role,status]

uscc 为18位统一社会信用代码（校验位必须正确）；tier 为 A/B/C/一级/二级/三级；parent_code
为上级经销商编码（文件中或系统中已有）；status 为 prospect/under_review/active/suspended/terminated
（或 待入驻/审核中/合作中/已暂停/已终止，留空：新经销商为 prospect，已有的不变）。
(uscc with a valid check character; parent_code must exist in the file or the system.)""",
    "stock": """导入工厂仓库存，按 仓库+sku 设置在库数量 (set maker stock on hand per warehouse and sku).

表头 Header: warehouse,sku,on_hand

warehouse 为仓库编码或名称；sku 必须已存在；on_hand 为非负整数，且不少于已预留数量。
(warehouse code or name; the sku must exist; on_hand a whole number >= reserved.)""",
    "contacts": """导入经销商联系人，按 经销商编码+电话 新增或更新 (contacts, keyed by dealer code + phone).

表头 Header: dealer_code,name,phone[,role]""",
    "qualifications": """导入资质证照，按 经销商编码+类型+编号 新增或更新 (qualifications, keyed by dealer + type + number).

表头 Header: dealer_code,doc_type,number[,issued_on,expires_on,status]

doc_type 为 business_license/operating_permit/authorization/tax_registration/other 或 营业执照 等；
status 默认 approved（旧系统已审核）。扫描件之后在后台或聊天中上传。
(status defaults to approved: reviewed in the old system; scans are uploaded later.)""",
    "prices": """导入价格表：等级价（填 tier）或经销商专属价（填 dealer_code），按 等级/经销商+sku 新增或更新
(tier prices or dealer prices, keyed by tier/dealer + sku).

表头 Header: sku,price[,tier,dealer_code]   （tier 与 dealer_code 二选一 exactly one of them）""",
    "orders": """导入历史订单，按订单号；同一订单号的多行为同一订单的明细 (historical orders by number; rows
sharing a number are its lines). 原样导入状态（如 closed），不扣库存、不记往来账、不发通知
(imported as-is: no stock, no ledger, no notifications).

表头 Header: order_number,order_date,dealer_code,status,sku,qty,unit_price[,product_name,free_qty,discount]
（与 dms export orders 的列相同 the columns dms export orders writes）""",
    "sellout": """导入动销数据，按 经销商+日期+sku+数量+金额+城市 去重 (sell-out, keyed by the natural key
dealer, date, sku, qty, amount, city: sum identical sales of one day and city into one row).

表头 Header: sold_on,dealer_code,sku,qty,amount,city[,province,customer_type]""",
}

COMMON_IMPORT_HELP = """

文件 File: .csv（UTF-8，可带 BOM；也接受 GB18030）或 .xlsx（第一个工作表），第一行为表头。
有错误的行会带行号和原因输出到标准错误；其余行照常导入；使用 --strict 时只要有一行错误就全部不导入。
重复导入同一文件不会产生任何变化。有错误行时退出码为 1。
(.csv UTF-8 with or without BOM, or .xlsx; bad rows are reported with row number and reason;
--strict imports nothing when any row is bad; re-importing a file changes nothing; exit 1 on bad rows.)"""

FileArg = Annotated[Path, typer.Argument(help="要导入的 .csv 或 .xlsx 文件 (file to import)")]
StrictOpt = Annotated[bool, typer.Option("--strict", help="有任何错误行则全部不导入 (import nothing on any bad row)")]
DryRunOpt = Annotated[bool, typer.Option("--dry-run", help="只校验并报告将要发生的变化，不写入 "
                                                            "(validate and report what would change, write nothing)")]


def _run_import(kind: str, file: Path, strict: bool, dry_run: bool = False) -> None:
    from bot.tabular import read_table
    from core.services.migration import import_table

    async def body(application: Any) -> Any:
        table = read_table(file)
        return await import_table(application.uow_factory(), CLI_ACTOR, application.clock, kind, table.header,
                                  table.rows, strict=strict, dry_run=dry_run)

    report = run_async(with_app)(body)
    for error in report.errors:
        typer.echo(str(error), err=True)
    typer.echo(f"{report.summary('zh')}（{report.summary('en')}）")
    if report.errors:
        raise typer.Exit(1)




def _import_command(kind: ImportKind) -> Callable[..., None]:
    def command(file: FileArg, strict: StrictOpt = False, dry_run: DryRunOpt = False) -> None:
        _run_import(kind.value, file, strict, dry_run)

    command.__name__ = f"import_{kind.value}"
    return command


for _kind in ImportKind:
    import_app.command(_kind.value, help=IMPORT_HELP[_kind.value] + COMMON_IMPORT_HELP)(_import_command(_kind))


def register(app: typer.Typer) -> None:
    app.add_typer(import_app, name="import")
