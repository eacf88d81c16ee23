"""The ``dms`` command (typer). 中文优先，English in parentheses.

Every command reads ``Settings`` from the environment / ``.env`` (``DATABASE_URL`` picks SQLite or
PostgreSQL), builds the app through ``bot.bootstrap`` and closes it again. User errors (bad file,
unknown dealer, bad option) print a message in Chinese and English to stderr and exit with code 1
(2 for bad usage); they never print a traceback.
"""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Awaitable, Callable, Coroutine
from datetime import date, datetime
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer

from bot.cli_backup import register as register_backup_commands
from bot.cli_contracts import register as register_contract_commands
from bot.cli_nlu import register as register_nlu_commands
from bot.cli_notify import register as register_notify_commands
from bot.cli_payments import register as register_payment_commands
from bot.cli_statements import register as register_statement_commands
from bot.settings import Settings
from core.errors import DomainError
from core.users import Actor

T = TypeVar("T")

app = typer.Typer(
    name="dms",
    help="dms 经销商管理系统命令行 (dealer management system command line).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
import_app = typer.Typer(help="数据迁移：导入产品、经销商、库存、联系人、资质、价格、历史订单、动销 "
                              "(import products, dealers, stock, contacts, qualifications, prices, "
                              "historical orders, sell-out from .csv/.xlsx).",
                         no_args_is_help=True)
export_app = typer.Typer(help="导出订单、动销、经销商 (export orders, sell-out, dealers to .csv/.xlsx).",
                         no_args_is_help=True)
invite_app = typer.Typer(help="生成一次性绑定码 (one-time chat binding codes).", no_args_is_help=True)
user_app = typer.Typer(help="管理员账号 (admin web users).", no_args_is_help=True)
apikey_app = typer.Typer(help="ERP/CRM 接口密钥 (API keys).", no_args_is_help=True)
app.add_typer(import_app, name="import")
app.add_typer(export_app, name="export")
app.add_typer(invite_app, name="invite")
app.add_typer(user_app, name="user")
app.add_typer(apikey_app, name="apikey")
telegram_app = typer.Typer(help="Telegram 机器人 webhook 设置 (Telegram bot webhook).", no_args_is_help=True)
app.add_typer(telegram_app, name="telegram")
register_nlu_commands(app)   # dms nlu parse|eval, dms faq import (bot/cli_nlu.py)
register_contract_commands(app)   # dms contract verify FILE NUMBER (bot/cli_contracts.py)
register_notify_commands(app)   # dms worker, dms scheduler (bot/cli_notify.py)
register_backup_commands(app)   # dms backup, dms restore, dms keys rotate (bot/cli_backup.py)
register_statement_commands(app)   # dms statements issue --period 2026-11 (bot/cli_statements.py)
register_payment_commands(app)     # dms payments import FILE (bot/cli_payments.py)

CLI_ACTOR = Actor.system()


# --- plumbing --------------------------------------------------------------------------------------


def fail(zh: str, en: str, code: int = 1) -> typer.Exit:
    typer.echo(f"错误：{zh}（{en}）", err=True)
    return typer.Exit(code)


def _database_error(exc: Exception) -> typer.Exit:
    text = str(getattr(exc, "orig", exc)).lower()
    if "no such table" in text or "does not exist" in text and "relation" in text:
        return fail("数据库尚未初始化，请先运行 `dms migrate`",
                    "the database has no tables yet; run `dms migrate` first")
    first = str(getattr(exc, "orig", exc)).splitlines()[0] if str(exc) else type(exc).__name__
    return fail(f"数据库错误：{first}", f"database error: {first}")


def run_async(fn: Callable[..., Coroutine[Any, Any, T]]) -> Callable[..., T]:
    """Run an async command body; turn user errors into a message and an exit code."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> T:
        from sqlalchemy.exc import DBAPIError, OperationalError, ProgrammingError

        try:
            return asyncio.run(fn(*args, **kwargs))
        except DomainError as exc:
            raise fail(exc.message("zh"), exc.message("en")) from None
        except (OperationalError, ProgrammingError) as exc:
            raise _database_error(exc) from None
        except DBAPIError as exc:
            raise _database_error(exc) from None
        except (ConnectionError, OSError) as exc:
            raise fail(f"无法连接或读写：{exc}", f"cannot connect or read/write: {exc}") from None

    return wrapper


async def _with_app(body: Callable[[Any], Awaitable[T]]) -> T:
    from bot.bootstrap import bootstrap

    application = bootstrap(Settings())
    try:
        return await body(application)
    finally:
        await application.aclose()


def _parse_day(value: str | None, option: str) -> date | None:
    if value is None:
        return None
    try:
        return datetime.strptime(value, "%Y-%m-%d").date()
    except ValueError:
        raise fail(f"{option} 日期格式应为 YYYY-MM-DD：{value}", f"{option} must be a YYYY-MM-DD date: {value}",
                   code=2) from None


# --- run / migrate / demo data ----------------------------------------------------------------------


@app.command()
def run() -> None:
    """启动全部服务：迁移数据库、空库时导入演示数据、创建管理员、启动管理后台和接口
    (migrate, seed demo data into an empty database, create the admin, serve web + API)."""
    from bot.bootstrap import run_all

    try:
        run_async(run_all)(Settings())
    except KeyboardInterrupt:
        typer.echo("已停止 (stopped)")


@app.command()
def migrate() -> None:
    """把数据库升级到最新结构 (upgrade the database schema to the latest version)."""
    from bot.bootstrap import migrate as do_migrate
    from bot.bootstrap import safe_url

    settings = Settings()
    run_async(do_migrate)(settings)
    typer.echo(f"数据库已是最新结构 (database is up to date): {safe_url(settings.database_url)}")


@app.command("demo-data")
def demo_data(
    scale: Annotated[int, typer.Option(min=1, help="数据量倍数：经销商、订单、动销 × N (volume multiplier)")] = 1,
    seed: Annotated[int, typer.Option(help="随机种子，同一种子生成相同数据 (random seed: same seed, same data)")] = 42,
) -> None:
    """导入演示数据（仅在空数据库上）(seed realistic demo data into an EMPTY database)."""
    from bot.bootstrap import migrate as do_migrate
    from bot.demo_data import seed_demo_data

    async def body(application: Any) -> Any:
        await do_migrate(application.settings)
        def progress(text: str) -> None:
            if scale > 1:
                typer.echo(f"  ... {text}", err=True)

        return await seed_demo_data(application.uow_factory, application.session_factory, application.clock,
                                    scale=scale, seed=seed, progress=progress, files=application.files())

    summary = run_async(_with_app)(body)
    if summary.skipped:
        typer.echo("数据库不是空的，未导入演示数据 (the database is not empty; demo data was not loaded)")
        return
    for name, count in summary.counts.items():
        typer.echo(f"  {name}: {count}")
    typer.echo(f"演示数据已导入：动销 {summary.counts.get('sellout', 0)} 行，用时 {summary.seconds:.1f} 秒 "
               f"(demo data loaded: {summary.counts.get('sellout', 0)} sell-out lines in {summary.seconds:.1f} s)")


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
    from core.imports import import_table

    async def body(application: Any) -> Any:
        table = read_table(file)
        return await import_table(application.uow_factory(), CLI_ACTOR, application.clock, kind, table.header,
                                  table.rows, strict=strict, dry_run=dry_run)

    report = run_async(_with_app)(body)
    for error in report.errors:
        typer.echo(str(error), err=True)
    typer.echo(f"{report.summary('zh')}（{report.summary('en')}）")
    if report.errors:
        raise typer.Exit(1)


@import_app.command("products", help=IMPORT_HELP["products"] + COMMON_IMPORT_HELP)
def import_products(file: FileArg, strict: StrictOpt = False, dry_run: DryRunOpt = False) -> None:
    _run_import("products", file, strict, dry_run)


@import_app.command("dealers", help=IMPORT_HELP["dealers"] + COMMON_IMPORT_HELP)
def import_dealers(file: FileArg, strict: StrictOpt = False, dry_run: DryRunOpt = False) -> None:
    _run_import("dealers", file, strict, dry_run)


@import_app.command("stock", help=IMPORT_HELP["stock"] + COMMON_IMPORT_HELP)
def import_stock(file: FileArg, strict: StrictOpt = False, dry_run: DryRunOpt = False) -> None:
    _run_import("stock", file, strict, dry_run)


@import_app.command("contacts", help=IMPORT_HELP["contacts"] + COMMON_IMPORT_HELP)
def import_contacts(file: FileArg, strict: StrictOpt = False, dry_run: DryRunOpt = False) -> None:
    _run_import("contacts", file, strict, dry_run)


@import_app.command("qualifications", help=IMPORT_HELP["qualifications"] + COMMON_IMPORT_HELP)
def import_qualifications(file: FileArg, strict: StrictOpt = False, dry_run: DryRunOpt = False) -> None:
    _run_import("qualifications", file, strict, dry_run)


@import_app.command("prices", help=IMPORT_HELP["prices"] + COMMON_IMPORT_HELP)
def import_prices(file: FileArg, strict: StrictOpt = False, dry_run: DryRunOpt = False) -> None:
    _run_import("prices", file, strict, dry_run)


@import_app.command("orders", help=IMPORT_HELP["orders"] + COMMON_IMPORT_HELP)
def import_orders(file: FileArg, strict: StrictOpt = False, dry_run: DryRunOpt = False) -> None:
    _run_import("orders", file, strict, dry_run)


@import_app.command("sellout", help=IMPORT_HELP["sellout"] + COMMON_IMPORT_HELP)
def import_sellout(file: FileArg, strict: StrictOpt = False, dry_run: DryRunOpt = False) -> None:
    _run_import("sellout", file, strict, dry_run)


# --- export ----------------------------------------------------------------------------------------

OutArg = Annotated[Path, typer.Argument(help="输出文件，.csv 或 .xlsx (output file, .csv or .xlsx)")]
SinceOpt = Annotated[str | None, typer.Option("--since", help="起始日期 YYYY-MM-DD，含当天 (from, inclusive)")]
UntilOpt = Annotated[str | None, typer.Option("--until", help="截止日期 YYYY-MM-DD，含当天 (until, inclusive)")]


def _run_export(kind: str, file: Path, since: str | None, until: str | None, **options: Any) -> None:
    from bot import tabular

    if file.suffix.lower() not in tabular.SUPPORTED:
        raise fail(f"输出文件须为 .csv 或 .xlsx：{file.name}", f"the output file must be .csv or .xlsx: {file.name}",
                   code=2)
    start, end = _parse_day(since, "--since"), _parse_day(until, "--until")
    if start and end and start > end:
        raise fail("--since 不能晚于 --until", "--since must not be after --until", code=2)
    exporter = {"orders": tabular.export_orders, "sellout": tabular.export_sellout,
                "dealers": tabular.export_dealers}[kind]

    async def body(application: Any) -> int:
        return await exporter(application.uow_factory, CLI_ACTOR, application.clock, file, since=start,
                              until=end, **options)

    rows = run_async(_with_app)(body)
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
    from core.imports import ImportKind

    directory.mkdir(parents=True, exist_ok=True)
    for kind in ImportKind:
        (directory / template_filename(kind)).write_bytes(template_workbook(kind))
    typer.echo(f"已写入 {len(ImportKind)} 个模板到 {directory} (wrote {len(ImportKind)} templates to {directory})")


# --- invites ---------------------------------------------------------------------------------------

TtlOpt = Annotated[int | None, typer.Option("--ttl-hours", min=1,
                                            help="有效小时数，默认取 INVITE_TTL_HOURS (hours valid; default "
                                                 "INVITE_TTL_HOURS)")]


def _print_invite(invite: Any, who_zh: str, who_en: str) -> None:
    expires = invite.expires_at.astimezone(_business_tz()).strftime("%Y-%m-%d %H:%M")
    typer.echo(f"{who_zh}的一次性绑定码，{expires} 前有效；在聊天中发送此绑定码即可绑定")
    typer.echo(f"(one-time binding code for {who_en}, valid until {expires}; send this code in the chat to bind)")
    typer.echo(invite.code)


def _business_tz() -> Any:
    from zoneinfo import ZoneInfo

    return ZoneInfo(Settings().timezone)


@invite_app.command("dealer")
def invite_dealer(
    dealer_code: Annotated[str, typer.Argument(help="经销商编码，如 D0001 (dealer code)")],
    role: Annotated[str | None, typer.Option(help="owner 或 clerk；默认：还没有老板账号时为 owner，否则 clerk "
                                                  "(owner or clerk; default owner when the dealer has none)")] = None,
    ttl_hours: TtlOpt = None,
    user: Annotated[str | None, typer.Option("--user", help="已有用户名：在第二个渠道（如企业微信）绑定同一用户 "
                                                           "(an existing username: bind the same user on a second "
                                                           "channel, e.g. WeCom)")] = None,
) -> None:
    """为经销商用户生成一次性绑定码，最后一行只有绑定码 (binding code for a dealer user, alone on the last line)."""
    from core.services.users import create_invite
    from core.users import InviteKind, Role

    roles = {"owner": Role.DEALER_OWNER, "clerk": Role.DEALER_CLERK, "dealer_owner": Role.DEALER_OWNER,
             "dealer_clerk": Role.DEALER_CLERK, "老板": Role.DEALER_OWNER, "店员": Role.DEALER_CLERK}
    if role is not None and role.lower() not in roles:
        raise fail(f"角色须为 owner 或 clerk：{role}", f"role must be owner or clerk: {role}", code=2)

    async def body(application: Any) -> Any:
        return await create_invite(application.uow_factory(), CLI_ACTOR, InviteKind.DEALER, dealer_code,
                                   application.clock, ttl_hours or application.settings.invite_ttl_hours,
                                   role=roles[role.lower()] if role else None, username=user)

    invite = run_async(_with_app)(body)
    _print_invite(invite, f"经销商 {dealer_code.upper()} ", f"dealer {dealer_code.upper()}")


@invite_app.command("staff")
def invite_staff(
    username: Annotated[str, typer.Argument(help="员工用户名，如 zhang.orderdesk (staff username)")],
    role: Annotated[str, typer.Argument(help="角色 role: admin, order_desk, channel_manager, after_sales, quality, "
                                             "marketing, management, finance")],
    ttl_hours: TtlOpt = None,
) -> None:
    """为员工生成一次性绑定码，最后一行只有绑定码 (binding code for a staff member, alone on the last line)."""
    from core.services.users import create_invite
    from core.users import InviteKind, Role

    staff_roles = [r for r in Role if r.is_staff]
    try:
        staff_role = Role(role.strip().lower())
    except ValueError:
        staff_role = None
    if staff_role is None or not staff_role.is_staff:
        allowed = ", ".join(r.value for r in staff_roles)
        raise fail(f"未知的员工角色：{role}（可选：{allowed}）", f"unknown staff role {role} (one of {allowed})",
                   code=2)

    async def body(application: Any) -> Any:
        return await create_invite(application.uow_factory(), CLI_ACTOR, InviteKind.STAFF, (username, staff_role),
                                   application.clock, ttl_hours or application.settings.invite_ttl_hours)

    invite = run_async(_with_app)(body)
    _print_invite(invite, f"员工 {username}（{staff_role.value}）", f"staff {username} ({staff_role.value})")


# --- admin users -----------------------------------------------------------------------------------


@user_app.command("create-admin")
def create_admin(
    username: Annotated[str, typer.Option(help="用户名 (username)")] = "admin",
    password: Annotated[str | None, typer.Option(help="密码；不填则提示输入 (password; prompted when omitted)")]
    = None,
) -> None:
    """创建管理后台管理员，已存在则重设密码 (create an admin-web admin, or reset its password)."""
    from bot.bootstrap import set_admin_password

    if password is None:
        password = typer.prompt("密码 (password)", hide_input=True, confirmation_prompt=True)
    if len(password) < 8:
        raise fail("密码至少 8 位", "the password needs at least 8 characters", code=2)

    async def body(application: Any) -> bool:
        return await set_admin_password(application, username, password)

    created = run_async(_with_app)(body)
    if created:
        typer.echo(f"已创建管理员 {username} (admin {username} created)")
    else:
        typer.echo(f"已重设管理员 {username} 的密码 (password of {username} reset)")


# --- API keys --------------------------------------------------------------------------------------


@apikey_app.command("create")
def apikey_create(
    name: Annotated[str, typer.Argument(help="密钥名称，如 erp (key name)")],
    scope: Annotated[list[str] | None, typer.Option("--scope", help="权限范围，可多次指定 (scope, repeatable): "
                                                    "products:read products:write dealers:read stock:read "
                                                    "stock:write orders:read orders:write sellout:read "
                                                    "sellout:write accounts:read accounts:write")] = None,
    dealer: Annotated[str | None, typer.Option("--dealer", help="只允许访问该经销商的数据 (limit the key to "
                                                                "one dealer, by code)")] = None,
) -> None:
    """创建接口密钥，最后一行只有密钥，只显示一次 (create an API key; printed ONCE, alone on the last line)."""
    from core.services.users import create_api_key

    if not scope:
        raise fail("至少需要一个 --scope", "at least one --scope is needed", code=2)

    async def body(application: Any) -> Any:
        dealer_id = None
        if dealer is not None:
            async with application.uow_factory() as uow:
                found = await uow.dealers.get_by(code=dealer.strip().upper())
            if found is None:
                raise fail(f"经销商不存在：{dealer}", f"no such dealer: {dealer}")
            dealer_id = found.id
        return await create_api_key(application.uow_factory(), CLI_ACTOR, name, scope, dealer_id,
                                    clock=application.clock)

    key, plaintext = run_async(_with_app)(body)
    limited = f"，仅限经销商 {dealer.upper()}" if dealer else ""
    typer.echo(f"已创建接口密钥 {key.name}（前缀 {key.prefix}，范围 {' '.join(key.scopes)}{limited}），"
               "密钥只显示这一次，请妥善保存")
    typer.echo(f"(API key {key.name} created, prefix {key.prefix}; the key is shown once only, store it safely)")
    typer.echo(plaintext)


@apikey_app.command("list")
def apikey_list() -> None:
    """列出接口密钥（不显示密钥本身）(list API keys; the secrets are never shown)."""
    from core.services.users import list_api_keys

    async def body(application: Any) -> Any:
        keys = await list_api_keys(application.uow_factory(), CLI_ACTOR)
        async with application.uow_factory() as uow:
            codes = {d.id: d.code for d in await uow.dealers.list(id__in=[k.dealer_id for k in keys if k.dealer_id])}
        return keys, codes, application.clock.tz

    keys, codes, tz = run_async(_with_app)(body)
    if not keys:
        typer.echo("还没有接口密钥 (no API keys yet)")
        return

    def when(value: datetime | None) -> str:
        return value.astimezone(tz).strftime("%Y-%m-%d %H:%M") if value else "-"

    typer.echo(f"{'prefix':<14}{'name':<16}{'status':<10}{'dealer':<8}{'created':<18}{'last used':<18}scopes")
    for k in keys:
        status = "revoked" if k.revoked_at else "active"
        typer.echo(f"{k.prefix:<14}{k.name:<16}{status:<10}{codes.get(k.dealer_id, '-'):<8}"
                   f"{when(k.created_at):<18}{when(k.last_used_at):<18}{' '.join(k.scopes)}")


@apikey_app.command("revoke")
def apikey_revoke(prefix: Annotated[str, typer.Argument(help="密钥前缀，见 dms apikey list (key prefix)")]) -> None:
    """吊销接口密钥 (revoke an API key by its prefix)."""
    from core.services.users import list_api_keys, revoke_api_key

    wanted = prefix.strip()

    async def body(application: Any) -> Any:
        keys = await list_api_keys(application.uow_factory(), CLI_ACTOR)
        matches = [k for k in keys if k.revoked_at is None and wanted and
                   (k.prefix.startswith(wanted) or wanted.startswith(k.prefix))]
        if not matches:
            raise fail(f"没有前缀为 {wanted} 的有效密钥", f"no active key with prefix {wanted}")
        if len(matches) > 1:
            raise fail(f"前缀 {wanted} 对应多个密钥，请输入更长的前缀",
                       f"prefix {wanted} matches several keys; give a longer prefix", code=2)
        key_id = matches[0].id
        assert key_id is not None
        return await revoke_api_key(application.uow_factory(), CLI_ACTOR, key_id, application.clock)

    key = run_async(_with_app)(body)
    typer.echo(f"已吊销接口密钥 {key.name}（{key.prefix}）(API key revoked)")


# --- keygen ----------------------------------------------------------------------------------------


@app.command()
def keygen() -> None:
    """生成新的数据加密密钥，用于 DATA_ENCRYPTION_KEYS (print a new Fernet key).

    轮换密钥时把新密钥放在最前面，旧密钥保留在后面 (to rotate, put the new key first and keep the old ones)."""
    from cryptography.fernet import Fernet

    typer.echo(Fernet.generate_key().decode())


# --- chat ------------------------------------------------------------------------------------------


@app.command()
def chat(
    as_: Annotated[str, typer.Option("--as", help="以谁的身份对话：dealer:经销商编码 或 staff:用户名 "
                                                  "(who you are: dealer:CODE or staff:USERNAME)")],
) -> None:
    """在终端里与聊天机器人对话，与 Telegram 中的对话相同 (chat with the bot in the terminal).

    按钮显示为编号，输入编号即点按钮；输入 /quit 退出 (buttons are numbered: type the number to press
    one; /quit leaves)."""
    from admin.webchat import ChatAs
    from bot.console import CONSOLE_CHANNEL, ConsoleChat

    chat_as = ChatAs.parse(as_) if as_.split(":", 1)[0] in ("dealer", "staff") else None
    if chat_as is None:
        raise fail(f"--as 须为 dealer:经销商编码 或 staff:用户名，而不是 {as_}",
                   f"--as must be dealer:CODE or staff:USERNAME, not {as_}", code=2)

    async def body(application: Any) -> None:
        console = ConsoleChat(application.local_chat(CONSOLE_CHANNEL), application.uow_factory,
                              application.clock, application.files(), chat_as)
        await console.run()

    run_async(_with_app)(body)


# --- telegram --------------------------------------------------------------------------------------


def _telegram_call(action: Callable[[Any, Settings], Awaitable[bool]]) -> None:
    from aiogram.exceptions import TelegramAPIError

    from bot.telegram.channel import create_bot

    settings = Settings()
    token = settings.telegram_token
    if token is None:
        raise fail("未设置 TELEGRAM_BOT_TOKEN", "TELEGRAM_BOT_TOKEN is not set", code=2)

    async def body() -> bool:
        bot = create_bot(token, settings.telegram_api_base)
        try:
            return await action(bot, settings)
        except TelegramAPIError as exc:
            raise fail(f"Telegram 拒绝了请求：{exc.message}", f"Telegram refused: {exc.message}") from None
        finally:
            await bot.session.close()

    if not run_async(body)():
        raise fail("Telegram 未确认", "Telegram did not confirm")


@telegram_app.command("set-webhook")
def telegram_set_webhook(
    url: Annotated[str, typer.Argument(help="公网 HTTPS 地址，以 /telegram/webhook 结尾 (public HTTPS URL ending "
                                            "in /telegram/webhook)")],
) -> None:
    """让 Telegram 把消息推送到本服务，带 TELEGRAM_WEBHOOK_SECRET 校验 (register the webhook with the secret).

    之后请设置 TELEGRAM_MODE=webhook 并运行 dms run (then set TELEGRAM_MODE=webhook and run `dms run`)."""
    from bot.telegram.webhook import set_webhook

    if not url.startswith(("https://", "http://")):
        raise fail(f"地址须以 https:// 开头：{url}", f"the URL must start with https://: {url}", code=2)
    secret = Settings().telegram_webhook_secret
    if secret is None or not secret.get_secret_value().strip():
        raise fail("未设置 TELEGRAM_WEBHOOK_SECRET（webhook 必须有密钥）",
                   "TELEGRAM_WEBHOOK_SECRET is not set (a webhook needs a secret)", code=2)
    plain = secret.get_secret_value().strip()

    async def action(bot: Any, settings: Settings) -> bool:
        return await set_webhook(bot, url, plain)

    _telegram_call(action)
    typer.echo(f"已设置 webhook：{url}（webhook set）")


@telegram_app.command("delete-webhook")
def telegram_delete_webhook() -> None:
    """删除 webhook，改回轮询 (remove the webhook; polling works again)."""
    from bot.telegram.webhook import delete_webhook

    async def action(bot: Any, settings: Settings) -> bool:
        return await delete_webhook(bot)

    _telegram_call(action)
    typer.echo("已删除 webhook（webhook deleted）")


def main() -> None:  # pragma: no cover - console entry point for `python -m bot.cli`
    app()


if __name__ == "__main__":  # pragma: no cover
    main()
