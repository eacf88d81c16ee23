#!/usr/bin/env python3
"""Validate dev8.jsonl against catalogue.csv and the slot rules; print counts."""
import csv, json, os, re, sys
from collections import Counter
HERE = os.path.dirname(os.path.abspath(__file__))
INTENTS = ["place_order", "query_stock", "order_status", "cancel_order", "price_query",
           "ticket_status", "after_sales", "quality_feedback", "report_sales", "sales_query",
           "contract_query", "campaign_query", "faq", "greeting", "help", "cancel", "chitchat_other"]
PRODUCT = {"query_stock", "price_query", "after_sales", "quality_feedback", "ticket_status", "sales_query"}
ORDER_REQ = {"order_status", "cancel_order", "ticket_status"}
ITEMS = {"place_order", "report_sales"}
TODAY = "20261204"
errs = []

cat = list(csv.DictReader(open(os.path.join(HERE, "catalogue.csv"), encoding="utf-8")))
header = open(os.path.join(HERE, "catalogue.csv"), encoding="utf-8").readline().strip()
if header != "sku,name,aliases,category,unit,list_price,pack_size,moq,active":
    errs.append("bad catalogue header")
skus = set()
for r in cat:
    if r["sku"] in skus: errs.append(f"dup sku {r['sku']}")
    skus.add(r["sku"])
    if r["active"] != "true": errs.append(f"{r['sku']} not active")
    if not re.fullmatch(r"\d+\.\d\d", r["list_price"]): errs.append(f"{r['sku']} price")
    if not r["pack_size"].isdigit() or not r["moq"].isdigit(): errs.append(f"{r['sku']} ints")

rows = [json.loads(l) for l in open(os.path.join(HERE, "dev8.jsonl"), encoding="utf-8")]
texts = Counter(r["text"] for r in rows)
for t, n in texts.items():
    if n > 1: errs.append(f"duplicate text {t!r}")
for i, r in enumerate(rows, 1):
    w = f"line {i} {r['text'][:30]!r}"
    if set(r) != {"text", "intent", "slots", "lang", "kind"}: errs.append(f"{w}: keys {set(r)}")
    it, s = r["intent"], r["slots"]
    if it not in INTENTS: errs.append(f"{w}: intent {it}")
    if r["lang"] not in ("zh", "en", "mixed"): errs.append(f"{w}: lang")
    if not r["kind"]: errs.append(f"{w}: kind")
    allowed = set()
    if it in ITEMS: allowed |= {"items", "unknown"}
    if it == "place_order": allowed.add("removed")
    if it in PRODUCT: allowed.add("product")
    allowed.add("order_no")  # any intent may carry a written number
    if not set(s) <= allowed: errs.append(f"{w}: slot keys {set(s)}")
    if it in ITEMS:
        if "items" not in s: errs.append(f"{w}: items missing")
        seen = set()
        for x in s.get("items", []):
            if set(x) != {"sku", "qty"}: errs.append(f"{w}: item keys")
            if x["sku"] not in skus: errs.append(f"{w}: unknown sku {x['sku']}")
            if not isinstance(x["qty"], int) or x["qty"] < 1: errs.append(f"{w}: qty")
            if x["sku"] in seen: errs.append(f"{w}: sku twice")
            seen.add(x["sku"])
        for x in s.get("removed", []):
            if x not in skus: errs.append(f"{w}: removed sku {x}")
        if "removed" in s and not s["removed"]: errs.append(f"{w}: empty removed")
        for x in s.get("unknown", []):
            if x in skus: errs.append(f"{w}: unknown is a catalogue sku {x}")
            if x not in r["text"]: errs.append(f"{w}: unknown not copied exactly {x}")
        if "unknown" in s and not s["unknown"]: errs.append(f"{w}: empty unknown")
    if it in PRODUCT:
        if "product" not in s: errs.append(f"{w}: product missing")
        elif s["product"] is not None and s["product"] not in skus: errs.append(f"{w}: product {s['product']}")
    if it in ORDER_REQ and "order_no" not in s: errs.append(f"{w}: order_no missing")
    if "order_no" in s:
        o = s["order_no"]
        if o is not None:
            m = re.fullmatch(r"(SO|AS|QF)-(\d{8})-(\d{4})", o)
            if not m: errs.append(f"{w}: order_no format {o}")
            elif m.group(2) >= TODAY: errs.append(f"{w}: order_no not before today {o}")
            elif it != "ticket_status" and m.group(1) != "SO" and it in ("order_status", "cancel_order"):
                errs.append(f"{w}: order prefix {o}")
        elif it not in ORDER_REQ:
            errs.append(f"{w}: null order_no on {it}")

def show(title, c):
    print(f"\n{title}")
    for k, v in sorted(c.items(), key=lambda kv: (-kv[1], kv[0])):
        print(f"  {k:18s} {v:4d}  {100*v/len(rows):5.1f}%")
print("rows", len(rows), "catalogue", len(cat))
show("intent", Counter(r["intent"] for r in rows))
show("lang", Counter(r["lang"] for r in rows))
show("kind", Counter(r["kind"] for r in rows))
po = [r for r in rows if r["intent"] == "place_order"]
print("\nplace_order kinds:", dict(Counter(r["kind"] for r in po).most_common()))
print("place_order lang:", dict(Counter(r["lang"] for r in po)))
print("place_order with empty items:", sum(1 for r in po if not r["slots"]["items"]))
print("place_order with >=3 items:", sum(1 for r in po if len(r["slots"]["items"]) >= 3))
print("\nerrors:", len(errs))
for e in errs: print("  ", e)
sys.exit(1 if errs else 0)
