#!/usr/bin/env python3
"""Assemble dev8.jsonl from the hand-written sources in this folder.
Source line format:  INTENT|lang|kind|slots|text
  INTENT  abbreviation (see ABBR); lang z/e/m; text may contain literal \\n for a newline.
  slots   space separated tokens: SKU*qty (item), -SKU (removed), ?CODE (unknown),
          p=SKU|null (product), o=ORDER|null (order_no), _ (nothing).
"""
import json, os
HERE = os.path.dirname(os.path.abspath(__file__))
ABBR = {"PO": "place_order", "QS": "query_stock", "OS": "order_status", "CO": "cancel_order",
        "PQ": "price_query", "TS": "ticket_status", "AS": "after_sales", "QF": "quality_feedback",
        "RS": "report_sales", "SQ": "sales_query", "CQ": "contract_query", "CA": "campaign_query",
        "FAQ": "faq", "GR": "greeting", "HE": "help", "CN": "cancel", "CH": "chitchat_other"}
LANG = {"z": "zh", "e": "en", "m": "mixed"}
ITEM_INTENTS = {"place_order", "report_sales"}
SOURCES = ["po_zh.txt", "po_en_mixed.txt", "other.txt"]

def parse(line, where):
    ab, lg, kind, slots, text = line.split("|", 4)
    intent = ABBR[ab]
    out = {}
    items, removed, unknown = [], [], []
    for tok in slots.split():
        if tok == "_":
            continue
        if tok.startswith("p="):
            v = tok[2:]; out["product"] = None if v == "null" else v
        elif tok.startswith("o="):
            v = tok[2:]; out["order_no"] = None if v == "null" else v
        elif tok.startswith("-"):
            removed.append(tok[1:])
        elif tok.startswith("?"):
            unknown.append(tok[1:])
        elif "*" in tok:
            sku, q = tok.rsplit("*", 1)
            items.append({"sku": sku, "qty": int(q)})
        else:
            raise ValueError(f"{where}: bad token {tok!r}")
    slot = {}
    if intent in ITEM_INTENTS:
        slot["items"] = items
        if removed: slot["removed"] = removed
        if unknown: slot["unknown"] = unknown
    elif items or removed or unknown:
        raise ValueError(f"{where}: items on {intent}")
    if "product" in out: slot["product"] = out["product"]
    if "order_no" in out: slot["order_no"] = out["order_no"]
    return {"text": text.replace("\\n", "\n"), "intent": intent, "slots": slot,
            "lang": LANG[lg], "kind": kind}

rows = []
for fn in SOURCES:
    for i, line in enumerate(open(os.path.join(HERE, fn), encoding="utf-8"), 1):
        line = line.rstrip("\n")
        if not line.strip() or line.startswith("#"):
            continue
        rows.append(parse(line, f"{fn}:{i}"))
with open(os.path.join(HERE, "..", "dev8.jsonl"), "w", encoding="utf-8") as f:
    for r in rows:
        f.write(json.dumps(r, ensure_ascii=False) + "\n")
print(len(rows), "rows written")
