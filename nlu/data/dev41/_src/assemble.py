#!/usr/bin/env python3
"""Assemble hand-written batch lines (b*.txt) into ../dev41.jsonl.
Line format: INTENT|lang|kind|text|spec ; spec tokens comma-separated:
  SKU=qty (item, SKU without the MC- prefix), -SKU (removed), ?text (unknown, as written),
  p=SKU / p= (product / null), o=SO-... / o= (order_no / null)."""
import json, glob, random, os, collections
IN = dict(PO='place_order', QS='query_stock', OS='order_status', CO='cancel_order', PQ='price_query',
          TS='ticket_status', AS='after_sales', QF='quality_feedback', RS='report_sales', SQ='sales_query',
          CQ='contract_query', CP='campaign_query', FAQ='faq', GR='greeting', HE='help', CA='cancel', CH='chitchat_other')
LANG = dict(z='zh', e='en', m='mixed')
here = os.path.dirname(os.path.abspath(__file__))
out = []
for fn in sorted(glob.glob(os.path.join(here, 'b*.txt'))):
    for ln, line in enumerate(open(fn, encoding='utf-8'), 1):
        line = line.rstrip('\n')
        if not line.strip() or line.startswith('#'): continue
        parts = line.split('|')
        if len(parts) != 5: raise SystemExit(f'{fn}:{ln}: {len(parts)} fields: {line}')
        ic, lc, kind, text, spec = parts
        it = IN[ic]; text = text.replace('\\n', '\n')
        sl = {}
        if it in ('place_order', 'report_sales'): sl['items'] = []
        if it in ('query_stock', 'price_query', 'after_sales', 'quality_feedback', 'sales_query', 'ticket_status'): sl['product'] = None
        if it in ('order_status', 'cancel_order', 'ticket_status'): sl['order_no'] = None
        for tok in [t.strip() for t in spec.split(',') if t.strip()]:
            if tok.startswith('p='): sl['product'] = ('MC-' + tok[2:]) if tok[2:] else None
            elif tok.startswith('o='): sl['order_no'] = tok[2:] or None
            elif tok.startswith('-'): sl.setdefault('removed', []).append('MC-' + tok[1:])
            elif tok.startswith('?'): sl.setdefault('unknown', []).append(tok[1:])
            elif '=' in tok:
                s, q = tok.split('='); sl['items'].append({'sku': 'MC-' + s, 'qty': int(q)})
            else: raise SystemExit(f'{fn}:{ln}: bad token {tok}')
        out.append({'text': text, 'intent': it, 'slots': sl, 'lang': LANG[lc], 'kind': kind})
random.Random(41).shuffle(out)
with open(os.path.join(here, '..', 'dev41.jsonl'), 'w', encoding='utf-8') as f:
    for o in out: f.write(json.dumps(o, ensure_ascii=False) + '\n')
c = collections.Counter
print(len(out))
for k in ('intent', 'lang', 'kind'):
    print(k, sorted(c(o[k] for o in out).items(), key=lambda x: -x[1]))
