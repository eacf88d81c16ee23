#!/usr/bin/env python3
"""Assemble the hand-written batch files (*.txt) into ../blind14.jsonl.
Line format: text ## kind ## lang [## slots]; '@intent' lines set the intent of the following lines.
slots: i=SKU:qty,...; r=SKU,...; u=str|str; o=ORDER_NO; p=SKU (empty = null). SKUs are written without the 'KQ-' prefix.
Only assembles, shuffles with a fixed seed; no text is generated here."""
import glob, json, os, random
here = os.path.dirname(os.path.abspath(__file__))
PRODUCT = {'query_stock','price_query','after_sales','quality_feedback','sales_query','ticket_status'}
ORDERNO = {'order_status','cancel_order','ticket_status'}
rows = []
for fn in sorted(glob.glob(os.path.join(here, '*.txt'))):
    intent = None
    for ln, raw in enumerate(open(fn, encoding='utf-8'), 1):
        raw = raw.rstrip('\n')
        if not raw.strip(): continue
        if raw.startswith('@'): intent = raw[1:].strip(); continue
        parts = raw.split(' ## ')
        assert len(parts) in (3, 4), (fn, ln, raw)
        text, kind, lang = parts[0].replace('\\n', '\n'), parts[1].strip(), parts[2].strip()
        spec = {}
        if len(parts) == 4:
            for chunk in parts[3].split(';'):
                chunk = chunk.strip()
                if not chunk: continue
                k, v = chunk.split('=', 1); spec[k.strip()] = v.strip()
        slots = {}
        if intent in ('place_order', 'report_sales'):
            items = []
            for pair in filter(None, spec.get('i', '').split(',')):
                s, q = pair.split(':'); items.append({'sku': 'KQ-' + s.strip(), 'qty': int(q)})
            slots['items'] = items
            if spec.get('r'):
                assert intent == 'place_order'
                slots['removed'] = ['KQ-' + s for s in spec['r'].split(',')]
            if spec.get('u'): slots['unknown'] = spec['u'].split('|')
        if intent in PRODUCT: slots['product'] = ('KQ-' + spec['p']) if spec.get('p') else None
        if intent in ORDERNO: slots['order_no'] = spec.get('o') or None
        elif spec.get('o'): slots['order_no'] = spec['o']
        for k in spec: assert k in 'irupo', (fn, ln, k)
        rows.append({'text': text, 'intent': intent, 'slots': slots, 'lang': lang, 'kind': kind})
random.Random(14).shuffle(rows)
out = os.path.join(os.path.dirname(here), 'blind14.jsonl')
with open(out, 'w', encoding='utf-8') as f:
    for r in rows: f.write(json.dumps(r, ensure_ascii=False) + '\n')
print(len(rows), 'lines ->', out)
