#!/usr/bin/env python3
"""Assemble hand-written batch lines (text ## intent ## slots ## lang ## kind) into dev26.jsonl.
Slots shorthand: i=SKU:qty,SKU:qty  rm=SKU,SKU  u=str|str  o=ORDERNO  p=SKU or p=-  ; separated by ' ;; '.
SKUs are written without the 'LC-' prefix. Only assembles; every text and label is hand-written in batch*.txt."""
import json, glob, random, collections, os
AB = {'po':'place_order','rs':'report_sales','qs':'query_stock','os':'order_status','co':'cancel_order',
      'pq':'price_query','ts':'ticket_status','as':'after_sales','qf':'quality_feedback','sq':'sales_query',
      'cq':'contract_query','cp':'campaign_query','fq':'faq','gr':'greeting','hp':'help','cn':'cancel','ch':'chitchat_other'}
LANG = {'z':'zh','e':'en','m':'mixed'}
PRODUCT = {'query_stock','price_query','after_sales','quality_feedback','sales_query','ticket_status'}
ORDER = {'order_status','cancel_order','ticket_status'}
out = []
for fn in sorted(glob.glob(os.path.join(os.path.dirname(__file__), 'batch*.txt'))):
    for ln, line in enumerate(open(fn, encoding='utf-8'), 1):
        line = line.rstrip('\n')
        if not line.strip() or line.startswith('#'): continue
        parts = [p.strip() for p in line.split('##')]
        assert len(parts) == 5, (fn, ln, line)
        text, it, sl, lang, kind = parts
        text = text.replace('\\n', '\n')
        it = AB[it]; slots = {}
        if it in ('place_order', 'report_sales'): slots['items'] = []
        if it in PRODUCT: slots['product'] = None
        if it in ORDER: slots['order_no'] = None
        for tok in [t.strip() for t in sl.split(';;') if t.strip()]:
            k, v = tok.split('=', 1)
            if k == 'i':
                for pair in [x for x in v.split(',') if x]:
                    s, q = pair.rsplit(':', 1)
                    q = float(q) if '.' in q else int(q)
                    slots['items'].append({'sku': 'LC-' + s, 'qty': q})
            elif k == 'rm': slots['removed'] = ['LC-' + s for s in v.split(',')]
            elif k == 'u': slots['unknown'] = v.split('|')
            elif k == 'o': slots['order_no'] = v
            elif k == 'p': slots['product'] = None if v == '-' else 'LC-' + v
            else: raise ValueError((fn, ln, tok))
        out.append({'text': text, 'intent': it, 'slots': slots, 'lang': LANG[lang], 'kind': kind})
random.Random(26).shuffle(out)
with open(os.path.join(os.path.dirname(__file__), '..', 'dev26.jsonl'), 'w', encoding='utf-8') as f:
    for o in out: f.write(json.dumps(o, ensure_ascii=False) + '\n')
print(len(out))
for key in ('intent', 'lang', 'kind'):
    print(key, dict(collections.Counter(o[key] for o in out).most_common()))
