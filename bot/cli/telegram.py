"""dms telegram set-webhook|delete-webhook."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated, Any

import typer

from bot.cli._runtime import fail, run_async
from bot.settings import Settings

telegram_app = typer.Typer(help="Telegram 机器人 webhook 设置 (Telegram bot webhook).", no_args_is_help=True)

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



def register(app: typer.Typer) -> None:
    app.add_typer(telegram_app, name="telegram")
