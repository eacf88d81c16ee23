#!/usr/bin/env python3
"""Assemble hand-written source files (src/*.txt) into dev11.jsonl.
Source line format:  intent ## lang ## kind ## slots ## text
slots mini-notation: i=SKU*qty,SKU*qty ; r=SKU,SKU ; u=CODE,CODE ; p=SKU|- ; o=ORDERNO|-
"""
import json, glob, os, sys, re
AB = {'po':'place_order','qs':'query_stock','os':'order_status','co':'cancel_order','pq':'price_query',
      'ts':'ticket_status','as':'after_sales','qf':'quality_feedback','rs':'report_sales','sq':'sales_query',
      'cq':'contract_query','cp':'campaign_query','faq':'faq','gr':'greeting','hp':'help','cn':'cancel',
      'ot':'chitchat_other'}
LANG = {'z':'zh','e':'en','m':'mixed'}
here = os.path.dirname(os.path.abspath(__file__))
out = []
for fn in sorted(glob.glob(os.path.join(here, '*.txt'))):
    for ln, line in enumerate(open(fn, encoding='utf-8'), 1):
        line = line.rstrip('\n')
        if not line.strip() or line.startswith('#'):
            continue
        parts = re.split(r'\s*##\s*', line, 4)
        if len(parts) != 5:
            sys.exit(f'{fn}:{ln}: bad line {line!r}')
        it, lg, kind, sl, text = [p.strip() for p in parts]
        slots = {}
        for kv in [x.strip() for x in sl.split(';') if x.strip()]:
            k, v = kv.split('=', 1)
            k = k.strip(); v = v.strip()
            if k == 'i':
                items = []
                for e in [x for x in v.split(',') if x.strip()]:
                    s, q = e.strip().split('*')
                    q = float(q); q = int(q) if q == int(q) else q
                    items.append({'sku': s, 'qty': q})
                slots['items'] = items
            elif k in ('r', 'u'):
                slots['removed' if k == 'r' else 'unknown'] = [x.strip() for x in v.split(',') if x.strip()]
            elif k in ('p', 'o'):
                slots['product' if k == 'p' else 'order_no'] = None if v == '-' else v
            else:
                sys.exit(f'{fn}:{ln}: bad slot key {k}')
        out.append({'text': text, 'intent': AB[it], 'slots': slots, 'lang': LANG[lg], 'kind': kind})
with open(os.path.join(here, '..', 'dev11.jsonl'), 'w', encoding='utf-8') as f:
    for o in out:
        f.write(json.dumps(o, ensure_ascii=False) + '\n')
print(len(out), 'lines written')
