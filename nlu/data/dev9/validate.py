#!/usr/bin/env python3
"""Validate dev9.jsonl against catalogue.csv and the dev9 labelling rules.

Usage: python3 validate.py  (prints counts; exits non-zero on any problem)
"""
import csv, json, os, re, sys
from collections import Counter
from datetime import date

HERE = os.path.dirname(os.path.abspath(__file__))
TODAY = date(2026, 12, 4)

INTENTS = ["place_order", "query_stock", "order_status", "cancel_order", "price_query",
           "ticket_status", "after_sales", "quality_feedback", "report_sales", "sales_query",
           "contract_query", "campaign_query", "faq", "greeting", "help", "cancel",
           "chitchat_other"]
ITEM_INTENTS = {"place_order", "report_sales"}
PRODUCT_INTENTS = {"query_stock", "price_query", "after_sales", "quality_feedback",
                   "ticket_status", "sales_query"}
ORDER_INTENTS = {"order_status", "cancel_order", "ticket_status"}
HEADER = ["sku", "name", "aliases", "category", "unit", "list_price", "pack_size", "moq", "active"]
ORDER_RE = re.compile(r"^(SO|AS|QF)-(\d{8})-(\d{4})$")


def load_catalogue(errors):
    with open(os.path.join(HERE, "catalogue.csv"), encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    if rows[0] != HEADER:
        errors.append("catalogue header %r" % rows[0])
    skus = set()
    for r in rows[1:]:
        if len(r) != len(HEADER):
            errors.append("catalogue row width %r" % r)
            continue
        d = dict(zip(HEADER, r))
        if d["sku"] in skus:
            errors.append("duplicate sku %s" % d["sku"])
        skus.add(d["sku"])
        if d["active"] != "true":
            errors.append("inactive %s" % d["sku"])
        if not re.fullmatch(r"\d+\.\d\d", d["list_price"]):
            errors.append("price format %s" % d["sku"])
        if not d["pack_size"].isdigit() or not d["moq"].isdigit():
            errors.append("pack/moq %s" % d["sku"])
        if not d["aliases"] or "," in d["aliases"]:
            errors.append("aliases %s" % d["sku"])
    return skus


def allowed_keys(intent):
    keys = {"order_no"}
    if intent in ITEM_INTENTS:
        keys |= {"items", "unknown"}
    if intent == "place_order":
        keys.add("removed")
    if intent in PRODUCT_INTENTS:
        keys.add("product")
    return keys


def check_order_no(v, where, errors):
    m = ORDER_RE.match(v)
    if not m:
        errors.append("%s: bad order_no %r" % (where, v))
        return
    s = m.group(2)
    try:
        d = date(int(s[:4]), int(s[4:6]), int(s[6:]))
    except ValueError:
        errors.append("%s: bad date in %r" % (where, v))
        return
    if d >= TODAY:
        errors.append("%s: order_no not before today %r" % (where, v))


def main():
    errors = []
    skus = load_catalogue(errors)
    rows = []
    with open(os.path.join(HERE, "dev9.jsonl"), encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            rows.append((n, json.loads(line)))
    texts = Counter(r["text"] for _, r in rows)
    for t, c in texts.items():
        if c > 1:
            errors.append("duplicate text %r" % t)
    for n, r in rows:
        w = "line %d" % n
        if set(r) != {"text", "intent", "slots", "lang", "kind"}:
            errors.append("%s: keys %r" % (w, sorted(r)))
        it = r["intent"]
        if it not in INTENTS:
            errors.append("%s: intent %r" % (w, it))
        if r["lang"] not in ("zh", "en", "mixed"):
            errors.append("%s: lang %r" % (w, r["lang"]))
        if not r["text"].strip() or not r["kind"]:
            errors.append("%s: empty text/kind" % w)
        s = r["slots"]
        extra = set(s) - allowed_keys(it)
        if extra:
            errors.append("%s: keys not allowed for %s: %r" % (w, it, extra))
        if it in ITEM_INTENTS:
            if "items" not in s or not isinstance(s["items"], list):
                errors.append("%s: items missing" % w)
            for i in s.get("items", []):
                if set(i) != {"sku", "qty"}:
                    errors.append("%s: item keys %r" % (w, i))
                if i.get("sku") not in skus:
                    errors.append("%s: unknown sku %r" % (w, i.get("sku")))
                q = i.get("qty")
                if not isinstance(q, int) or isinstance(q, bool) or q < 1:
                    errors.append("%s: bad qty %r" % (w, q))
            its = [i["sku"] for i in s.get("items", [])]
            if len(its) != len(set(its)):
                errors.append("%s: repeated sku in items" % w)
            for k in ("removed", "unknown"):
                if k in s and (not isinstance(s[k], list) or not s[k]):
                    errors.append("%s: %s must be a non-empty list" % (w, k))
            for x in s.get("removed", []):
                if x not in skus:
                    errors.append("%s: removed not in catalogue %r" % (w, x))
                if x in its:
                    errors.append("%s: sku both removed and ordered %r" % (w, x))
            for x in s.get("unknown", []):
                if x in skus:
                    errors.append("%s: unknown is a catalogue sku %r" % (w, x))
                if x not in r["text"]:
                    errors.append("%s: unknown not copied from text %r" % (w, x))
        if it in PRODUCT_INTENTS:
            if "product" not in s:
                errors.append("%s: product missing" % w)
            elif s["product"] is not None and s["product"] not in skus:
                errors.append("%s: product not in catalogue %r" % (w, s["product"]))
        if it in ORDER_INTENTS and "order_no" not in s:
            errors.append("%s: order_no missing" % w)
        if "order_no" in s:
            if s["order_no"] is None:
                if it not in ORDER_INTENTS:
                    errors.append("%s: null order_no on %s" % (w, it))
            else:
                check_order_no(s["order_no"], w, errors)
    for e in errors:
        print("ERROR", e)
    print("rows", len(rows), "catalogue", len(skus))
    for name, key in (("intent", "intent"), ("lang", "lang")):
        c = Counter(r[key] for _, r in rows)
        print(name, dict(sorted(c.items(), key=lambda x: -x[1])))
    sys.exit(1 if errors else 0)


if __name__ == "__main__":
    main()
