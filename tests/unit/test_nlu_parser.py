"""The offline parser: numerals, quantities, dates, product matching, corrections, the held-out score."""

from __future__ import annotations

import time
from datetime import date
from importlib import resources

import pytest

from bot.demo import CATALOGUE as DEMO
from nlu.datasets import read_examples
from nlu.dates import parse_date
from nlu.evaluation import MalformedSet, evaluate, read_catalogue_csv, read_set
from nlu.normalize import normalize
from nlu.numbers import QUANTITY, parse_int, parse_quantity
from nlu.offline import OfflineParser
from nlu.products import product_index
from nlu.schema import CatalogueEntry, Intent

TODAY = date(2026, 11, 26)   # a Thursday
BLIND_INTENT_FLOOR = 0.94    # measured 95.0-95.3% (bench/parser.py, 2026-12-04)
BLIND_ITEMS_FLOOR = 0.92     # measured 93.8%
CATALOGUE = [CatalogueEntry(sku=p.sku, name=p.name, aliases=list(p.aliases), unit=p.unit) for p in DEMO]
PARSER = OfflineParser()


def parse(text: str, catalogue: list[CatalogueEntry] | None = None):  # type: ignore[no-untyped-def]
    return PARSER.parse_sync(text, catalogue=catalogue or CATALOGUE, today=TODAY)


def items(text: str, catalogue: list[CatalogueEntry] | None = None) -> list[tuple[str, int]]:
    return [(i.sku, i.qty) for i in parse(text, catalogue).slots.items]


@pytest.mark.parametrize(("text", "value"), [
    ("20", 20), ("二十", 20), ("两", 2), ("一百零五", 105), ("十五", 15), ("三千", 3000), ("一万二千", 12000),
    ("俩", 2), ("仨", 3), ("ten", 10), ("twenty", 20), ("", None), ("abc", None),
])
def test_integers(text: str, value: int | None) -> None:
    assert parse_int(text) == value


@pytest.mark.parametrize(("text", "value"), [
    ("一二零", 120), ("二二六", 226), ("幺二", 12), ("二四", 24), ("一零", 10),     # read out digit by digit
    ("三四", 4), ("七八", 8), ("一两", 2),          # two neighbouring digits: a rough amount, the larger kept
])
def test_numbers_read_out_digit_by_digit(text: str, value: int) -> None:
    assert parse_int(text) == value


def test_a_count_read_out_digit_by_digit_in_an_order() -> None:
    assert items("AP300 一二零台") == [("AP300", 120)]


@pytest.mark.parametrize(("text", "value", "unit"), [
    ("二十台", 20, "台"), ("两箱", 2, "箱"), ("一百件", 100, "件"), ("3pcs", 3, "pcs"), ("5 boxes", 5, "boxes"),
    ("2k", 2000, ""), ("1.5k", None, ""), ("2.5台", None, "台"), ("一点五台", None, "台"),
])
def test_quantities(text: str, value: int | None, unit: str) -> None:
    m = QUANTITY.search(normalize(text))
    assert m is not None
    q = parse_quantity(m)
    assert (q.value, q.unit) == (value, unit)


@pytest.mark.parametrize(("text", "expected"), [
    ("下个月5号", date(2026, 12, 5)), ("月底前", date(2026, 11, 30)), ("next Friday", date(2026, 12, 4)),
    ("this Saturday", date(2026, 11, 28)), ("Dec 5", date(2026, 12, 5)), ("5th December", date(2026, 12, 5)),
    ("in 3 days", date(2026, 11, 29)), ("next monday到", date(2026, 11, 30)),
])
def test_more_dates(text: str, expected: date) -> None:
    assert parse_date(normalize(text), TODAY) == expected


@pytest.mark.parametrize(("text", "sku"), [
    ("AP300", "AP300"), ("ap 300", "AP300"), ("AP-300", "AP300"), ("ＡＰ３００", "AP300"), ("净化器300", "AP300"),
    ("AP30O", "AP300"), ("净化气300", "AP300"), ("DH-2O", "DH20"), ("WP6OO", "WP600"),
    ("AP300滤网", "FL-AP300"), ("AP300的滤网", "FL-AP300"), ("WP400的滤芯", "FL-WP400"), ("除湿机DH12", "DH12"),
    ("空气净化器AP300", "AP300"), ("甲醛机", "AP800"), ("mini净水器", "WP-MINI"), ("fl-ap500", "FL-AP500"),
])
def test_products_are_found_by_code_alias_name_and_near_misses(text: str, sku: str) -> None:
    found = product_index(CATALOGUE).find(normalize(text))
    assert [m.sku for m in found] == [sku]


