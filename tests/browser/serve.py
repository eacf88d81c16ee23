"""``dms run`` for the browser tests, on a database seeded first with one month of demo data (the full year that
``dms run`` loads on an empty database takes half a minute; one month has every kind of record all the same)."""

from __future__ import annotations

import asyncio

from bot.bootstrap import bootstrap, migrate
from bot.cli import app as cli
from bot.demo import seed_demo_data
from bot.settings import Settings


async def seed() -> None:
    application = bootstrap(Settings())
    try:
        await migrate(application.settings)
        await seed_demo_data(application.uow_factory, application.session_factory, application.clock, months=1,
                             files=application.files())
    finally:
        await application.aclose()


if __name__ == "__main__":
    asyncio.run(seed())
    cli(args=["run"])
