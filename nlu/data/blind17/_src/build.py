#!/usr/bin/env python3
"""Assemble the hand-written batches (_src/b*.txt) into blind17.jsonl and write catalogue.csv.
Each batch line: text ## intent ## slots ## lang ## kind. The script only converts the short codes and
slot shorthand I wrote next to each line; it writes no text of its own."""
import csv, glob, json, os, random, sys, collections
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from catalogue_src import CAT, SHORT
HERE = os.path.dirname(os.path.abspath(__file__)); OUT = os.path.dirname(HERE)
with open(os.path.join(OUT, 'catalogue.csv'), 'w', encoding='utf-8', newline='') as f:
    w = csv.writer(f, lineterminator='\n')
    w.writerow(['sku','name','aliases','category','unit','list_price','pack_size','moq','active'])
    for c in CAT: w.writerow([c[1], c[2], c[3], c[4], c[5], c[6], c[7], c[8], 'true'])
INT = dict(po='place_order', rs='report_sales', qs='query_stock', os='order_status', co='cancel_order',
           pq='price_query', ts='ticket_status', **{'as': 'after_sales'}, qf='quality_feedback', sq='sales_query',
           cq='contract_query', cp='campaign_query', faq='faq', gr='greeting', hp='help', cx='cancel', ch='chitchat_other')
LANG = dict(z='zh', e='en', m='mixed')
PRODUCT = {'query_stock','price_query','after_sales','quality_feedback','ticket_status','sales_query'}
ORDNO = {'order_status','cancel_order','ticket_status'}
recs = []; bad = 0
for fn in sorted(glob.glob(os.path.join(HERE, 'b*.txt'))):
    for ln, line in enumerate(open(fn, encoding='utf-8'), 1):
        line = line.rstrip('\n')
        if not line.strip() or line.startswith('#'): continue
        parts = [p.strip() for p in line.split(' ## ')]
        if len(parts) != 5: print('BAD', fn, ln, line); bad += 1; continue
        text, it, sl, lang, kind = parts
        text = text.replace('\\n', '\n'); it = INT[it]
        slots = {}
        if it in ('place_order', 'report_sales'): slots['items'] = []
        if it in PRODUCT: slots['product'] = None
        if it in ORDNO: slots['order_no'] = None
        if sl != '-':
            for kv in sl.split(';'):
                k, v = kv.strip().split('=', 1); v = v.strip()
                if k == 'i':
                    for pair in v.split():
                        s, q = pair.rsplit(':', 1); slots['items'].append({'sku': SHORT[s], 'qty': int(q)})
                elif k == 'r': slots['removed'] = [SHORT[s] for s in v.split()]
                elif k == 'u': slots['unknown'] = v.split('|')
                elif k == 'p': slots['product'] = SHORT[v]
                elif k == 'o': slots['order_no'] = v
                else: raise ValueError((fn, ln, k))
        recs.append({'text': text, 'intent': it, 'slots': slots, 'lang': LANG[lang], 'kind': kind})
random.Random(17).shuffle(recs)
with open(os.path.join(OUT, 'blind17.jsonl'), 'w', encoding='utf-8') as f:
    for r in recs: f.write(json.dumps(r, ensure_ascii=False) + '\n')
print(len(recs), 'records', bad, 'bad lines')
