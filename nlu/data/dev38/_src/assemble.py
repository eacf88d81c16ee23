#!/usr/bin/env python3
"""Assemble the hand-written batch files (b*.txt) into ../dev38.jsonl and ../catalogue.csv.

Batch line format:  text ## [intent ##] slotspec ## lang ## kind   (intent defaults to the last '@intent X' line)
slotspec tokens separated by ';':  CODE=qty (item), -CODE (removed), ?text (unknown, copied from text),
#ORDERNO or #null (order_no), p=CODE / p= (product).  CODE gets the 'YN-' prefix.
The script only converts what was written by hand; it invents nothing.  Shuffle uses a fixed seed."""
import re, csv, glob, json, os, random, collections
HERE = os.path.dirname(os.path.abspath(__file__)); OUT = os.path.dirname(HERE)
P = 'YN-'
# catalogue
rows = [l.rstrip('\n').split('|') for l in open(os.path.join(HERE, 'catalogue_src.txt'), encoding='utf-8') if l.strip()]
with open(os.path.join(OUT, 'catalogue.csv'), 'w', encoding='utf-8', newline='') as f:
    w = csv.writer(f, lineterminator='\n')
    w.writerow(['sku','name','aliases','category','unit','list_price','pack_size','moq','active'])
    for code, name, al, cat, unit, price, pack, moq in rows:
        w.writerow([P + code, name, al, cat, unit, price, pack, moq, 'true'])
SKUS = {P + r[0] for r in rows}
PRODUCT = {'query_stock','price_query','after_sales','quality_feedback','ticket_status','sales_query'}
ORDNO = {'order_status','cancel_order','ticket_status'}
out = []
for fn in sorted(glob.glob(os.path.join(HERE, 'b*.txt'))):
    intent = None
    for ln, line in enumerate(open(fn, encoding='utf-8'), 1):
        line = line.rstrip('\n')
        if not line.strip(): continue
        if line.startswith('@intent '): intent = line.split()[1]; continue
        parts = [p.strip() for p in re.split(r'\s*##\s*', line)]
        if len(parts) == 5: text, it, spec, lang, kind = parts
        elif len(parts) == 4: text, spec, lang, kind = parts; it = intent
        else: raise SystemExit(f'{fn}:{ln} bad line {line!r}')
        text = text.replace('\\n', '\n')
        items, removed, unknown, slots = [], [], [], {}
        for tok in [t.strip() for t in spec.split(';') if t.strip()]:
            if tok.startswith('p='): slots['product'] = (P + tok[2:]) if tok[2:] else None
            elif tok.startswith('#'): slots['order_no'] = None if tok == '#null' else tok[1:]
            elif tok.startswith('?'): unknown.append(tok[1:])
            elif tok.startswith('-'): removed.append(P + tok[1:])
            elif '=' in tok:
                c, q = tok.split('='); items.append({'sku': P + c, 'qty': int(q)})
            else: raise SystemExit(f'{fn}:{ln} bad token {tok}')
        for s in [x['sku'] for x in items] + removed + ([slots['product']] if slots.get('product') else []):
            if s not in SKUS: raise SystemExit(f'{fn}:{ln} unknown sku {s}')
        if it in ('place_order', 'report_sales'):
            sl = {'items': items}
            if removed: sl['removed'] = removed
            if unknown: sl['unknown'] = unknown
            if slots.get('order_no'): sl['order_no'] = slots['order_no']
        else:
            if items or removed or unknown: raise SystemExit(f'{fn}:{ln} items on {it}')
            sl = {}
            if it in PRODUCT: sl['product'] = slots.get('product')
            if it in ORDNO: sl['order_no'] = slots.get('order_no')
            elif slots.get('order_no'): sl['order_no'] = slots['order_no']
            if it not in PRODUCT and 'product' in slots: raise SystemExit(f'{fn}:{ln} product on {it}')
        out.append({'text': text, 'intent': it, 'slots': sl, 'lang': lang, 'kind': kind})
random.Random(38).shuffle(out)
with open(os.path.join(OUT, 'dev38.jsonl'), 'w', encoding='utf-8') as f:
    for o in out: f.write(json.dumps(o, ensure_ascii=False) + '\n')
# counts for the README
def tab(key):
    c = collections.Counter(o[key] for o in out)
    return '\n'.join(f'| {k} | {v} | {100*v/len(out):.1f}% |' for k, v in c.most_common())
fam = {it: sum(1 for o in out if o['intent'] == it and o['kind'] == 'family') for it in ('place_order','report_sales')}
tot = {it: sum(1 for o in out if o['intent'] == it) for it in ('place_order','report_sales')}
with open(os.path.join(HERE, 'counts.md'), 'w', encoding='utf-8') as f:
    f.write(f'Total messages: {len(out)}\n\n### intent\n| intent | n | share |\n|---|---|---|\n{tab("intent")}\n\n'
            f'### lang\n| lang | n | share |\n|---|---|---|\n{tab("lang")}\n\n### kind\n| kind | n | share |\n|---|---|---|\n{tab("kind")}\n\n'
            f'kind=family: place_order {fam["place_order"]}/{tot["place_order"]}, report_sales {fam["report_sales"]}/{tot["report_sales"]}\n')
print(open(os.path.join(HERE, 'counts.md'), encoding='utf-8').read())
