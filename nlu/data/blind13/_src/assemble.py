#!/usr/bin/env python3
"""Assemble the hand-written batch lines (_src/b*.tsv) into blind13.jsonl.
Each batch line: text ¦ intent ¦ lang ¦ kind ¦ slots
  intent short names below; lang z/e/m; slots joined by '&&':
  i:SKU=qty,SKU=qty  (items, SKU without the MX- prefix)   r:SKU,SKU  (removed)
  u:str|str (unknown, copied from the text)   p:SKU (product)   o:SO-YYYYMMDD-NNNN (order_no)
  a literal \\n in the text becomes a newline. Missing required keys get [] / null.
The script only fills the slot dicts and shuffles (seed 13); every text was typed by hand."""
import glob, json, os, random, sys
IN = {'po':'place_order','rs':'report_sales','qs':'query_stock','os':'order_status','co':'cancel_order',
      'pq':'price_query','ts':'ticket_status','as':'after_sales','qf':'quality_feedback','sq':'sales_query',
      'cq':'contract_query','cp':'campaign_query','faq':'faq','gr':'greeting','hl':'help','cx':'cancel',
      'cc':'chitchat_other'}
LANG = {'z':'zh','e':'en','m':'mixed'}
here = os.path.dirname(os.path.abspath(__file__))
out = []
for fn in sorted(glob.glob(os.path.join(here, 'b*.tsv'))):
    for n, line in enumerate(open(fn, encoding='utf-8'), 1):
        line = line.rstrip('\n')
        if not line.strip() or line.startswith('#'): continue
        parts = [p.strip() for p in line.split('¦')]
        if len(parts) == 4: parts.append('')
        if len(parts) != 5: sys.exit(f'{fn}:{n}: {len(parts)} fields: {line}')
        text, it, lg, kind, sl = parts
        intent = IN[it]; text = text.replace('\\n', '\n')
        slots = {}
        for tok in [t for t in sl.split('&&') if t.strip()]:
            k, v = tok.strip().split(':', 1); v = v.strip()
            if k == 'i':
                slots['items'] = []
                for pair in [p for p in v.split(',') if p]:
                    s, q = pair.split('=')
                    slots['items'].append({'sku': 'MX-' + s.strip(), 'qty': int(q)})
            elif k == 'r': slots['removed'] = ['MX-' + s.strip() for s in v.split(',')]
            elif k == 'u': slots['unknown'] = v.split('|')
            elif k == 'p': slots['product'] = 'MX-' + v if v else None
            elif k == 'o': slots['order_no'] = v or None
            else: sys.exit(f'{fn}:{n}: slot {tok}')
        if intent in ('place_order', 'report_sales'): slots.setdefault('items', [])
        if intent in ('query_stock','price_query','after_sales','quality_feedback','sales_query','ticket_status'):
            slots.setdefault('product', None)
        if intent in ('order_status','cancel_order','ticket_status'): slots.setdefault('order_no', None)
        out.append({'text': text, 'intent': intent, 'slots': slots, 'lang': LANG[lg], 'kind': kind})
random.Random(13).shuffle(out)
with open(os.path.join(os.path.dirname(here), 'blind13.jsonl'), 'w', encoding='utf-8') as f:
    for o in out: f.write(json.dumps(o, ensure_ascii=False) + '\n')
print(len(out), 'lines')
