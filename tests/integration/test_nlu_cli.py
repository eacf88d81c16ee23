"""``dms nlu parse|eval`` and ``dms faq import`` against a migrated SQLite database with the demo data,
and the new repositories (knowledge base, staff questions, dealer aliases) through the real unit of work."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.cli import app
from core.aliases import DealerAlias
from core.faq import FaqEntry, QuestionStatus, StaffQuestion
from storage.uow import SqlAlchemyUnitOfWork
from tests.integration.conftest import TEST_KEYS


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> str:
    folder = tmp_path_factory.mktemp("nlu_cli")
    url = f"sqlite+aiosqlite:///{folder / 'dms.sqlite3'}"
    mp = pytest.MonkeyPatch()
    mp.setenv("DATABASE_URL", url)
    mp.setenv("DATA_ENCRYPTION_KEYS", TEST_KEYS[0])
    mp.chdir(folder)
    runner = CliRunner()
    for args in (["migrate"], ["demo-data"]):
        result = runner.invoke(app, args)
        assert result.exit_code == 0, result.output
    mp.undo()
    return url


@pytest.fixture
def runner(seeded: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> CliRunner:
    monkeypatch.setenv("DATABASE_URL", seeded)
    monkeypatch.setenv("DATA_ENCRYPTION_KEYS", TEST_KEYS[0])
    monkeypatch.chdir(tmp_path)
    return CliRunner()


def test_parse_prints_exactly_the_schema(runner: CliRunner) -> None:
    result = runner.invoke(app, ["nlu", "parse", "AP300来二十台 下周三到货", "--json", "--today", "2026-11-26"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert set(data) == {"intent", "confidence", "slots"}
    assert data["intent"] == "place_order" and 0 < data["confidence"] <= 1
    assert data["slots"]["items"] == [{"sku": "AP300", "qty": 20}] and data["slots"]["delivery_date"] == "2026-12-02"


def test_parse_reads_one_message_per_line_from_stdin(runner: CliRunner) -> None:
    lines = "SO-20261120-0003 到哪了\n客户家的除湿机不出水\nI'd like to order 20 units of AP300\n"
    result = runner.invoke(app, ["nlu", "parse", "--json", "-", "--today", "2026-11-26"], input=lines)
    assert result.exit_code == 0, result.output
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert [o["intent"] for o in out] == ["order_status", "after_sales", "place_order"]
    assert out[0]["slots"]["order_no"] == "SO-20261120-0003"


def test_parse_with_an_unknown_dealer_fails_politely(runner: CliRunner) -> None:
    result = runner.invoke(app, ["nlu", "parse", "AP300 5台", "--dealer", "NOPE"])
    assert result.exit_code == 1 and "未找到经销商" in result.output and "Traceback" not in result.output


def test_eval_prints_the_figures(runner: CliRunner) -> None:
    test_set = resources.files("nlu").joinpath("data", "test.jsonl")
    result = runner.invoke(app, ["nlu", "eval", str(test_set), "--today", "2026-11-26"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    accuracy = float(lines[0].split(":")[1].split("%")[0])
    assert accuracy >= 91.0
    assert lines[1].startswith("slot exact match items:") and "per intent (precision / recall / n):" in result.stdout
    assert "per kind (intent right / intent and slots right / n):" in result.stdout


def test_eval_with_its_own_catalogue_needs_no_database(runner: CliRunner, tmp_path: Path) -> None:
    products = tmp_path / "tools.csv"
    products.write_text("sku,name,aliases,category,unit,list_price\nGX-18V,锂电冲击钻 GX-18V,冲击钻;18V电钻,电动工具,台,399.00\n"
                        "BT-2AH,GX 电池包 2.0Ah,电池包,配件,个,129.00\n", encoding="utf-8")
    labelled = tmp_path / "mine.jsonl"
    labelled.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in (
        {"text": "冲击钻来十台 电池包20个", "intent": "place_order", "kind": "plain",
         "slots": {"items": [{"sku": "GX-18V", "qty": 10}, {"sku": "BT-2AH", "qty": 20}]}},
        {"text": "gx18v 有货吗", "intent": "query_stock", "kind": "plain", "slots": {"product": "GX-18V"}},
    )), encoding="utf-8")
    result = runner.invoke(app, ["nlu", "eval", str(labelled), "--catalogue", str(products), "--today", "2026-12-04"])
    assert result.exit_code == 0, result.output
    assert "intent accuracy: 100.0% (2/2)" in result.stdout
    assert "slot exact match items: 100.0% (1/1)" in result.stdout and "  plain " in result.stdout
    broken = tmp_path / "broken.csv"
    broken.write_text("sku,name\n,没有编码\n", encoding="utf-8")
    refused = runner.invoke(app, ["nlu", "eval", str(labelled), "--catalogue", str(broken)])
    assert refused.exit_code == 1 and "产品文件格式错误" in refused.output and "Traceback" not in refused.output


def test_eval_rejects_a_malformed_file_with_its_line(runner: CliRunner, tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": "你好", "intent": "greeting", "slots": {}}\n{"text": 3}\n', encoding="utf-8")
    result = runner.invoke(app, ["nlu", "eval", str(bad)])
    assert result.exit_code == 1 and "第 2 行" in result.output


def test_faq_import_markdown_then_again_changes_nothing(runner: CliRunner, tmp_path: Path) -> None:
    kb = tmp_path / "kb.md"
    kb.write_text("## 周六发货吗？\nQ-en: Do you ship on Saturdays?\nTags: 发货, 周末\nA: 周六正常发货。\nA-en: Yes.\n",
                  encoding="utf-8")
    first = runner.invoke(app, ["faq", "import", str(kb)])
    assert first.exit_code == 0 and "新增 1" in first.stdout, first.output
    again = runner.invoke(app, ["faq", "import", str(kb)])
    assert again.exit_code == 0 and "新增 0" in again.stdout and "未变 1" in again.stdout
    broken = tmp_path / "broken.md"
    broken.write_text("## 没有答案\nQ-en: none\n", encoding="utf-8")
    failed = runner.invoke(app, ["faq", "import", str(broken)])
    assert failed.exit_code == 1 and "line 1" in failed.output


async def test_repositories_round_trip(uow: SqlAlchemyUnitOfWork) -> None:
    from tests.factories import fixed_clock, make_dealer

    now = fixed_clock().now()
    async with uow:
        dealer = await uow.dealers.add(make_dealer())
        entry = await uow.faq_entries.add(FaqEntry(question_zh="保修几年", answer_zh="两年", tags=["保修"],
                                                   variants=["质保多久"], created_at=now, updated_at=now))
        await uow.flush()
        await uow.staff_questions.add(StaffQuestion(channel="telegram", chat_id="1", question="?", request_key="k",
                                                    asked_by="x", dealer_id=dealer.id, faq_entry_id=entry.id,
                                                    created_at=now))
        await uow.dealer_aliases.add(DealerAlias(dealer_id=dealer.id or 0, word="小白", sku="AP300", created_at=now))
        await uow.commit()
    async with uow:
        got = await uow.faq_entries.get_by(question_zh="保修几年")
        question = await uow.staff_questions.get_by(request_key="k")
        alias = await uow.dealer_aliases.get_by(word="小白")
    assert got is not None and got.tags == ["保修"] and got.variants == ["质保多久"] and got.active
    assert question is not None and question.status == QuestionStatus.OPEN and question.faq_entry_id == got.id
    assert alias is not None and alias.sku == "AP300" and alias.created_at == now