@pytest.mark.parametrize("text", ["XP300", "AP600", "滤网", "净化器", "AP3000", "WP60"])
def test_other_series_and_generic_words_are_not_guessed(text: str) -> None:
    assert all(m.sku is None for m in product_index(CATALOGUE).find(normalize(text)))


@pytest.mark.parametrize(("text", "expected"), [
    ("AP300来二十台 下周三到货", [("AP300", 20)]),
    ("二十台AP300", [("AP300", 20)]),
    ("AP300x20", [("AP300", 20)]),
    ("AP300二十台AP500十台DH20五台", [("AP300", 20), ("AP500", 10), ("DH20", 5)]),
    ("AP300和AP500各10台", [("AP300", 10), ("AP500", 10)]),
    ("DH12、DH20各五台", [("DH12", 5), ("DH20", 5)]),
    ("不要AP300了，改成5台AP500", [("AP500", 5)]),
    ("AP300 20台 改成30台", [("AP300", 30)]),
    ("AP300二十台，不对，二十五台", [("AP300", 25)]),
    ("AP800 3台，不要了，改成AP500 3台", [("AP500", 3)]),
    ("AP300 20台 AP500 不要了", [("AP300", 20)]),
    ("DH20 10台，DH20再加5台", [("DH20", 15)]),
    ("make it 25 AP300 instead of 20", [("AP300", 25)]),
    ("order 12 wp400 and 4 boxes of FL-WP400", [("WP400", 12), ("FL-WP400", 4)]),
    ("Please send us ten AP300", [("AP300", 10)]),
    ("AP300 5台 12月3号到", [("AP300", 5)]),        # the date's digits are no quantity
    ("order 1.5k AP300", []), ("AP300 2.5台", []), ("滤网两箱", []),
])
def test_order_lines_with_corrections_and_negations(text: str, expected: list[tuple[str, int]]) -> None:
    assert items(text) == expected


def test_negations_corrections_and_rejections_are_reported() -> None:
    result = parse("滤网两箱，净化器的不要了")
    assert result.slots.items == [] and result.slots.unknown_words == ["滤网"]
    assert result.slots.removed == ["AP300", "AP500", "AP800"]
    assert parse("AP300 2.5台").slots.rejected_quantities == ["2.5台"]
    assert parse("不要AP300了，改成5台AP500").slots.removed == ["AP300"]


def test_another_manufacturers_catalogue_just_works() -> None:
    tools = [CatalogueEntry(sku="GX-18V", name="锂电冲击钻 GX-18V", aliases=["18V电钻", "冲击钻"], unit="台"),
             CatalogueEntry(sku="BT-2AH", name="GX 电池包 2.0Ah", aliases=["电池包"], unit="个")]
    result = parse("冲击钻来十台，电池包20个，下周一到", tools)
    assert result.intent == Intent.PLACE_ORDER
    assert [(i.sku, i.qty) for i in result.slots.items] == [("GX-18V", 10), ("BT-2AH", 20)]
    assert result.slots.delivery_date == date(2026, 11, 30)
    assert parse("gx18v 有货吗", tools).slots.product == "GX-18V"
    assert items("冲击钻来十台") == []                     # not in the demo catalogue: nothing invented


@pytest.mark.parametrize(("text", "intent"), [
    ("AP300来二十台 下周三到货", Intent.PLACE_ORDER), ("上次那单到哪了", Intent.ORDER_STATUS),
    ("客户家的除湿机不出水", Intent.AFTER_SALES), ("AP300有货吗", Intent.QUERY_STOCK),
    ("取消", Intent.CANCEL), ("你好", Intent.GREETING), ("把SO-20261125-0004取消掉", Intent.CANCEL_ORDER),
    ("售后工单AS-20261120-0002怎么样了", Intent.TICKET_STATUS), ("", Intent.CHITCHAT_OTHER),
])
def test_intents_of_typical_messages(text: str, intent: Intent) -> None:
    assert parse(text).intent == intent


