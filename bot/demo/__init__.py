"""Demo data: a believable home-appliance maker and its dealers (see ``bot.demo.seed``).

``seed`` runs three phases (``reference``, ``trading``, ``operations``) over the demo world (``world``).
"""

from bot.demo.seed import DemoSummary, seed_demo_data
from bot.demo.world import CATALOGUE

__all__ = ["CATALOGUE", "DemoSummary", "seed_demo_data"]
