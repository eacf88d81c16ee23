#!/usr/bin/env python3
"""Assemble the hand-written batches (_src/*.txt) into dev32.jsonl.
Line format: text ## slots ## lang(z/e/m) ## kind ; '@intent' header per file.
slots: '-' or fields separated by ';': i=CODE*qty,... | rm=CODE,... | unk=str|str | p=CODE or - | no=ORDER or -
CODE = SKU without the 'LSQ-' prefix. Literal \\n in text = newline."""
import json, os, random, glob, collections
HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.dirname(HERE)
LANG = {'z': 'zh', 'e': 'en', 'm': 'mixed'}
PRODUCT_INTENTS = {'query_stock', 'price_query', 'after_sales', 'quality_feedback', 'ticket_status', 'sales_query'}
ORDER_INTENTS = {'order_status', 'cancel_order', 'ticket_status'}
sku = lambda c: 'LSQ-' + c.strip()
rows = []
for fn in sorted(glob.glob(os.path.join(HERE, '*.txt'))):
    intent = None
    for raw in open(fn, encoding='utf-8'):
        raw = raw.rstrip('\n')
        if not raw.strip(): continue
        if raw.startswith('@'): intent = raw[1:].strip(); continue
        parts = [p.strip() for p in raw.split(' ## ')]
        assert len(parts) == 4, (fn, raw)
        text, sl, lang, kind = parts
        text = text.replace('\\n', '\n')
        slots = {}
        if intent in ('place_order', 'report_sales'): slots['items'] = []
        if intent in PRODUCT_INTENTS: slots['product'] = None
        if intent in ORDER_INTENTS: slots['order_no'] = None
        if sl != '-':
            for f in sl.split(';'):
                f = f.strip()
                if not f: continue
                k, v = f.split('=', 1); v = v.strip()
                if k == 'i':
                    slots['items'] = [{'sku': sku(x.split('*')[0]), 'qty': int(x.split('*')[1])} for x in v.split(',') if x.strip()]
                elif k == 'rm': slots['removed'] = [sku(x) for x in v.split(',')]
                elif k == 'unk': slots['unknown'] = v.split('|')
                elif k == 'p': slots['product'] = None if v == '-' else sku(v)
                elif k == 'no': slots['order_no'] = None if v == '-' else v
                else: raise ValueError(f)
        rows.append({'text': text, 'intent': intent, 'slots': slots, 'lang': LANG[lang], 'kind': kind})
random.Random(32).shuffle(rows)
with open(os.path.join(OUT, 'dev32.jsonl'), 'w', encoding='utf-8') as f:
    for r in rows: f.write(json.dumps(r, ensure_ascii=False) + '\n')
n = len(rows)
def table(key):
    c = collections.Counter(r[key] for r in rows)
    return '\n'.join(f'| {k} | {v} | {100*v/n:.1f}% |' for k, v in c.most_common())
po = [r for r in rows if r['intent'] in ('place_order', 'report_sales')]
stats = (f'Total: {n}\n\n### intent\n| intent | n | % |\n|---|---|---|\n{table("intent")}\n\n'
         f'### lang\n| lang | n | % |\n|---|---|---|\n{table("lang")}\n\n'
         f'### kind\n| kind | n | % |\n|---|---|---|\n{table("kind")}\n\n'
         f'place_order + report_sales lines: {len(po)}; with >=2 items: {sum(len(r["slots"]["items"])>=2 for r in po)}; '
         f'items empty: {sum(not r["slots"]["items"] for r in po)}; with unknown: {sum("unknown" in r["slots"] for r in po)}; '
         f'with removed: {sum("removed" in r["slots"] for r in po)}\n')
open(os.path.join(HERE, 'stats.md'), 'w', encoding='utf-8').write(stats)
print(stats)
