#!/usr/bin/env python3
"""Assemble hand-written lines from _src/<intent>__*.txt into blind11.jsonl.
Line format:  text ## spec ## lang(z/e/m) ## kind
spec: '-' or ';'-separated fields  i=SKU:qty,SKU:qty  r=SKU,SKU  u=word|word  o=ORDERNO  p=SKU (p= alone -> null)
SKUs are written without the 'SY-' prefix. A literal \\n in text becomes a newline."""
import glob, json, os, random, collections
HERE = os.path.dirname(os.path.abspath(__file__)); OUT = os.path.dirname(HERE)
PRODUCT = {'query_stock','price_query','after_sales','quality_feedback','sales_query','ticket_status'}
ORDERREQ = {'order_status','cancel_order','ticket_status'}
LANG = {'z':'zh','e':'en','m':'mixed'}
def sku(s): return 'SY-' + s.strip()
rows = []
for fn in sorted(glob.glob(os.path.join(HERE, '*__*.txt'))):
    intent = os.path.basename(fn).split('__')[0]
    for n, line in enumerate(open(fn, encoding='utf-8'), 1):
        line = line.rstrip('\n')
        if not line.strip() or line.startswith('#!'): continue
        parts = [p.strip() for p in line.split(' ## ')]
        assert len(parts) == 4, (fn, n, line)
        text, spec, lang, kind = parts
        text = text.replace('\\n', '\n')
        slots = {}
        if intent in ('place_order','report_sales'): slots['items'] = []
        if intent in PRODUCT: slots['product'] = None
        if intent in ORDERREQ: slots['order_no'] = None
        if spec != '-':
            for f in spec.split(';'):
                k, v = f.split('=', 1); v = v.strip()
                if k == 'i':
                    for it in v.split(','):
                        s, q = it.rsplit(':', 1)
                        slots['items'].append({'sku': sku(s), 'qty': int(q)})
                elif k == 'r': slots['removed'] = [sku(s) for s in v.split(',')]
                elif k == 'u': slots['unknown'] = v.split('|')
                elif k == 'o': slots['order_no'] = v
                elif k == 'p': slots['product'] = sku(v) if v else None
                else: raise ValueError((fn, n, f))
        rows.append({'text': text, 'intent': intent, 'slots': slots, 'lang': LANG[lang], 'kind': kind})
random.Random(11).shuffle(rows)
with open(os.path.join(OUT, 'blind11.jsonl'), 'w', encoding='utf-8') as f:
    for r in rows: f.write(json.dumps(r, ensure_ascii=False) + '\n')
c = collections.Counter
print(len(rows))
for key in ('intent','lang','kind'):
    print(key, dict(c(r[key] for r in rows).most_common()))
po = [r for r in rows if r['intent'] in ('place_order','report_sales')]
print('family among order/report:', {i: f"{sum(1 for r in po if r['intent']==i and r['kind']=='family')}/{sum(1 for r in po if r['intent']==i)}" for i in ('place_order','report_sales')})