def test_order_numbers_are_normalized() -> None:
    assert parse("so202611200003什么状态").slots.order_no == "SO-20261120-0003"


def _split(name: str) -> list:  # type: ignore[type-arg]
    return read_set(resources.files("nlu").joinpath("data", f"{name}.jsonl").read_text("utf-8").splitlines())


def test_the_labelled_set_is_big_varied_and_honestly_split() -> None:
    train, test = _split("train"), _split("test")
    assert len(train) + len(test) >= 400
    assert not {r.text for r in train} & {r.text for r in test}          # no utterance in both
    assert {r.intent for r in test} == set(Intent)
    skus = {p.sku for p in DEMO}
    assert all(i["sku"] in skus for r in train + test for i in r.slots.get("items", []))


async def test_held_out_accuracy_and_slot_match() -> None:
    report = await evaluate(PARSER, _split("test"), CATALOGUE, TODAY)
    # measured 91.9% / 92.0% (bench/parser.py); a change that loses more than a point here fails
    assert report.accuracy >= 0.91, report.lines()
    assert report.slot_accuracy("items") >= 0.90, report.mistakes
    assert report.slot_accuracy("order_no") >= 0.95


@pytest.mark.parametrize(("folder", "intent_floor", "items_floor"), [
    ("blind", BLIND_INTENT_FLOOR, BLIND_ITEMS_FLOOR),
    ("blind2", 0.955, 0.89),         # 96.8% / 86.1% when it arrived; 96.9% / 90.4% after the English glossary (never read)
    ("blind3", 0.89, 0.67),          # 90.7% / 68.8% at arrival (2026-12-04, session 4): power tools, never read
    ("blind4b", 0.93, 0.77),         # 95.3% / 76.5% at arrival (session 9): e-bikes, 300 messages; 78.3% items session 12
    ("blind5", 0.935, 0.92),         # 95.0% / 92.3% at arrival (session 10): lighting and electrical, 544 messages; 93.9%
    ("blind6", 0.925, 0.83),         # 93.7% / 84.4% at arrival (end of session 10): agricultural inputs, 601 messages
    ("blind7", 0.925, 0.93),         # 93.6% / 95.2% at arrival (session 11): cosmetics and personal care, 610 messages
    ("blind8", 0.92, 0.85),          # 93.2% / 86.5% at arrival (session 11): sporting goods and fitness, 600 messages
    ("blind9", 0.955, 0.74),         # 97.0% / 75.5% at arrival (session 12): workwear and safety, 638 messages
    ("blind10", 0.955, 0.74),        # 96.7% / 75.4% at arrival (session 12): garden and irrigation, 633 messages
])
async def test_blind_set_accuracy_holds(folder: str, intent_floor: float, items_floor: float) -> None:
    """The blind sets (nlu/data/blind*/: written by someone who never saw the parser, each with its own catalogue)
    are never trained on; these floors keep what they measure from sliding back."""
    blind = resources.files("nlu").joinpath("data", folder)
    rows = read_set(blind.joinpath(f"{folder}.jsonl").read_text("utf-8").splitlines())
    catalogue = read_catalogue_csv(blind.joinpath("catalogue.csv").read_text("utf-8"))
    report = await evaluate(PARSER, rows, catalogue, date(2026, 12, 4))
    assert len(rows) >= {"blind4b": 300, "blind5": 500}.get(folder, 600) and report.accuracy >= intent_floor, \
        report.lines()
    assert report.slot_accuracy("items") >= items_floor, report.lines()


def test_the_stored_training_masks_are_those_of_the_data_in_the_tree() -> None:
    """nlu/data/masked_training.jsonl (``dms nlu mask``) holds the training messages masked once; a set added or
    changed without writing it again would train on stale data (or mask at every start-up): this fails then."""
    from nlu import classifier

    stored = classifier._stored_masks()
    assert stored is not None, "the training data changed: run `dms nlu mask` and commit nlu/data/masked_training.jsonl"
    texts, intents = stored
    assert len(texts) == len(intents) == len(classifier.masked_training()[0])


def test_stale_training_masks_are_not_used(monkeypatch: pytest.MonkeyPatch) -> None:
    from nlu import classifier

    fresh = (["masked now"], [Intent.GREETING])
    assert classifier.training_texts() != fresh
    monkeypatch.setattr(classifier, "data_fingerprint", lambda: "another")
    monkeypatch.setattr(classifier, "masked_training", lambda: fresh)     # masking itself: the test below
    assert classifier._stored_masks() is None
    assert classifier.training_texts() == fresh                             # masked now instead


