#!/usr/bin/env python3
"""Assemble the hand-written batch lines (intent|lang|kind|text|slots) into ../dev42.jsonl.
slots: ';'-separated  i=SKU*qty SKU*qty  p=SKU  rm=SKU,SKU  unk=a^b  no=ORDER  (SKU written without 'MQ-').
The script only converts the written pairs into dicts, fills the required keys with []/null, shuffles (seed 42)."""
import json, glob, os, random, collections
here = os.path.dirname(os.path.abspath(__file__))
AB = {'po':'place_order','rs':'report_sales','qs':'query_stock','os':'order_status','co':'cancel_order',
      'pq':'price_query','ts':'ticket_status','as':'after_sales','qf':'quality_feedback','sq':'sales_query',
      'cq':'contract_query','cp':'campaign_query','faq':'faq','hi':'greeting','help':'help','cx':'cancel',
      'chat':'chitchat_other'}
REQ = {'place_order':['items'],'report_sales':['items'],'query_stock':['product'],'price_query':['product'],
       'after_sales':['product'],'quality_feedback':['product'],'sales_query':['product'],
       'ticket_status':['product','order_no'],'order_status':['order_no'],'cancel_order':['order_no']}
sku = lambda s: 'MQ-' + s.strip()
out = []
for fn in sorted(glob.glob(os.path.join(here, 'b*.txt'))):
    for ln, line in enumerate(open(fn, encoding='utf-8'), 1):
        line = line.rstrip('\n')
        if not line.strip(): continue
        parts = line.split('|')
        assert len(parts) == 5, (fn, ln, line)
        ab, lang, kind, text, sl = parts
        intent = AB[ab]; text = text.replace('\\n', '\n')
        slots = {}
        for k in REQ.get(intent, []): slots[k] = [] if k == 'items' else None
        for tok in [t for t in sl.split(';') if t.strip()]:
            k, v = tok.split('=', 1); v = v.strip()
            if k == 'i':
                slots['items'] = [{'sku': sku(x.split('*')[0]), 'qty': int(x.split('*')[1])} for x in v.split()]
            elif k == 'p': slots['product'] = sku(v) if v else None
            elif k == 'rm': slots['removed'] = [sku(x) for x in v.split(',')]
            elif k == 'unk': slots['unknown'] = v.split('^')
            elif k == 'no': slots['order_no'] = v
            else: raise SystemExit(f'{fn}:{ln} bad key {k}')
        out.append({'text': text, 'intent': intent, 'slots': slots, 'lang': lang, 'kind': kind})
random.Random(42).shuffle(out)
with open(os.path.join(here, '..', 'dev42.jsonl'), 'w', encoding='utf-8') as f:
    for o in out: f.write(json.dumps(o, ensure_ascii=False) + '\n')
print(len(out), 'lines')
