#!/usr/bin/env python3
"""Assemble hand-written batch lines (batch_*.txt) into ../blind20.jsonl.
Line format: INTENT|KIND|SLOTS|TEXT ; '@zh' / '@en' / '@mixed' switches the language of following lines;
KIND may carry a per-line language override as kind@en / kind@mixed / kind@zh.
SLOTS tokens (space separated): SKU*qty (LJ- prefix added), -SKU removed, ?unknown (~ = space),
#ORDERNO order_no, p=SKU product. Literal \\n in TEXT becomes a newline."""
import glob, json, os, random, collections
I = dict(po='place_order', qs='query_stock', os='order_status', co='cancel_order', pq='price_query',
         ts='ticket_status', as_='after_sales', qf='quality_feedback', rs='report_sales', sq='sales_query',
         cq='contract_query', cp='campaign_query', faq='faq', gr='greeting', hp='help', cx='cancel', ch='chitchat_other')
I['as'] = I.pop('as_')
out = []
here = os.path.dirname(os.path.abspath(__file__))
for fn in sorted(glob.glob(os.path.join(here, 'batch_*.txt'))):
    lang = 'zh'
    for raw in open(fn, encoding='utf-8'):
        raw = raw.rstrip('\n')
        if not raw.strip() or raw.startswith('//'): continue
        if raw.startswith('@'): lang = raw[1:].strip(); continue
        it, kind, sl, text = raw.split('|', 3)
        it = I[it.strip()]; kind = kind.strip(); lg = lang
        if '@' in kind: kind, lg = kind.split('@')
        text = text.strip().replace('\\n', '\n')
        items, removed, unknown, order_no, product = [], [], [], None, None
        for tok in sl.split():
            if tok.startswith('#'): order_no = tok[1:]
            elif tok.startswith('p='): product = ('LJ-' + tok[2:]) if tok[2:] else None
            elif tok.startswith('-'): removed.append('LJ-' + tok[1:])
            elif tok.startswith('?'): unknown.append(tok[1:].replace('~', ' '))
            elif '*' in tok:
                s, q = tok.split('*'); items.append({'sku': 'LJ-' + s, 'qty': int(q)})
            else: raise SystemExit(f'{fn}: bad token {tok!r} in {raw}')
        slots = {}
        if it in ('place_order', 'report_sales'):
            slots['items'] = items
            if removed: slots['removed'] = removed
            if unknown: slots['unknown'] = unknown
            if order_no: slots['order_no'] = order_no
        else:
            if items or removed or unknown: raise SystemExit(f'items on non-order line: {raw}')
            if it in ('query_stock', 'price_query', 'after_sales', 'quality_feedback', 'ticket_status', 'sales_query'):
                slots['product'] = product
            elif product: raise SystemExit(f'product on {it}: {raw}')
            if it in ('order_status', 'cancel_order', 'ticket_status') or order_no: slots['order_no'] = order_no
        out.append({'text': text, 'intent': it, 'slots': slots, 'lang': lg, 'kind': kind})
random.Random(20261204).shuffle(out)
with open(os.path.join(here, '..', 'blind20.jsonl'), 'w', encoding='utf-8') as f:
    for o in out: f.write(json.dumps(o, ensure_ascii=False) + '\n')
def cnt(k):
    return sorted(collections.Counter(o[k] for o in out).items(), key=lambda x: -x[1])
print(len(out))
for k in ('intent', 'lang', 'kind'): print(k, cnt(k))
