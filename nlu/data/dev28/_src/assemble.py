#!/usr/bin/env python3
"""Assemble hand-written batch lines (b*.txt) into dev28.jsonl.
Line format:  text ## intent-code ## lang ## kind ## slots
slots: i:SKU*qty,...  r:SKU,...  u:str|str  o:ORDERNO  p:SKU or p:-   (separated by ';', SKU without 'HY-')
A literal \\n in text becomes a newline. Only fills dicts from what is written; shuffles with seed 28."""
import json, random, glob, os, re
here = os.path.dirname(os.path.abspath(__file__))
CODES = {'po':'place_order','rs':'report_sales','qs':'query_stock','os':'order_status','co':'cancel_order',
         'pq':'price_query','ts':'ticket_status','as':'after_sales','qf':'quality_feedback','sq':'sales_query',
         'cq':'contract_query','cp':'campaign_query','faq':'faq','gr':'greeting','help':'help','cancel':'cancel',
         'chat':'chitchat_other'}
PROD = {'query_stock','price_query','after_sales','quality_feedback','sales_query','ticket_status'}
ORDN = {'order_status','cancel_order','ticket_status'}
out = []
for fn in sorted(glob.glob(os.path.join(here, 'b*.txt'))):
    for ln, line in enumerate(open(fn, encoding='utf-8'), 1):
        line = line.rstrip('\n')
        if not line.strip() or line.startswith('#!'): continue
        parts = [p.strip() for p in line.split(' ## ')]
        if len(parts) < 4: raise SystemExit(f'{fn}:{ln}: bad line {line}')
        text, code, lang, kind = parts[:4]
        sl = parts[4] if len(parts) > 4 else ''
        intent = CODES[code]
        text = text.replace('\\n', '\n')
        slots = {}
        for f in [x for x in sl.split(';') if x.strip()]:
            k, v = f.split(':', 1); v = v.strip()
            if k == 'i':
                slots['items'] = []
                for pair in [x for x in v.split(',') if x.strip()]:
                    s, q = pair.rsplit('*', 1)
                    slots['items'].append({'sku': 'HY-' + s.strip(), 'qty': int(q)})
            elif k == 'r': slots['removed'] = ['HY-' + s.strip() for s in v.split(',')]
            elif k == 'u': slots['unknown'] = v.split('|')
            elif k == 'o': slots['order_no'] = v or None
            elif k == 'p': slots['product'] = None if v == '-' else 'HY-' + v
            else: raise SystemExit(f'{fn}:{ln}: bad slot {f}')
        if intent in ('place_order', 'report_sales'): slots.setdefault('items', [])
        if intent in PROD and 'product' not in slots: raise SystemExit(f'{fn}:{ln}: product missing')
        if intent in ORDN: slots.setdefault('order_no', None)
        out.append({'text': text, 'intent': intent, 'slots': slots, 'lang': lang, 'kind': kind})
random.Random(28).shuffle(out)
with open(os.path.join(here, '..', 'dev28.jsonl'), 'w', encoding='utf-8') as f:
    for o in out: f.write(json.dumps(o, ensure_ascii=False) + '\n')
print(len(out), 'lines')
