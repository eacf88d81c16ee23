"""``dms nlu parse|eval|mask`` and ``dms faq import``: the parser and the FAQ knowledge base from the command line.

They read the catalogue (and a dealer's alias library) from the configured database, so a catalogue
imported from another manufacturer is understood at once. ``--today`` fixes the reference date of
relative dates (default: today in the configured time zone).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from bot.cli._runtime import CLI_ACTOR, fail, parse_day, run_async, with_app

nlu_app = typer.Typer(help="意图解析：解析、评测 (intent parser: parse, evaluate).", no_args_is_help=True)
faq_app = typer.Typer(help="常见问题知识库 (FAQ knowledge base).", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.add_typer(nlu_app, name="nlu")
    app.add_typer(faq_app, name="faq")


def _result_json(result: Any) -> str:
    data = {"intent": result.intent.value, "confidence": result.confidence,
            "slots": result.slots.model_dump(mode="json")}
    return json.dumps(data, ensure_ascii=False)


async def _context(application: Any, dealer: str | None) -> tuple[list[Any], dict[str, str] | None]:
    from core.errors import NotFound
    from core.services.aliases import dealer_aliases
    from core.users import Actor
    from handlers.catalogue import catalogue_entries

    async with application.uow_factory() as uow:
        catalogue = await catalogue_entries(uow)
        aliases = None
        if dealer:
            found = await uow.dealers.get_by(code=dealer.strip().upper())
            if found is None or found.id is None:
                raise NotFound(zh=f"未找到经销商 {dealer}", en=f"dealer {dealer} not found", what=dealer)
            aliases = await dealer_aliases(uow, Actor.system(), found.id)
    return catalogue, aliases


def _parser(application: Any) -> Any:
    from nlu.llm import build_parser

    llm = application.settings.llm
    return build_parser(llm.nlu_policy, llm.llm_config())


@nlu_app.command("parse")
def parse(
    text: Annotated[str, typer.Argument(help="要解析的消息；- 表示从标准输入逐行读取 (the message; - reads one per line)")],
    as_json: Annotated[bool, typer.Option("--json", help="输出 JSON (print JSON)")] = False,
    today: Annotated[str | None, typer.Option("--today", help="参考日期 YYYY-MM-DD (reference date)")] = None,
    dealer: Annotated[str | None, typer.Option("--dealer", help="经销商编码，使用其别名库 (dealer code)")] = None,
) -> None:
    """解析消息：意图、置信度、槽位 (parse a message: intent, confidence, slots)."""

    day = parse_day(today, "--today")

    async def body(application: Any) -> None:
        catalogue, aliases = await _context(application, dealer)
        parser = _parser(application)
        reference = day or application.clock.today()
        messages = (line.rstrip("\n") for line in sys.stdin) if text == "-" else iter([text])
        for message in messages:
            result = await parser.parse(message, catalogue=catalogue, today=reference, dealer_aliases=aliases)
            if as_json:
                typer.echo(_result_json(result))
                continue
            slots = result.slots.model_dump(mode="json", exclude_defaults=True)
            typer.echo(f"意图 intent: {result.intent.value}  置信度 confidence: {result.confidence:.2f}")
            typer.echo(f"槽位 slots: {json.dumps(slots, ensure_ascii=False)}")

    run_async(with_app)(body)


@nlu_app.command("mask")
def mask() -> None:
    """重新生成分类器的训练文本 (mask the training messages again: nlu/data/masked_training.jsonl)."""
    from nlu.classifier import write_masked_training

    path, n = write_masked_training()
    typer.echo(f"已写入 {n} 条训练文本 (wrote {n} training messages): {path}")


@nlu_app.command("eval")
def evaluate(
    file: Annotated[Path, typer.Argument(help="JSONL：每行 {text, intent, slots} (labelled set)")],
    today: Annotated[str | None, typer.Option("--today", help="参考日期 YYYY-MM-DD (reference date)")] = None,
    show_mistakes: Annotated[bool, typer.Option("--mistakes", help="列出错误 (list the mistakes)")] = False,
    catalogue_file: Annotated[Path | None, typer.Option(
        "--catalogue", help="产品 CSV（导入格式），不读数据库 (products CSV in the import format; no database)")] = None,
) -> None:
    """评测：意图准确率、槽位完全匹配、各意图/各类别、混淆 (accuracy, slot match, per intent and kind, confusions)."""
    from nlu.evaluation import MalformedSet, read_catalogue_csv, read_set
    from nlu.evaluation import evaluate as run_eval

    day = parse_day(today, "--today")
    try:
        rows = read_set(file.read_text("utf-8").splitlines())
    except OSError as exc:
        raise fail(f"无法读取 {file}：{exc}", f"cannot read {file}: {exc}") from None
    except MalformedSet as exc:
        raise fail(f"文件格式错误，第 {exc.line} 行：{exc}", f"malformed file, {exc}") from None

    def show(report: Any) -> None:
        for line in report.lines():
            typer.echo(line)
        if show_mistakes:
            for line in report.mistakes:
                typer.echo(f"  ✗ {line}")

    if catalogue_file is not None:
        from nlu.offline import OfflineParser

        try:
            products = read_catalogue_csv(catalogue_file.read_text("utf-8"))
        except OSError as exc:
            raise fail(f"无法读取 {catalogue_file}：{exc}", f"cannot read {catalogue_file}: {exc}") from None
        except MalformedSet as exc:
            raise fail(f"产品文件格式错误，第 {exc.line} 行：{exc}", f"malformed catalogue, {exc}") from None
        import asyncio
        from datetime import date as _date

        show(asyncio.run(run_eval(OfflineParser(), rows, products, day or _date.today())))
        return

    async def body(application: Any) -> None:
        catalogue, _ = await _context(application, None)
        show(await run_eval(_parser(application), rows, catalogue, day or application.clock.today()))

    run_async(with_app)(body)


@faq_app.command("import")
def import_faq(file: Annotated[Path, typer.Argument(help="Markdown (.md) 或 CSV (.csv)")]) -> None:
    """导入常见问题知识库 (import FAQ entries from Markdown or CSV; the same question updates its entry)."""
    from core.services.faq import ImportFaqEntries, import_faq_entries
    from nlu.kb_import import parse_file

    try:
        entries = parse_file(file)
    except OSError as exc:
        raise fail(f"无法读取 {file}：{exc}", f"cannot read {file}: {exc}") from None
    except ValueError as exc:
        raise fail(f"文件格式错误：{exc}", f"malformed file: {exc}") from None

    async def body(application: Any) -> Any:
        return await import_faq_entries(application.uow_factory(), CLI_ACTOR,
                                        ImportFaqEntries(entries, source=f"import:{file.name}"), application.clock)

    summary = run_async(with_app)(body)
    typer.echo(f"已导入 {len(entries)} 条：新增 {len(summary.created)}，更新 {len(summary.updated)}，"
               f"未变 {len(summary.unchanged)} (imported {len(entries)}: {len(summary.created)} new, "
               f"{len(summary.updated)} updated, {len(summary.unchanged)} unchanged)")
