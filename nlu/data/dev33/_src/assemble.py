#!/usr/bin/env python3
"""Assemble the hand-written batch lines (intent|lang|kind|text|slots) into ../dev33.jsonl.
Only parses, fills slot dicts from the written (sku, qty) pairs, shuffles with a fixed seed."""
import json, os, random, glob, collections
here = os.path.dirname(os.path.abspath(__file__))
out = os.path.dirname(here)
AB = {'po':'place_order','rs':'report_sales','qs':'query_stock','order_status':'order_status','co':'cancel_order',
      'pq':'price_query','as':'after_sales','qf':'quality_feedback','ts':'ticket_status','sq':'sales_query',
      'cq':'contract_query','cp':'campaign_query','faq':'faq','gr':'greeting','hp':'help','cx':'cancel','ch':'chitchat_other'}
LANG = {'z':'zh','e':'en','m':'mixed'}
PROD = {'query_stock','price_query','after_sales','quality_feedback','sales_query'}
drop = set(l.rstrip('\n') for l in open(os.path.join(here,'dropped.txt'),encoding='utf-8')) if os.path.exists(os.path.join(here,'dropped.txt')) else set()
rows = []
for fn in sorted(glob.glob(os.path.join(here,'b*.txt'))):
    for ln in open(fn, encoding='utf-8'):
        ln = ln.rstrip('\n')
        if not ln.strip() or ln.startswith('#'): continue
        parts = ln.split('|')
        assert len(parts) == 5, (fn, ln)
        ab, lg, kind, text, sl = parts
        if text in drop: continue
        intent = AB[ab]
        text = text.replace('\\n', '\n')
        kv = {}
        for piece in sl.split('&') if sl else []:
            k, v = piece.split('=', 1); kv[k] = v
        slots = {}
        if intent in ('place_order','report_sales'):
            items = []
            for pair in filter(None, kv.get('i','').split(',')):
                s, q = pair.split(':'); items.append({'sku':'QY-'+s, 'qty':int(q)})
            slots['items'] = items
            if kv.get('r'): slots['removed'] = ['QY-'+s for s in kv['r'].split(',')]
            if kv.get('u'): slots['unknown'] = kv['u'].split(';;')
        if intent in PROD or intent == 'ticket_status':
            slots['product'] = ('QY-'+kv['p']) if kv.get('p') else None
        if intent in ('order_status','cancel_order','ticket_status'):
            slots['order_no'] = kv.get('o') or None
        elif kv.get('o'):
            slots['order_no'] = kv['o']
        rows.append({'text':text,'intent':intent,'slots':slots,'lang':LANG[lg],'kind':kind})
random.Random(33).shuffle(rows)
with open(os.path.join(out,'dev33.jsonl'),'w',encoding='utf-8') as f:
    for r in rows: f.write(json.dumps(r, ensure_ascii=False)+'\n')
n = len(rows)
def show(key):
    c = collections.Counter(r[key] for r in rows)
    return '\n'.join(f'| {k} | {v} | {100*v/n:.1f}% |' for k, v in c.most_common())
po = [r for r in rows if r['intent'] in ('place_order','report_sales')]
fam = sum(1 for r in po if r['kind']=='family')
stats = f"total {n}\n\n### intent\n| intent | n | share |\n|---|---|---|\n{show('intent')}\n\n### lang\n| lang | n | share |\n|---|---|---|\n{show('lang')}\n\n### kind\n| kind | n | share |\n|---|---|---|\n{show('kind')}\n\nplace_order+report_sales lines: {len(po)}, of which kind=family: {fam}\n"
open(os.path.join(here,'counts.md'),'w',encoding='utf-8').write(stats)
print(stats)
