#!/usr/bin/env python3
"""Assemble dev9.jsonl from the hand-written sources in this folder.

Source format (files src_*.txt, read in name order):
  @intent                      starts a section
  lang|kind|text|slots         one message; text may use \\n for a newline
slots tokens (space separated):
  SKU*qty   item        -SKU   removed        ?CODE  unknown
  p=SKU / p=null  product        o=NO / o=null  order_no
"""
import json, os, sys

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(os.path.dirname(HERE), "dev9.jsonl")

ITEM_INTENTS = {"place_order", "report_sales"}
PRODUCT_INTENTS = {"query_stock", "price_query", "after_sales", "quality_feedback",
                   "ticket_status", "sales_query"}
ORDER_INTENTS = {"order_status", "cancel_order", "ticket_status"}


def parse_slots(intent, spec):
    items, removed, unknown = [], [], []
    slots = {}
    for tok in spec.split():
        if tok.startswith("p="):
            v = tok[2:]
            slots["product"] = None if v == "null" else v
        elif tok.startswith("o="):
            v = tok[2:]
            slots["order_no"] = None if v == "null" else v
        elif tok.startswith("-"):
            removed.append(tok[1:])
        elif tok.startswith("?"):
            unknown.append(tok[1:])
        elif "*" in tok:
            sku, q = tok.rsplit("*", 1)
            items.append({"sku": sku, "qty": int(q)})
        else:
            raise ValueError("bad token %r" % tok)
    out = {}
    if intent in ITEM_INTENTS:
        out["items"] = items
        if removed:
            out["removed"] = removed
        if unknown:
            out["unknown"] = unknown
    elif items or removed or unknown:
        raise ValueError("items on %s" % intent)
    if intent in PRODUCT_INTENTS:
        if "product" not in slots:
            raise ValueError("product missing")
        out["product"] = slots["product"]
    elif "product" in slots:
        raise ValueError("product on %s" % intent)
    if intent in ORDER_INTENTS:
        if "order_no" not in slots:
            raise ValueError("order_no missing")
        out["order_no"] = slots["order_no"]
    elif "order_no" in slots:
        if slots["order_no"] is None:
            raise ValueError("null order_no on %s" % intent)
        out["order_no"] = slots["order_no"]
    return out


def main():
    rows = []
    for fn in sorted(os.listdir(HERE)):
        if not (fn.startswith("src_") and fn.endswith(".txt")):
            continue
        intent = None
        with open(os.path.join(HERE, fn), encoding="utf-8") as f:
            for n, line in enumerate(f, 1):
                line = line.rstrip("\n")
                if not line.strip() or line.startswith("#"):
                    continue
                if line.startswith("@"):
                    intent = line[1:].strip()
                    continue
                try:
                    lang, kind, rest = line.split("|", 2)
                    text, spec = rest.rsplit("|", 1)
                    text = text.replace("\\n", "\n")
                    slots = parse_slots(intent, spec)
                except Exception as e:
                    sys.exit("%s:%d: %s: %s" % (fn, n, e, line))
                rows.append({"text": text, "intent": intent, "slots": slots,
                             "lang": lang, "kind": kind})
    with open(OUT, "w", encoding="utf-8") as f:
        for r in rows:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    print("wrote %d rows to %s" % (len(rows), OUT))


if __name__ == "__main__":
    main()
