#!/usr/bin/env python3
"""Assemble hand-written batch lines into dev30.jsonl.
Line format (one message per line, written by hand):
  text ## intent-code ## slot spec ## lang ## kind
slot spec tokens: SKU*qty (item, SKU without the HJ- prefix), -SKU (removed), ?[as written] (unknown),
@SKU (product), #ORDERNO (order_no). Missing product/order_no on intents that require them -> null.
"""
import json, re, random, glob, os, collections
HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.dirname(HERE)
CODES = {'po':'place_order','rs':'report_sales','qs':'query_stock','os':'order_status','co':'cancel_order',
         'pq':'price_query','ts':'ticket_status','as':'after_sales','qf':'quality_feedback','sq':'sales_query',
         'cq':'contract_query','cp':'campaign_query','faq':'faq','gr':'greeting','hp':'help','ca':'cancel',
         'ch':'chitchat_other'}
PRODUCT = {'query_stock','price_query','after_sales','quality_feedback','ticket_status','sales_query'}
ORDER = {'order_status','cancel_order','ticket_status'}
rows = []
for fn in sorted(glob.glob(os.path.join(HERE, 'b*.txt'))):
    for ln, line in enumerate(open(fn, encoding='utf-8'), 1):
        line = line.rstrip('\n')
        if not line.strip() or line.startswith('//'): continue
        parts = [p.strip() for p in line.split('##')]
        assert len(parts) == 5, (fn, ln, line)
        text, code, spec, lang, kind = parts
        text = text.replace('\\n', '\n')
        intent = CODES[code]
        slots = {}
        unknown = re.findall(r'\?\[([^\]]*)\]', spec)
        spec = re.sub(r'\?\[[^\]]*\]', ' ', spec)
        items, removed, product, order = [], [], None, None
        for tok in spec.split():
            if tok.startswith('-'): removed.append('HJ-' + tok[1:])
            elif tok.startswith('@'): product = 'HJ-' + tok[1:]
            elif tok.startswith('#'): order = tok[1:]
            elif '*' in tok:
                s, q = tok.split('*'); items.append({'sku': 'HJ-' + s, 'qty': int(q)})
            else: raise ValueError((fn, ln, tok))
        if intent in ('place_order', 'report_sales'):
            slots['items'] = items
            if removed: slots['removed'] = removed
            if unknown: slots['unknown'] = unknown
        else:
            assert not items and not removed and not unknown, (fn, ln)
        if intent in PRODUCT: slots['product'] = product
        elif product: raise ValueError((fn, ln, 'product on', intent))
        if intent in ORDER or order: slots['order_no'] = order
        rows.append({'text': text, 'intent': intent, 'slots': slots, 'lang': lang, 'kind': kind})
random.Random(30).shuffle(rows)
with open(os.path.join(OUT, 'dev30.jsonl'), 'w', encoding='utf-8') as f:
    for r in rows: f.write(json.dumps(r, ensure_ascii=False) + '\n')
n = len(rows)
print('total', n)
for key in ('intent', 'lang', 'kind'):
    c = collections.Counter(r[key] for r in rows)
    print(key, dict(sorted(c.items(), key=lambda x: -x[1])))
fam = collections.Counter(r['intent'] for r in rows if r['kind'] == 'family')
print('family-kind per intent', dict(fam))
