"""Long replies on the real platforms' limits, through the Telegram Bot API and WeCom stand-ins: Telegram's
4,096 characters, WeCom's 2,048 bytes; lines kept whole where they fit, and a line longer than a message never
cut inside an order number or an amount (``handlers.messages.split_for_limit``)."""

from __future__ import annotations

import re

from bot.telegram.channel import create_bot
from bot.telegram.sender import TelegramSender, telegram_length
from bot.wecom.client import WeComClient
from bot.wecom.sender import WeComSender
from handlers.messages import Button, Reply, split_for_limit
from notifications.templates import Rendered
from tests.e2e.telegram_standin import TelegramStandIn
from tests.e2e.wecom_standin import AGENT_ID, CORP_ID, SECRET, WeComStandIn

NUMBERS = [f"SO-20261205-{i:04d}" for i in range(1, 501)]
# one line of 500 order numbers with amounts (~14,000 characters): what a dealer's order history can become
ONE_LINE = "您的订单：" + "，".join(f"{n} ¥{i * 1999:,}.00" for i, n in enumerate(NUMBERS, 1))
TOKEN = re.compile(r"SO-\d{8}-\d{4}|¥[\d,]+\.\d{2}")


def _whole(pieces: list[str]) -> None:
    """Every order number and amount of the text lies whole inside one piece."""
    found = [t for p in pieces for t in TOKEN.findall(p)]
    assert found == TOKEN.findall(ONE_LINE)


async def test_telegram_long_line_split_between_order_numbers() -> None:
    async with TelegramStandIn() as standin:
        bot = create_bot(standin.token, standin.base_url)
        try:
            sender = TelegramSender(bot)
            await sender.send(7, Reply(text=ONE_LINE, buttons=[[Button("下一页", "1|orders.page|20")]]))
        finally:
            await bot.session.close()
        sent = [m.text for m in standin.sent(7)]
    assert len(sent) >= 3
    assert all(telegram_length(t) <= 4096 for t in sent)
    assert "".join(sent) == ONE_LINE
    _whole(sent)
    assert [m.labels for m in standin.sent(7)][-1] == ["下一页"]


async def test_wecom_long_line_split_within_2048_bytes_between_order_numbers() -> None:
    async with WeComStandIn() as standin:
        client = WeComClient(CORP_ID, SECRET, AGENT_ID, standin.base_url)
        try:
            await WeComSender(client).send("li", Rendered(ONE_LINE))
        finally:
            await client.aclose()
        got = [r.text for r in standin.received("li")]
    assert len(got) >= 7
    assert all(len(t.encode()) <= 2048 for t in got)
    assert "".join(got) == ONE_LINE
    _whole(got)


def test_lines_stay_whole_and_a_single_token_too_long_is_still_cut() -> None:
    lines = "\n".join(f"{n} 空气净化器AP300 × 2 = ¥3,998.00" for n in NUMBERS[:300])
    pieces = split_for_limit(lines, 2048, lambda s: len(s.encode()))
    assert all(p.endswith("\n") for p in pieces[:-1]) and "".join(pieces) == lines
    huge = "X" * 5000                                        # no place to cut: cut where it must, nothing lost
    assert [len(p) for p in split_for_limit(huge, 2048, len)] == [2048, 2048, 904]
