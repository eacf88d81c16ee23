"""What one chat update costs: units of work opened, dialog writes, catalogue reads (kept small on purpose:
every update of every dealer pays them)."""

from __future__ import annotations

from datetime import datetime, timedelta

from core.clock import Clock
from core.dialogs import DialogState
from core.users import Role
from handlers.catalogue import CatalogueCache
from handlers.context import Deps
from handlers.messages import InboundKind
from nlu.classifier import default_classifier
from tests.chat import ChatWorld, texts
from tests.factories import at
from tests.fakes import FakeUnitOfWork


class MovingClock(Clock):
    def __init__(self, start: datetime) -> None:
        super().__init__()
        self.at = start

    def now(self) -> datetime:
        return self.at


class CountingFactory:
    """uow_factory that counts the units of work handed out."""

    def __init__(self, uow: FakeUnitOfWork) -> None:
        self.uow, self.opened = uow, 0

    def __call__(self) -> FakeUnitOfWork:
        self.opened += 1
        return self.uow


async def _world(catalogue_seconds: float = 0.0) -> tuple[ChatWorld, MovingClock, CountingFactory]:
    clock = MovingClock(at())
    world = ChatWorld(clock=clock)
    counting = CountingFactory(world.uow)
    deps: Deps = world.service.deps
    deps.uow_factory = counting
    deps.catalogue = CatalogueCache(catalogue_seconds)
    await world.catalogue()
    dealer = await world.dealer()
    await world.user("1001", Role.DEALER_OWNER, dealer)
    return world, clock, counting


async def _dialog(world: ChatWorld) -> DialogState:
    dialog = await world.uow.dialogs.get_by(channel="telegram", chat_id="1001")
    assert dialog is not None
    return dialog


async def test_a_stock_query_opens_two_units_of_work_and_leaves_the_idle_dialog_alone() -> None:
    default_classifier()      # trained before the catalogue's 15 s (real time) start: a slow first parse is no reload
    world, clock, counting = await _world(catalogue_seconds=15)
    assert "厂家库存" in texts(await world.say("1001", "AP300 有货吗"))   # first message: the dialog row is made
    assert (await _dialog(world)).updated_at == clock.at

    clock.at += timedelta(minutes=1)
    counting.opened = 0
    assert "厂家库存" in texts(await world.say("1001", "AP300 有货吗"))
    # receipt + dialog + identity + the dealer's aliases together; the availability; no catalogue, no dialog write
    assert counting.opened == 2
    assert (await _dialog(world)).updated_at == clock.at - timedelta(minutes=1)

    clock.at += timedelta(minutes=5)          # unchanged but old: touched (the last channel used is read from it)
    await world.say("1001", "AP300 有货吗")
    assert (await _dialog(world)).updated_at == clock.at


async def test_a_changed_dialog_is_written_at_once() -> None:
    world, clock, _ = await _world()
    await world.say("1001", "AP300 有货吗")
    clock.at += timedelta(seconds=20)
    await world.say("1001", "AP300 来两台")
    dialog = await _dialog(world)
    assert dialog.state.startswith("order") and dialog.updated_at == clock.at
    clock.at += timedelta(seconds=20)
    await world.say("1001", "/cancel")                   # the command cancels (typed 取消 asks first)
    dialog = await _dialog(world)
    assert dialog.state == "" and dialog.updated_at == clock.at


async def test_a_redelivered_update_is_answered_once() -> None:
    world, _, _ = await _world()
    inbound = world._inbound("1001", InboundKind.TEXT, text="AP300 有货吗")
    assert "厂家库存" in texts(await world.send(inbound))
    assert await world.send(inbound) == []


class Ticker:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


async def test_the_catalogue_cache_reads_once_per_period_and_sees_changes_after_it() -> None:
    world, _, counting = await _world()
    ticker = Ticker()
    cache = CatalogueCache(15, monotonic=ticker)
    first = await cache.entries(counting)
    assert [e.sku for e in first] == ["AP300", "DH20", "F300"]
    opened = counting.opened
    assert await cache.entries(counting) is first and counting.opened == opened
    assert cache.by_sku("DH20") is not None and cache.by_sku("NOPE") is None

    product = await world.uow.products.get_by(sku="DH20")
    assert product is not None
    product.active = False
    ticker.now += 14.9
    assert "DH20" in [e.sku for e in await cache.entries(counting)]      # still within the period
    ticker.now += 0.2
    assert "DH20" not in [e.sku for e in await cache.entries(counting)]  # period over: read again
    assert counting.opened == opened + 1
    ticker.now += 15
    assert cache.by_sku("AP300") is None                                 # expired: callers ask the database


async def test_without_a_period_every_call_reads_the_database() -> None:
    _, _, counting = await _world()
    cache = CatalogueCache(0)
    await cache.entries(counting)
    await cache.entries(counting)
    assert counting.opened == 2 and cache.by_sku("AP300") is None


def test_aiogram_response_models_the_bot_uses_are_pinned() -> None:
    """aiogram asks for Response[...] on every API answer; pydantic holds them weakly, so once a garbage collection
    takes one it is built again (schema, validator: milliseconds per answer; ~7 % of a busy bot's CPU in a
    profile). The channel keeps strong references to the ones the bot uses."""
    import aiogram.methods as methods
    from aiogram.methods import Response

    from bot.telegram.channel import _RESPONSE_MODELS

    for name in ["SendMessage", "SendPhoto", "SendDocument", "AnswerCallbackQuery", "EditMessageText",
                 "EditMessageReplyMarkup", "GetUpdates", "GetFile"]:
        model = Response[getattr(methods, name).__returning__]  # type: ignore[name-defined]
        assert any(model is pinned for pinned in _RESPONSE_MODELS), name
