#!/usr/bin/env python3
"""Assemble hand-written batch lines into blind18.jsonl.
Batch line: text ## intent ## slots ## lang ## kind
slots parts separated by ';': 'JB05*10 RB18*3' items, 'rm=A,B', 'unk=x|y', 'on=SO-..', 'p=SKU' ('p=-' null).
'\\n' in text becomes a newline. Short SKUs get the 'HY-' prefix."""
import json, glob, os, random, collections
here = os.path.dirname(os.path.abspath(__file__))
AB = {'po':'place_order','qs':'query_stock','os':'order_status','co':'cancel_order','pq':'price_query',
      'ts':'ticket_status','as':'after_sales','qf':'quality_feedback','rs':'report_sales','sq':'sales_query',
      'cq':'contract_query','cp':'campaign_query','faq':'faq','gr':'greeting','help':'help','cx':'cancel',
      'oth':'chitchat_other'}
LANG = {'z':'zh','e':'en','m':'mixed'}
PROD = {'query_stock','price_query','after_sales','quality_feedback','ticket_status','sales_query'}
ONREQ = {'order_status','cancel_order','ticket_status'}
sku = lambda s: s if s.startswith('HY-') else 'HY-' + s
out = []
for fn in sorted(glob.glob(os.path.join(here, 'batch_*.txt'))):
    for ln, line in enumerate(open(fn, encoding='utf-8'), 1):
        line = line.rstrip('\n')
        if not line.strip() or line.startswith('#!'): continue
        parts = line.split(' ## ')
        assert len(parts) == 5, (fn, ln, line)
        text, it, sl, lang, kind = [p.strip() for p in parts]
        text = text.replace('\\n', '\n')
        it = AB[it]
        slots = {}
        if it in ('place_order', 'report_sales'): slots['items'] = []
        if it in PROD: slots['product'] = None
        if it in ONREQ: slots['order_no'] = None
        for p in [p.strip() for p in sl.split(';') if p.strip() and p.strip() != '-']:
            if p.startswith('rm='): slots['removed'] = [sku(x) for x in p[3:].split(',')]
            elif p.startswith('unk='): slots['unknown'] = p[4:].split('|')
            elif p.startswith('on='): slots['order_no'] = p[3:]
            elif p.startswith('p='): slots['product'] = None if p[2:] == '-' else sku(p[2:])
            else:
                for tok in p.split():
                    s, q = tok.split('*'); q = float(q); q = int(q) if q == int(q) else q
                    slots['items'].append({'sku': sku(s), 'qty': q})
        out.append({'text': text, 'intent': it, 'slots': slots, 'lang': LANG[lang], 'kind': kind})
random.Random(18).shuffle(out)
with open(os.path.join(os.path.dirname(here), 'blind18.jsonl'), 'w', encoding='utf-8') as f:
    for o in out: f.write(json.dumps(o, ensure_ascii=False) + '\n')
n = len(out)
for key in ('intent', 'lang', 'kind'):
    c = collections.Counter(o[key] for o in out)
    print(key, n, dict(sorted(c.items(), key=lambda x: -x[1])))
