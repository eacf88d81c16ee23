#!/usr/bin/env python3
"""Assemble the hand-written batch files (b*.txt) into ../dev27.jsonl.
Line format: intent|kind|lang|slots|text  (slots tokens separated by ';')
  SKU=qty  -> item (HQ- prefix added)   -SKU -> removed   ?text -> unknown (copied)
  @SKU / @ -> product (null)             #ORDER / # -> order_no (null)
Literal \\n in text becomes a newline. Only assembles; all lines are hand-typed."""
import glob, json, os, random
here = os.path.dirname(os.path.abspath(__file__))
INT = {'po':'place_order','rs':'report_sales','qs':'query_stock','os':'order_status','co':'cancel_order',
       'pq':'price_query','as':'after_sales','qf':'quality_feedback','ts':'ticket_status','sq':'sales_query',
       'cq':'contract_query','cp':'campaign_query','faq':'faq','gr':'greeting','hp':'help','cx':'cancel',
       'ch':'chitchat_other'}
PRODUCT = {'query_stock','price_query','after_sales','quality_feedback','sales_query','ticket_status'}
ORDER = {'order_status','cancel_order','ticket_status'}
sku = lambda s: s if s.startswith('HQ-') else 'HQ-' + s
out = []
for fn in sorted(glob.glob(os.path.join(here, 'b*.txt'))):
    for n, line in enumerate(open(fn, encoding='utf-8'), 1):
        line = line.rstrip('\n')
        if not line.strip() or line.startswith('//'): continue
        ab, kind, lang, sl, text = line.split('|', 4)
        it = INT[ab]; slots = {}
        if it in ('place_order', 'report_sales'): slots['items'] = []
        if it in PRODUCT: slots['product'] = None
        if it in ORDER: slots['order_no'] = None
        for tok in [t.strip() for t in sl.split(';') if t.strip()]:
            if tok.startswith('@'): slots['product'] = sku(tok[1:]) if tok[1:] else None
            elif tok.startswith('#'): slots['order_no'] = tok[1:] or None
            elif tok.startswith('?'): slots.setdefault('unknown', []).append(tok[1:])
            elif tok.startswith('-'): slots.setdefault('removed', []).append(sku(tok[1:]))
            else:
                k, q = tok.split('='); slots['items'].append({'sku': sku(k), 'qty': int(q)})
        out.append({'text': text.replace('\\n', '\n'), 'intent': it, 'slots': slots, 'lang': lang, 'kind': kind})
random.Random(27).shuffle(out)
with open(os.path.join(here, '..', 'dev27.jsonl'), 'w', encoding='utf-8') as f:
    for o in out: f.write(json.dumps(o, ensure_ascii=False) + '\n')
print(len(out), 'lines written')
