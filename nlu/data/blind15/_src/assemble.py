#!/usr/bin/env python3
"""Assemble the hand-written batch lines (b*.txt) into blind15.jsonl.
Line format: intent|lang|kind|slots|text   (intents without slots: intent|lang|kind|text)
slots tokens separated by ';':  CODE*qty = item, -CODE = removed, ?str = unknown (as written),
#ORDERNO = order_no, @CODE / @ = product (null). CODE gets the prefix 'HT-'."""
import glob, json, os, random, re
NOSLOT = {'contract_query','campaign_query','faq','greeting','help','cancel','chitchat_other'}
PROD = {'query_stock','price_query','after_sales','quality_feedback','sales_query','ticket_status'}
ORDN = {'order_status','cancel_order','ticket_status'}
here = os.path.dirname(os.path.abspath(__file__))
out = []
for fn in sorted(glob.glob(os.path.join(here, 'b*.txt'))):
    for raw in open(fn, encoding='utf-8'):
        raw = raw.rstrip('\n')
        if not raw.strip(): continue
        intent = raw.split('|', 1)[0]
        if intent in NOSLOT:
            intent, lang, kind, text = raw.split('|', 3); spec = ''
        else:
            intent, lang, kind, spec, text = raw.split('|', 4)
        sl = {}
        items, removed, unknown = [], [], []
        for tok in [t for t in spec.split(';') if t]:
            if tok.startswith('#'): sl['order_no'] = tok[1:]
            elif tok.startswith('@'): sl['product'] = ('HT-' + tok[1:]) if tok[1:] else None
            elif tok.startswith('-'): removed.append('HT-' + tok[1:])
            elif tok.startswith('?'): unknown.append(tok[1:])
            else:
                c, q = tok.split('*'); items.append({'sku': 'HT-' + c, 'qty': int(q)})
        if intent in ('place_order', 'report_sales'):
            sl = dict(items=items, **({'removed': removed} if removed else {}),
                      **({'unknown': unknown} if unknown else {}),
                      **({'order_no': sl['order_no']} if 'order_no' in sl else {}))
        else:
            assert not items and not removed and not unknown, raw
            if intent in PROD: sl.setdefault('product', None)
            if intent in ORDN: sl.setdefault('order_no', None)
        text = text.replace('\\n', '\n')
        out.append({'text': text, 'intent': intent, 'slots': sl, 'lang': lang, 'kind': kind})
random.Random(15).shuffle(out)
with open(os.path.join(here, '..', 'blind15.jsonl'), 'w', encoding='utf-8') as f:
    for o in out: f.write(json.dumps(o, ensure_ascii=False) + '\n')
print(len(out), 'lines')
