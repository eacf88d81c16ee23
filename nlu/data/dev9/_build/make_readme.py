#!/usr/bin/env python3
"""Write ../README.md with counts computed from ../dev9.jsonl and ../catalogue.csv."""
import csv, json, os
from collections import Counter

D = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
rows = [json.loads(l) for l in open(os.path.join(D, "dev9.jsonl"), encoding="utf-8")]
cat = list(csv.DictReader(open(os.path.join(D, "catalogue.csv"), encoding="utf-8")))


def table(counter, head):
    out = ["| %s | count |" % head, "|---|---:|"]
    for k, v in sorted(counter.items(), key=lambda x: (-x[1], x[0])):
        out.append("| %s | %d |" % (k, v))
    return "\n".join(out)


fam = Counter(r["category"] for r in cat)
po = [r for r in rows if r["intent"] == "place_order"]
text = f"""# dev9 — kitchenware and small kitchen appliances (development set)

This is a development set: it may be trained on, tuned on and inspected freely. It is not a blind test set.

## Who wrote it and how

Written by an AI helper (a sub-session started by the project session), working blind:
it did not open the parser code, the other data sets, the README or the git history,
and ran no project code. Everything here was written from the task brief only
(intent names, slot rules, labelling rules, emphasis). Every message was written by
hand in `_build/src_*.txt`; `_build/build.py` turns those sources into `dev9.jsonl`,
`validate.py` checks the result against `catalogue.csv`, and `_build/make_readme.py`
computed the counts below. Only system `python3` was used.

Labels are the writer's reading of the rules; a few messages sit on purpose on a
boundary (e.g. `X换成Y` with and without a quantity, `5件套` that names both knife sets
and food-box sets, `上次89一台那个电水壶` where the price fits two colours).

## Catalogue (`catalogue.csv`)

{len(cat)} invented products of a maker of kitchenware and small kitchen appliances,
all active. Header: `sku,name,aliases,category,unit,list_price,pack_size,moq,active`,
aliases separated by `;`. Units: 口 (pots, woks), 个, 把, 套, 块 (boards), 台 (appliances), 盒.

Families share words on purpose, so generic words name several products and the
variant is told by a size / material / colour / capacity word:

- 炒锅 30/32/34 cm × 不粘 (NS) / 铸铁 (CI) / 不锈钢 (SS): `WK30-NS` … `WK34-SS`
- 煎锅/平底锅 24/28 不粘 `FP24-NS`, `FP28-NS`; 汤锅 20/22/24 不锈钢 + 24 铸铁珐琅 `SP24-CI`
- 奶锅 16 不粘, 18 不粘, 18 不锈钢; 蒸锅 28 两层, 28 三层, 32 三层; 玻璃锅盖 32/34
- 菜刀: 切片刀 `KN-SL`, 斩骨刀 `KN-CH`, 三德刀 `KN-SD`; 刀具套装 5件 `KS5` / 7件 `KS7`
- 砧板 大/中/小 × 竹 (BM) / 塑料 (PP)
- 保温杯 350/500 ml × 黑/白/粉 (`TB350-BK` … `TB500-PK`)
- 饭盒 单层 蓝, 双层 蓝, 双层 绿
- 电饭煲 3L/4L/5L; 电水壶 1.5L/1.7L × 白/黑; 破壁机 1.75L 加热 / 1.2L 静音;
  空气炸锅 4.5L / 6L / 8L 可视; 电压力锅 5L/6L; 电磁炉
- 锅铲/汤勺 硅胶/不锈钢, 漏勺; 保鲜盒 玻璃3件套 / 玻璃5件套 / 塑料5件套;
  厨房剪刀, 磨刀器, 调料瓶4件套, 合金筷子

Products per category:

{table(fam, "category")}

## Messages (`dev9.jsonl`)

{len(rows)} messages, one JSON object per line: `text`, `intent`, `slots`, `lang`, `kind`.
"Today" is Friday 2026-12-04 (Asia/Shanghai); every order / ticket number is dated before it.

### Per intent

{table(Counter(r["intent"] for r in rows), "intent")}

### Per lang

{table(Counter(r["lang"] for r in rows), "lang")}

### Per kind (all intents)

{table(Counter(r["kind"] for r in rows), "kind")}

### place_order by kind

{table(Counter(r["kind"] for r in po), "kind")}

place_order messages with `items: []`: {sum(1 for r in po if not r["slots"]["items"])};
with `removed`: {sum(1 for r in po if "removed" in r["slots"])};
with `unknown`: {sum(1 for r in rows if "unknown" in r["slots"])} (all intents).

## Slot conventions used

- place_order / report_sales: `items` always present (list of `{{"sku","qty"}}`, final
  quantity after in-message corrections, in the unit written); `removed` (place_order)
  and `unknown` only when non-empty.
- query_stock, price_query, after_sales, quality_feedback, ticket_status, sales_query:
  `product` always present (SKU when exactly one catalogue product is named, else null).
- order_status, cancel_order, ticket_status: `order_no` always present (null without a
  written number); other intents carry `order_no` only when one is written.
  Normalised to `SO-/AS-/QF-YYYYMMDD-NNNN`.
- Other intents: `{{}}`.

## Files

- `catalogue.csv`, `dev9.jsonl`, `README.md`
- `validate.py` — checks SKUs, quantities, allowed keys, order numbers, duplicates; prints counts
- `_build/src_*.txt` — hand-written sources (`lang|kind|text|slots`), `_build/build.py`,
  `_build/make_readme.py`

Rebuild: `python3 _build/build.py && python3 validate.py && python3 _build/make_readme.py`
"""
open(os.path.join(D, "README.md"), "w", encoding="utf-8").write(text)
print("README written")