def test_the_blind_set_and_the_held_out_split_are_never_trained_on() -> None:
    from nlu.classifier import training_texts
    from nlu.datasets import blind_files, held_out_texts, training_files
    from nlu.datasets import text_key as _key

    data = resources.files("nlu").joinpath("data")
    files = training_files()
    assert [str(f) for f, _ in files if "/blind" in str(f) or f.name == "test.jsonl"] == []
    assert len(files) >= 3                                   # the training split and the development sets
    texts, _ = training_texts()
    held_keys = held_out_texts()
    every = [e.text for f, _ in files for e in read_examples(f.read_text("utf-8").splitlines())]
    kept = {t for t in every if _key(t) not in held_keys}
    assert len(texts) == sum(1 for t in every if _key(t) not in held_keys) < len(every)
    assert len(blind_files()) >= 1
    for held in (*blind_files(), data.joinpath("test.jsonl")):
        # the same short message written by two writers ("在吗") is left out of training
        assert not {r.text for r in read_set(held.read_text("utf-8").splitlines())} & kept


def test_latency_per_message() -> None:
    texts = [r.text for r in _split("test")]
    parse(texts[0])
    timings = []
    for text in texts * 2:
        started = time.perf_counter()
        parse(text)
        timings.append(time.perf_counter() - started)
    timings.sort()
    # the target is 5 ms (bench/parser.py measures it); leave room for a busy CI machine
    assert timings[int(0.95 * (len(timings) - 1))] < 0.025


def test_malformed_sets_name_the_line() -> None:
    with pytest.raises(MalformedSet, match="line 2"):
        read_set(['{"text": "你好", "intent": "greeting", "slots": {}}', "{not json"])
    with pytest.raises(MalformedSet, match="line 1: unknown intent"):
        read_set(['{"text": "x", "intent": "order_pizza"}'])
    with pytest.raises(MalformedSet, match="items"):
        read_set(['{"text": "x", "intent": "place_order", "slots": {"items": [{"sku": "A", "qty": "2"}]}}'])


@pytest.mark.parametrize("text", ["要这些\n1 AP300 5台\n2 DH20 3台", "1、AP300 5台\n2、DH20 3台", "1) AP300 x5\n2) DH20 x3"])
def test_the_numbers_of_a_lists_lines_are_no_counts(text: str) -> None:
    assert sorted(items(text)) == [("AP300", 5), ("DH20", 3)]


def test_a_line_that_starts_with_its_count_is_still_counted() -> None:
    assert sorted(items("5 AP300\n3 DH20")) == [("AP300", 5), ("DH20", 3)]


@pytest.mark.parametrize(("text", "intent"), [
    ("想开个维修单", Intent.AFTER_SALES),
    ("帮客户申请售后", Intent.AFTER_SALES),
    ("please open a repair ticket for my customer", Intent.AFTER_SALES),
    ("I want to report a quality issue", Intent.QUALITY_FEEDBACK),
    ("我的工单处理得怎么样了", Intent.TICKET_STATUS),
])
def test_asking_for_a_new_ticket_is_not_asking_about_one(text: str, intent: Intent) -> None:
    assert parse(text).intent == intent


@pytest.mark.parametrize(("text", "value"), [
    ("fifteen hundred", 1500), ("two hundred", 200), ("a hundred and fifty", 150), ("one hundred", 100),
])
def test_english_hundreds_as_said_aloud(text: str, value: int) -> None:
    assert parse_int(text) == value


def test_english_hundreds_in_an_order() -> None:
    assert sorted(items("one hundred AP300 and two hundred DH20")) == [("AP300", 100), ("DH20", 200)]


@pytest.mark.parametrize("text", ["帮我上报一下这周销量", "登记一下本周的sell-out数据"])
def test_a_message_that_begins_by_reporting_sales_is_a_report(text: str) -> None:
    assert parse(text).intent == Intent.REPORT_SALES


def test_asking_for_the_sales_figures_stays_a_question() -> None:
    assert parse("这个月我卖了多少台").intent == Intent.SALES_QUERY
