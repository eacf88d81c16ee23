#!/usr/bin/env python3
"""Assemble hand-written lines (text ## intent lang kind ## slots) into dev19.jsonl. No generation."""
import json, random, glob, os
here = os.path.dirname(os.path.abspath(__file__))
AB = {'po':'place_order','rs':'report_sales','qs':'query_stock','os':'order_status','co':'cancel_order',
      'pq':'price_query','ts':'ticket_status','as':'after_sales','qf':'quality_feedback','sq':'sales_query',
      'cq':'contract_query','cp':'campaign_query','fq':'faq','gr':'greeting','hp':'help','cc':'cancel','ch':'chitchat_other'}
LANG = {'z':'zh','e':'en','m':'mixed'}
def sku(s): return s if s.startswith('TY-') else 'TY-' + s
out = []
for fn in sorted(glob.glob(os.path.join(here, 'batch_*.txt'))):
    for ln in open(fn, encoding='utf-8'):
        ln = ln.rstrip('\n')
        if not ln.strip() or ln.startswith('#'): continue
        parts = ln.split(' ## ')
        text = parts[0].replace('\\n', '\n')
        ab, lg, kind = parts[1].split()
        intent = AB[ab]
        kv = {}
        if len(parts) > 2:
            for f in parts[2].split(';'):
                f = f.strip()
                if f: k, v = f.split('=', 1); kv[k.strip()] = v.strip()
        sl = {}
        if intent in ('place_order', 'report_sales'):
            sl['items'] = []
            for it in filter(None, kv.get('i', '').split(',')):
                s, q = it.strip().rsplit(':', 1)
                sl['items'].append({'sku': sku(s), 'qty': int(q)})
            if kv.get('rm'): sl['removed'] = [sku(x.strip()) for x in kv['rm'].split(',')]
            if kv.get('u'): sl['unknown'] = [x for x in kv['u'].split('|')]
            if kv.get('o'): sl['order_no'] = kv['o']
        elif intent in ('query_stock','price_query','after_sales','quality_feedback','sales_query'):
            sl['product'] = sku(kv['p']) if kv.get('p') else None
            if kv.get('o'): sl['order_no'] = kv['o']
        elif intent == 'ticket_status':
            sl['product'] = sku(kv['p']) if kv.get('p') else None
            sl['order_no'] = kv.get('o') or None
        elif intent in ('order_status', 'cancel_order'):
            sl['order_no'] = kv.get('o') or None
        else:
            if kv.get('o'): sl['order_no'] = kv['o']
        out.append({'text': text, 'intent': intent, 'slots': sl, 'lang': LANG[lg], 'kind': kind})
random.Random(19).shuffle(out)
with open(os.path.join(here, '..', 'dev19.jsonl'), 'w', encoding='utf-8') as f:
    for o in out: f.write(json.dumps(o, ensure_ascii=False) + '\n')
print(len(out), 'lines written')
