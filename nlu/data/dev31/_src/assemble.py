#!/usr/bin/env python3
"""Assemble the hand-written batches in _src/*.txt into dev31.jsonl.
Each non-comment line: text ## slots ## lang ## kind. The file name gives the intent.
Slots shorthand: i=SKU*qty,... & r=SKU,... & u=a;b & o=ORDER & p=SKU (SKUs written without the LS- prefix;
empty value = null / empty list). Literal \\n in a text is a newline. Only assembles, shuffles (seed 31), checks."""
import json, os, random, collections, sys
HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.dirname(HERE)
INTENT = {'po': 'place_order', 'po2': 'place_order', 'rs': 'report_sales', 'qs': 'query_stock',
          'os': 'order_status', 'co': 'cancel_order', 'pq': 'price_query', 'ts': 'ticket_status',
          'as': 'after_sales', 'qf': 'quality_feedback', 'sq': 'sales_query', 'cq': 'contract_query',
          'cp': 'campaign_query', 'faq': 'faq', 'gr': 'greeting', 'hp': 'help', 'cn': 'cancel',
          'cc': 'chitchat_other'}
LANG = {'zh': 'zh', 'en': 'en', 'mx': 'mixed'}
PROD = {'query_stock', 'price_query', 'after_sales', 'quality_feedback', 'sales_query', 'ticket_status'}
ORDN = {'order_status', 'cancel_order', 'ticket_status'}
sku = lambda s: 'LS-' + s.strip()
rows = []
for fn in sorted(os.listdir(HERE)):
    if not fn.endswith('.txt'): continue
    intent = INTENT[fn[:-4]]
    for n, line in enumerate(open(os.path.join(HERE, fn), encoding='utf-8'), 1):
        line = line.rstrip('\n')
        if not line.strip() or line.startswith('#'): continue
        parts = line.split(' ## ')
        assert len(parts) == 4, (fn, n, line)
        text, sl, lang, kind = parts
        text = text.replace('\\n', '\n')
        slots = {}
        if intent in ('place_order', 'report_sales'): slots['items'] = []
        if intent in PROD: slots['product'] = None
        if intent in ORDN: slots['order_no'] = None
        if sl.strip() != '-':
            for part in sl.split(' & '):
                k, v = part.split('=', 1)
                v = v.strip()
                if k == 'i':
                    slots['items'] = [{'sku': sku(x.split('*')[0]), 'qty': int(x.split('*')[1])} for x in v.split(',') if x]
                elif k == 'r': slots['removed'] = [sku(x) for x in v.split(',') if x]
                elif k == 'u': slots['unknown'] = [x for x in v.split(';') if x]
                elif k == 'o': slots['order_no'] = v or None
                elif k == 'p': slots['product'] = sku(v) if v else None
                else: raise SystemExit(f'{fn}:{n} bad slot key {k}')
            for k in ('removed', 'unknown'):
                if k in slots and not slots[k]: del slots[k]
        for u in slots.get('unknown', []): assert u in text, (fn, n, u)
        rows.append({'text': text, 'intent': intent, 'slots': slots, 'lang': LANG[lang], 'kind': kind})
random.Random(31).shuffle(rows)
with open(os.path.join(OUT, 'dev31.jsonl'), 'w', encoding='utf-8') as f:
    for r in rows: f.write(json.dumps(r, ensure_ascii=False) + '\n')
N = len(rows)
def table(key):
    c = collections.Counter(r[key] for r in rows)
    return '\n'.join(f'| {k} | {v} | {100*v/N:.1f}% |' for k, v in c.most_common())
famlines = [r for r in rows if r['intent'] in ('place_order', 'report_sales')]
stats = (f'total: {N}\n\n### intent\n| intent | n | % |\n|---|---|---|\n{table("intent")}\n\n### lang\n| lang | n | % |\n|---|---|---|\n{table("lang")}\n\n'
         f'### kind\n| kind | n | % |\n|---|---|---|\n{table("kind")}\n')
open(os.path.join(HERE, 'stats.md'), 'w', encoding='utf-8').write(stats)
print(stats)
