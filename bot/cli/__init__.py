"""The ``dms`` command (typer). 中文优先，English in parentheses.

Every command reads ``Settings`` from the environment / ``.env`` (``DATABASE_URL`` picks SQLite or
PostgreSQL), builds the app through ``bot.bootstrap`` and closes it again. User errors (bad file,
unknown dealer, bad option) print a message in Chinese and English to stderr and exit with code 1
(2 for bad usage); they never print a traceback.

One module a command group; what they share (the app for one command, async bodies, errors as
messages) is ``bot.cli._runtime``, which imports none of them.
"""

from __future__ import annotations

import typer

from bot.cli import (
    access,
    backup,
    contracts,
    exports,
    migration,
    nlu,
    notify,
    payments,
    server,
    statements,
    telegram,
)

app = typer.Typer(
    name="dms",
    help="dms 经销商管理系统命令行 (dealer management system command line).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
migration.register(app)      # dms import products|dealers|... FILE
exports.register(app)        # dms export orders|sellout|dealers|templates
access.register(app)         # dms invite, dms user, dms apikey
telegram.register(app)       # dms telegram set-webhook|delete-webhook
nlu.register(app)            # dms nlu parse|eval, dms faq import
contracts.register(app)      # dms contract verify|settle-rebates
notify.register(app)         # dms worker, dms scheduler
backup.register(app)         # dms backup, dms restore, dms keys rotate|reindex
statements.register(app)     # dms statements issue --period 2026-11
payments.register(app)       # dms payments import|unmatched|assign|ignore
server.register(app)         # dms run, migrate, demo-data, keygen, chat


def main() -> None:  # pragma: no cover - console entry point for `python -m bot.cli`
    app()
