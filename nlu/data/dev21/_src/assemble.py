#!/usr/bin/env python3
"""Assemble hand-written batch lines (intent | lang | kind | text | slot spec) into dev21.jsonl.
Slot spec tokens: SKU:qty (item, 'CL-' prefix added), -SKU (removed), ?{text} (unknown, copied as written),
#ORDERNO (order_no, already normalised by hand), p=SKU / p= (product / null)."""
import json, random, re, csv, glob, os, collections
here = os.path.dirname(os.path.abspath(__file__)); root = os.path.dirname(here)
skus = {r['sku'] for r in csv.DictReader(open(os.path.join(root, 'catalogue.csv'), encoding='utf-8'))}
I = dict(po='place_order', rs='report_sales', qs='query_stock', os='order_status', co='cancel_order', pq='price_query',
         ts='ticket_status', **{'as': 'after_sales'}, qf='quality_feedback', sq='sales_query', cq='contract_query',
         cp='campaign_query', faq='faq', gr='greeting', hp='help', cx='cancel', cc='chitchat_other')
L = dict(z='zh', e='en', m='mixed')
K = dict(fam='family', dia='dialect', sym='symptom', svr='sales_vs_report', bq='batch_quality', rel='relative_order',
         cor='correction', num='numerals', py='pinyin_typo', mod='model_in_name', date='date_note', spk='spoken',
         acc='account', tf='ticket_followup', oth='other', lv='list_verbs', unk='unknown_product', two='two_intents')
PROD = {'query_stock', 'price_query', 'after_sales', 'quality_feedback', 'sales_query', 'ticket_status'}
ORDN = {'order_status', 'cancel_order', 'ticket_status'}
out = []
for fn in sorted(glob.glob(os.path.join(here, 'b*.txt'))):
    for ln, line in enumerate(open(fn, encoding='utf-8'), 1):
        line = line.rstrip('\n')
        if not line.strip(): continue
        parts = [p.strip() for p in line.split(' | ')]
        if len(parts) == 4: parts.append('')
        if len(parts) == 5 and parts[4].endswith('|'): parts[4] = parts[4][:-1].strip()
        it, lg, kd, text, spec = parts[0], parts[1], parts[2], parts[3], parts[4].rstrip('|').strip()
        text = text.replace('\\n', '\n')
        intent = I[it]; slots = {}
        unknown = re.findall(r'\?\{([^}]*)\}', spec); spec = re.sub(r'\?\{[^}]*\}', ' ', spec)
        items, removed = [], []
        for tok in spec.split():
            if tok.startswith('p='):
                slots['product'] = ('CL-' + tok[2:]) if tok[2:] else None
            elif tok.startswith('#'):
                slots['order_no'] = tok[1:]
            elif tok.startswith('-'):
                removed.append('CL-' + tok[1:])
            elif ':' in tok:
                s, q = tok.rsplit(':', 1); items.append({'sku': 'CL-' + s, 'qty': int(q)})
            else:
                raise SystemExit(f'{fn}:{ln}: bad token {tok}')
        for s in [x['sku'] for x in items] + removed + ([slots['product']] if slots.get('product') else []):
            if s not in skus: raise SystemExit(f'{fn}:{ln}: unknown sku {s}')
        if intent in ('place_order', 'report_sales'):
            slots['items'] = items
            if removed: slots['removed'] = removed
            if unknown: slots['unknown'] = unknown
        elif items or removed or unknown:
            raise SystemExit(f'{fn}:{ln}: items on {intent}')
        if intent in PROD: slots.setdefault('product', None)
        elif 'product' in slots: raise SystemExit(f'{fn}:{ln}: product on {intent}')
        if intent in ORDN: slots.setdefault('order_no', None)
        order = ['items', 'removed', 'unknown', 'product', 'order_no']
        slots = {k: slots[k] for k in order if k in slots}
        out.append({'text': text, 'intent': intent, 'slots': slots, 'lang': L[lg], 'kind': K.get(kd, kd)})
random.Random(21).shuffle(out)
with open(os.path.join(root, 'dev21.jsonl'), 'w', encoding='utf-8') as f:
    for o in out: f.write(json.dumps(o, ensure_ascii=False) + '\n')
def cnt(key): return collections.Counter(o[key] for o in out).most_common()
print(len(out))
for k in ('intent', 'lang', 'kind'):
    print(k, cnt(k))
po = [o for o in out if o['intent'] in ('place_order', 'report_sales')]
print('family kind among po/rs:', sum(o['kind'] == 'family' for o in po), '/', len(po))
