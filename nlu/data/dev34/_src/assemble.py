#!/usr/bin/env python3
"""Assemble hand-written batch lines into dev34.jsonl. Only parses the line format; no text is generated.
Line format: text ## intent ## lang ## kind [## slots]
slots: i=SKU:qty,SKU:qty ; rm=SKU,SKU ; unk=str|str ; p=SKU or p=- ; no=SO-...  or no=-   (parts separated by ' ; ')
SKUs may omit the 'QT-' prefix. '\\n' in text = newline."""
import glob, json, os, random
AB = {'po':'place_order','rs':'report_sales','qs':'query_stock','os':'order_status','co':'cancel_order',
      'pq':'price_query','ts':'ticket_status','as':'after_sales','qf':'quality_feedback','sq':'sales_query',
      'cq':'contract_query','cp':'campaign_query','faq':'faq','gr':'greeting','hl':'help','cx':'cancel','ch':'chitchat_other'}
LANG = {'z':'zh','e':'en','m':'mixed'}
PROD = {'query_stock','price_query','after_sales','quality_feedback','sales_query','ticket_status'}
ORDN = {'order_status','cancel_order','ticket_status'}
def sku(s):
    s = s.strip(); return s if s.startswith('QT-') else 'QT-' + s
here = os.path.dirname(os.path.abspath(__file__))
out = []
for fn in sorted(glob.glob(os.path.join(here, 'b*.txt'))):
    for n, line in enumerate(open(fn, encoding='utf-8'), 1):
        line = line.rstrip('\n')
        if not line.strip() or line.startswith('#!'): continue
        parts = [p.strip() for p in line.split(' ## ')]
        assert len(parts) in (4, 5), (fn, n, line)
        text, it, lg, kind = parts[:4]
        text = text.replace('\\n', '\n')
        intent = AB[it]; slots = {}
        if intent in ('place_order', 'report_sales'): slots['items'] = []
        if intent in PROD: slots['product'] = None
        if intent in ORDN: slots['order_no'] = None
        if len(parts) == 5 and parts[4]:
            for seg in parts[4].split(' ; '):
                k, v = seg.split('=', 1); v = v.strip()
                if k == 'i':
                    for pair in v.split(','):
                        s, q = pair.rsplit(':', 1); slots['items'].append({'sku': sku(s), 'qty': int(q)})
                elif k == 'rm': slots['removed'] = [sku(s) for s in v.split(',')]
                elif k == 'unk': slots['unknown'] = v.split('|')
                elif k == 'p': slots['product'] = None if v == '-' else sku(v)
                elif k == 'no': slots['order_no'] = None if v == '-' else v
                else: raise ValueError((fn, n, seg))
        out.append({'text': text, 'intent': intent, 'slots': slots, 'lang': LANG[lg], 'kind': kind})
random.Random(34).shuffle(out)
with open(os.path.join(here, '..', 'dev34.jsonl'), 'w', encoding='utf-8') as f:
    for o in out: f.write(json.dumps(o, ensure_ascii=False) + '\n')
print(len(out), 'lines')
