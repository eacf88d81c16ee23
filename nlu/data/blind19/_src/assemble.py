#!/usr/bin/env python3
"""Assemble the hand-written batch lines (intent|kind|lang|slots|text) into blind19.jsonl.
Only expands abbreviations, builds the slot dicts from the (sku, qty) pairs written next to each line,
shuffles with a fixed seed, and writes the README counts table."""
import json, glob, os, random, collections
here = os.path.dirname(os.path.abspath(__file__))
INT = {'po':'place_order','rs':'report_sales','qs':'query_stock','os':'order_status','co':'cancel_order',
       'pq':'price_query','as':'after_sales','qf':'quality_feedback','ts':'ticket_status','sq':'sales_query',
       'cq':'contract_query','cp':'campaign_query','faq':'faq','gr':'greeting','hp':'help','cx':'cancel',
       'ch':'chitchat_other'}
LANG = {'z':'zh','e':'en','m':'mixed'}
PROD = {'query_stock','price_query','after_sales','quality_feedback','sales_query','ticket_status'}
out = []
for fn in sorted(glob.glob(os.path.join(here, 'batch*.txt'))):
    for raw in open(fn, encoding='utf-8'):
        raw = raw.rstrip('\n')
        if not raw.strip() or raw.startswith('#'): continue
        ab, kind, lang, spec, text = raw.split('|', 4)
        text = text.replace('\\n', '\n')
        it = INT[ab]
        toks = [t for t in spec.split(';') if t]
        items, removed, unknown, order_no, product = [], [], [], None, None
        for t in toks:
            if t.startswith('#'): order_no = t[1:]
            elif t.startswith('?'): unknown.append(t[1:])
            elif t.startswith('-'): removed.append('JC-' + t[1:])
            elif '=' in t:
                s, q = t.split('='); items.append({'sku': 'JC-' + s, 'qty': int(q)})
            else: product = 'JC-' + t
        sl = {}
        if it in ('place_order', 'report_sales'):
            sl['items'] = items
            if removed: sl['removed'] = removed
            if unknown: sl['unknown'] = unknown
            if order_no: sl['order_no'] = order_no
        elif it in PROD:
            assert not items and not removed and not unknown, raw
            sl['product'] = product
            if it == 'ticket_status' or order_no: sl['order_no'] = order_no
        elif it in ('order_status', 'cancel_order'):
            assert product is None and not items, raw
            sl['order_no'] = order_no
        else:
            assert not toks, raw
        out.append({'text': text, 'intent': it, 'slots': sl, 'lang': LANG[lang], 'kind': kind})
random.Random(19).shuffle(out)
dst = os.path.join(here, '..', 'blind19.jsonl')
with open(dst, 'w', encoding='utf-8') as f:
    for o in out: f.write(json.dumps(o, ensure_ascii=False) + '\n')
def table(key):
    c = collections.Counter(o[key] for o in out)
    return '\n'.join(f'| {k} | {v} |' for k, v in c.most_common())
fam = sum(1 for o in out if o['intent'] in ('place_order','report_sales') and o['kind']=='family')
por = sum(1 for o in out if o['intent'] in ('place_order','report_sales'))
counts = (f'Total: {len(out)} messages. place_order+report_sales: {por}, of which kind=family: {fam}.\n\n'
          f'### intent\n| intent | n |\n|---|---|\n{table("intent")}\n\n### lang\n| lang | n |\n|---|---|\n{table("lang")}\n\n'
          f'### kind\n| kind | n |\n|---|---|\n{table("kind")}\n')
open(os.path.join(here, 'counts.md'), 'w', encoding='utf-8').write(counts)
print(counts)
