#!/usr/bin/env python3
"""Assemble hand-written batch lines (_src/b*.txt) into dev24.jsonl, shuffle with a fixed seed.
Line format: INTENT|lang|kind|text|spec[|extras]
  orders (PO/RS): spec = SKU:qty,... or '-'; extras = rm=A,B;unk=x^y;no=SO-...
  others: spec = p=SKU;no=...  (empty -> nulls where the intent needs them)
SKUs are written without the JC- prefix. A literal \\n in text becomes a newline."""
import glob, json, random, os, collections
H = os.path.dirname(os.path.abspath(__file__)); OUT = os.path.dirname(H)
I = dict(PO='place_order', RS='report_sales', QS='query_stock', OS='order_status', CO='cancel_order',
         PQ='price_query', TS='ticket_status', AS='after_sales', QF='quality_feedback', SQ='sales_query',
         CQ='contract_query', CA='campaign_query', FAQ='faq', GR='greeting', HE='help', CN='cancel', CH='chitchat_other')
L = dict(z='zh', e='en', m='mixed')
PRODUCT = {'query_stock','price_query','after_sales','quality_feedback','sales_query','ticket_status'}
ORDER = {'order_status','cancel_order','ticket_status'}
sku = lambda s: 'JC-' + s
def kv(s):
    d = {}
    for part in filter(None, s.split(';')):
        k, v = part.split('=', 1); d[k.strip()] = v.strip()
    return d
rows = []
for fn in sorted(glob.glob(os.path.join(H, 'b*.txt'))):
    for n, line in enumerate(open(fn, encoding='utf-8'), 1):
        line = line.rstrip('\n')
        if not line.strip(): continue
        f = line.split('|')
        it = I[f[0]]; text = f[3].replace('\\n', '\n')
        if it in ('place_order', 'report_sales'):
            slots = {'items': [] if f[4] == '-' else
                     [{'sku': sku(a.split(':')[0]), 'qty': int(a.split(':')[1])} for a in f[4].split(',')]}
            ex = kv(f[5]) if len(f) > 5 else {}
            if 'rm' in ex: slots['removed'] = [sku(x) for x in ex['rm'].split(',')]
            if 'unk' in ex: slots['unknown'] = ex['unk'].split('^')
            if 'no' in ex: slots['order_no'] = ex['no']
            assert len(f) <= 6, (fn, n)
        else:
            assert len(f) == 5, (fn, n, line)
            ex = kv(f[4]); slots = {}
            if it in PRODUCT: slots['product'] = sku(ex['p']) if 'p' in ex else None
            if it in ORDER or 'no' in ex: slots['order_no'] = ex.get('no')
            assert set(ex) <= {'p', 'no'} and ('p' not in ex or it in PRODUCT), (fn, n)
        rows.append({'text': text, 'intent': it, 'slots': slots, 'lang': L[f[1]], 'kind': f[2]})
random.Random(24).shuffle(rows)
with open(os.path.join(OUT, 'dev24.jsonl'), 'w', encoding='utf-8') as o:
    for r in rows: o.write(json.dumps(r, ensure_ascii=False) + '\n')
# counts for README
c = lambda k: collections.Counter(r[k] for r in rows)
fam = collections.Counter(r['intent'] for r in rows if r['kind'] == 'family')
with open(os.path.join(H, 'counts.md'), 'w', encoding='utf-8') as o:
    o.write(f'total: {len(rows)}\n\n')
    for k in ('intent', 'lang', 'kind'):
        o.write(f'### {k}\n| {k} | n | % |\n|---|---|---|\n')
        for a, b in c(k).most_common(): o.write(f'| {a} | {b} | {100*b/len(rows):.1f} |\n')
        o.write('\n')
    o.write('### kind=family by intent\n' + ''.join(f'- {a}: {b}\n' for a, b in fam.most_common()))
print(open(os.path.join(H, 'counts.md')).read())
