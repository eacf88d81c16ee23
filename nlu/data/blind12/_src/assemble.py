#!/usr/bin/env python3
"""Assemble the hand-written batch lines (_src/b*.txt) into blind12.jsonl.
Line format (one hand-written message a line):
  <intent> <lang> <kind> | <slot tokens> | <text>
intent codes: po rs qs os co pq ts as qf sq cq cp faq gr hp cc ch
lang: z e m.  slot tokens (space separated):
  SKU*qty  item (ML- prefix added)     -SKU  removed
  ?[text]  unknown (copied as written) #ORDER order_no
  @SKU     product                     @-    product null
The script only maps these tokens to slot dicts, fills the keys the intent always has, shuffles (seed 12)."""
import glob, json, os, random, re
HERE = os.path.dirname(os.path.abspath(__file__))
IT = dict(po='place_order', rs='report_sales', qs='query_stock', os='order_status', co='cancel_order',
          pq='price_query', ts='ticket_status', **{'as': 'after_sales'}, qf='quality_feedback', sq='sales_query',
          cq='contract_query', cp='campaign_query', faq='faq', gr='greeting', hp='help', cc='cancel',
          ch='chitchat_other')
LANG = dict(z='zh', e='en', m='mixed')
PRODUCT = {'query_stock', 'price_query', 'after_sales', 'quality_feedback', 'sales_query', 'ticket_status'}
ORDERN = {'order_status', 'cancel_order', 'ticket_status'}
out = []
for fn in sorted(glob.glob(os.path.join(HERE, 'b*.txt'))):
    for ln, line in enumerate(open(fn, encoding='utf-8'), 1):
        line = line.rstrip('\n')
        if not line.strip() or line.startswith('//'): continue
        head, slots, text = line.split(' | ', 2)
        text = text.replace('\\n', '\n')  # a typed \n stands for a line break the dealer typed
        ic, lc, kind = head.split()
        intent = IT[ic]
        sl = {}
        unknown = re.findall(r'\?\[(.*?)\]', slots)
        rest = re.sub(r'\?\[.*?\]', ' ', slots).split()
        items, removed, product, order = [], [], 'unset', None
        for tok in rest:
            if tok == '-': continue
            if tok.startswith('#'): order = tok[1:]
            elif tok.startswith('@'): product = None if tok == '@-' else 'ML-' + tok[1:]
            elif tok.startswith('-'): removed.append('ML-' + tok[1:])
            elif '*' in tok:
                s, q = tok.split('*'); items.append({'sku': 'ML-' + s, 'qty': int(q)})
            else: raise SystemExit(f'{fn}:{ln} bad token {tok}')
        if intent in ('place_order', 'report_sales'):
            sl['items'] = items
            if removed: sl['removed'] = removed
            if unknown: sl['unknown'] = unknown
            if order: sl['order_no'] = order
        else:
            if items or removed or unknown: raise SystemExit(f'{fn}:{ln} items on {intent}')
            if intent in PRODUCT: sl['product'] = None if product == 'unset' else product
            elif product != 'unset': raise SystemExit(f'{fn}:{ln} product on {intent}')
            if intent in ORDERN or order: sl['order_no'] = order
        out.append({'text': text, 'intent': intent, 'slots': sl, 'lang': LANG[lc], 'kind': kind})
random.Random(12).shuffle(out)
with open(os.path.join(HERE, '..', 'blind12.jsonl'), 'w', encoding='utf-8') as f:
    for o in out: f.write(json.dumps(o, ensure_ascii=False) + '\n')
print(len(out), 'lines')
