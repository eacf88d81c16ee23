"""dms run, migrate, demo-data, keygen, chat: the app itself."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from bot.cli._runtime import fail, run_async, with_app
from bot.settings import Settings


def run() -> None:
    """启动全部服务：迁移数据库、空库时导入演示数据、创建管理员、启动管理后台和接口
    (migrate, seed demo data into an empty database, create the admin, serve web + API)."""
    from bot.bootstrap import run_all

    try:
        run_async(run_all)(Settings())
    except KeyboardInterrupt:
        typer.echo("已停止 (stopped)")


def migrate() -> None:
    """把数据库升级到最新结构 (upgrade the database schema to the latest version)."""
    from bot.bootstrap import migrate as do_migrate
    from bot.bootstrap import safe_url

    settings = Settings()
    run_async(do_migrate)(settings)
    typer.echo(f"数据库已是最新结构 (database is up to date): {safe_url(settings.database_url)}")


def demo_data(
    scale: Annotated[int, typer.Option(min=1, help="数据量倍数：经销商、订单、动销 × N (volume multiplier)")] = 1,
    seed: Annotated[int, typer.Option(help="随机种子，同一种子生成相同数据 (random seed: same seed, same data)")] = 42,
) -> None:
    """导入演示数据（仅在空数据库上）(seed realistic demo data into an EMPTY database)."""
    from bot.bootstrap import migrate as do_migrate
    from bot.demo import seed_demo_data

    async def body(application: Any) -> Any:
        await do_migrate(application.settings)
        def progress(text: str) -> None:
            if scale > 1:
                typer.echo(f"  ... {text}", err=True)

        return await seed_demo_data(application.uow_factory, application.session_factory, application.clock,
                                    scale=scale, seed=seed, progress=progress, files=application.files())

    summary = run_async(with_app)(body)
    if summary.skipped:
        typer.echo("数据库不是空的，未导入演示数据 (the database is not empty; demo data was not loaded)")
        return
    for name, count in summary.counts.items():
        typer.echo(f"  {name}: {count}")
    typer.echo(f"演示数据已导入：动销 {summary.counts.get('sellout', 0)} 行，用时 {summary.seconds:.1f} 秒 "
               f"(demo data loaded: {summary.counts.get('sellout', 0)} sell-out lines in {summary.seconds:.1f} s)")


# --- keygen ----------------------------------------------------------------------------------------


def keygen() -> None:
    """生成新的数据加密密钥，用于 DATA_ENCRYPTION_KEYS (print a new Fernet key).

    轮换密钥时把新密钥放在最前面，旧密钥保留在后面 (to rotate, put the new key first and keep the old ones)."""
    from cryptography.fernet import Fernet

    typer.echo(Fernet.generate_key().decode())


# --- chat ------------------------------------------------------------------------------------------


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

    run_async(with_app)(body)




def register(app: typer.Typer) -> None:
    app.command()(run)
    app.command()(migrate)
    app.command("demo-data")(demo_data)
    app.command()(keygen)
    app.command()(chat)
