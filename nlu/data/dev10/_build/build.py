#!/usr/bin/env python3
"""Assemble dev10.jsonl from the hand-written source files in src/.
Source line format: intent_code|lang_code|kind|slot_tokens|text
slot tokens: SKU*qty (item), -SKU (removed), ?CODE (unknown), p=SKU|0 (product), o=NO|0 (order_no)."""
import json, glob
I = dict(po='place_order', qs='query_stock', os='order_status', co='cancel_order', pq='price_query',
         ts='ticket_status', as_='after_sales', qf='quality_feedback', rs='report_sales', sq='sales_query',
         cq='contract_query', cp='campaign_query', fq='faq', gr='greeting', hp='help', cn='cancel',
         ch='chitchat_other')
I['as'] = I.pop('as_')
L = dict(z='zh', e='en', m='mixed')
out = []
for f in sorted(glob.glob('src/*.txt')):
    for n, line in enumerate(open(f, encoding='utf-8'), 1):
        line = line.rstrip('\n')
        if not line.strip():
            continue
        ic, lc, kind, st, text = line.split('|', 4)
        intent = I[ic]
        slots = {}
        if intent in ('place_order', 'report_sales'):
            slots['items'] = []
        for t in st.split():
            if t.startswith('p='):
                slots['product'] = None if t[2:] == '0' else t[2:]
            elif t.startswith('o='):
                slots['order_no'] = None if t[2:] == '0' else t[2:]
            elif t.startswith('-'):
                slots.setdefault('removed', []).append(t[1:])
            elif t.startswith('?'):
                slots.setdefault('unknown', []).append(t[1:])
            else:
                sku, q = t.rsplit('*', 1)
                slots['items'].append({'sku': sku, 'qty': int(q)})
        out.append({'text': text.strip(), 'intent': intent, 'slots': slots, 'lang': L[lc], 'kind': kind})
with open('dev10.jsonl', 'w', encoding='utf-8') as w:
    for o in out:
        w.write(json.dumps(o, ensure_ascii=False) + '\n')
print(len(out))
