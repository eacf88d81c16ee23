#!/usr/bin/env python3
"""Assemble hand-written lines from _src/<intent>.<batch>.txt into dev23.jsonl.
Line format (one message a line):  kind ## lang(z/e/m) ## spec ## text
spec: ';'-separated tokens, SKUs written without the 'WP-' prefix:
  SKU=qty  -> items      -SKU -> removed     ?text -> unknown (copied from text)
  #ORDERNO -> order_no   @SKU -> product     empty / '-' -> nothing
Required keys get their empty value (items [] / product null / order_no null). '\\n' in text = newline.
Shuffles with a fixed seed (23)."""
import csv, glob, json, os, random, sys
here = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
skus = {r['sku'] for r in csv.DictReader(open(os.path.join(here, 'catalogue.csv'), encoding='utf-8'))}
LANG = {'z': 'zh', 'e': 'en', 'm': 'mixed'}
ITEMS = {'place_order', 'report_sales'}
PROD = {'query_stock', 'price_query', 'after_sales', 'quality_feedback', 'sales_query', 'ticket_status'}
ORDN = {'order_status', 'cancel_order', 'ticket_status'}
out, bad = [], []
for fn in sorted(glob.glob(os.path.join(here, '_src', '*.txt'))):
    intent = os.path.basename(fn).split('.')[0]
    for ln, raw in enumerate(open(fn, encoding='utf-8'), 1):
        raw = raw.rstrip('\n')
        if not raw.strip() or raw.startswith('//'): continue
        parts = raw.split(' ## ')
        if len(parts) != 4: bad.append(f'{fn}:{ln} parts {len(parts)}'); continue
        kind, lang, spec, text = [p.strip() for p in parts]
        text = text.replace('\\n', '\n')
        items, removed, unknown, order_no, product = [], [], [], None, None
        for tok in [t.strip() for t in spec.split(';')]:
            if tok in ('', '-'): continue
            if tok[0] == '?': unknown.append(tok[1:]); continue
            if tok[0] == '#': order_no = tok[1:]; continue
            if tok[0] == '@': product = 'WP-' + tok[1:]; continue
            if tok[0] == '-': removed.append('WP-' + tok[1:]); continue
            s, q = tok.split('=')
            items.append({'sku': 'WP-' + s, 'qty': int(q)})
        for s in [x['sku'] for x in items] + removed + ([product] if product else []):
            if s not in skus: bad.append(f'{fn}:{ln} bad sku {s}')
        slots = {}
        if intent in ITEMS:
            slots['items'] = items
            if removed: slots['removed'] = removed
            if unknown: slots['unknown'] = unknown
        elif items or removed or unknown: bad.append(f'{fn}:{ln} items on {intent}')
        if intent in PROD: slots['product'] = product
        elif product: bad.append(f'{fn}:{ln} product on {intent}')
        if intent in ORDN or order_no: slots['order_no'] = order_no
        out.append({'text': text, 'intent': intent, 'slots': slots, 'lang': LANG[lang], 'kind': kind})
for b in bad: print('SRC', b)
random.Random(23).shuffle(out)
with open(os.path.join(here, 'dev23.jsonl'), 'w', encoding='utf-8') as f:
    for o in out: f.write(json.dumps(o, ensure_ascii=False) + '\n')
print(len(out), 'lines written')
sys.exit(1 if bad else 0)
