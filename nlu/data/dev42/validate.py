#!/usr/bin/env python3
"""Validate <folder>.jsonl against catalogue.csv and the brief's labelling rules.

Copied into a writer's folder it checks that folder; in the repository: python3 nlu/data/briefs/validate_template.py
nlu/data/<folder>."""
import csv, json, re, sys, datetime, os
here = os.path.abspath(sys.argv[1]) if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__))
FOLDER = os.path.basename(here)
HEADER = ['sku','name','aliases','category','unit','list_price','pack_size','moq','active']
errs = []
with open(os.path.join(here, 'catalogue.csv'), encoding='utf-8') as f:
    rd = csv.reader(f); hdr = next(rd)
    if hdr != HEADER: errs.append(f'catalogue header {hdr}')
    rows = list(rd)
skus = set()
for i, r in enumerate(rows, 2):
    if len(r) != 9: errs.append(f'catalogue line {i}: {len(r)} fields'); continue
    if r[0] in skus: errs.append(f'catalogue dup sku {r[0]}')
    skus.add(r[0])
    if not re.fullmatch(r'\d+\.\d\d', r[5]): errs.append(f'catalogue {r[0]} price {r[5]}')
    if not (r[6].isdigit() and r[7].isdigit()): errs.append(f'catalogue {r[0]} pack/moq')
    if r[8] != 'true': errs.append(f'catalogue {r[0]} active')
INTENTS = {'place_order','query_stock','order_status','cancel_order','price_query','ticket_status','after_sales',
           'quality_feedback','report_sales','sales_query','contract_query','campaign_query','faq','greeting','help',
           'cancel','chitchat_other'}
REQUIRED = {'place_order': {'items'}, 'report_sales': {'items'},
            'query_stock': {'product'}, 'price_query': {'product'}, 'after_sales': {'product'},
            'quality_feedback': {'product'}, 'sales_query': {'product'},
            'ticket_status': {'product', 'order_no'}, 'order_status': {'order_no'}, 'cancel_order': {'order_no'}}
OPTIONAL = {'place_order': {'removed', 'unknown', 'order_no'}, 'report_sales': {'unknown', 'order_no'}}
ORD = re.compile(r'(SO|AS|QF)-(\d{8})-(\d{4})')
TODAY = datetime.date(2026, 12, 4)
texts = set(); n = 0
for ln, line in enumerate(open(os.path.join(here, FOLDER + '.jsonl'), encoding='utf-8'), 1):
    n += 1
    try: o = json.loads(line)
    except Exception as e: errs.append(f'{ln}: bad json {e}'); continue
    if set(o) != {'text','intent','slots','lang','kind'}: errs.append(f'{ln}: keys {set(o)}')
    t, it, sl = o.get('text'), o.get('intent'), o.get('slots')
    if not isinstance(t, str) or not t.strip(): errs.append(f'{ln}: empty text')
    if t in texts: errs.append(f'{ln}: duplicate text {t}')
    texts.add(t)
    if '##' in (t or ''): errs.append(f'{ln}: separator in text')
    if it not in INTENTS: errs.append(f'{ln}: intent {it}'); continue
    if o.get('lang') not in ('zh','en','mixed'): errs.append(f'{ln}: lang {o.get("lang")}')
    if not isinstance(o.get('kind'), str) or not re.fullmatch(r'[a-z_]+', o['kind']): errs.append(f'{ln}: kind')
    if not isinstance(sl, dict): errs.append(f'{ln}: slots not dict'); continue
    req = REQUIRED.get(it, set()); opt = OPTIONAL.get(it, {'order_no'})
    if not req <= set(sl): errs.append(f'{ln}: {it} missing {req - set(sl)}')
    if set(sl) - req - opt: errs.append(f'{ln}: {it} unexpected {set(sl) - req - opt}')
    if 'items' in sl:
        if not isinstance(sl['items'], list): errs.append(f'{ln}: items not list')
        else:
            seen = set()
            for x in sl['items']:
                if set(x) != {'sku','qty'}: errs.append(f'{ln}: item keys {x}')
                if x.get('sku') not in skus: errs.append(f'{ln}: unknown sku {x.get("sku")}')
                if x.get('sku') in seen: errs.append(f'{ln}: sku twice {x.get("sku")}')
                seen.add(x.get('sku'))
                q = x.get('qty')
                if not isinstance(q, (int, float)) or isinstance(q, bool) or q <= 0: errs.append(f'{ln}: qty {q}')
    for k in ('removed', 'unknown'):
        if k in sl:
            v = sl[k]
            if not isinstance(v, list) or not v: errs.append(f'{ln}: {k} must be non-empty list')
            elif k == 'removed':
                for s in v:
                    if s not in skus: errs.append(f'{ln}: removed sku {s} not in catalogue')
                    if s in {x['sku'] for x in sl.get('items', [])}: errs.append(f'{ln}: {s} both removed and item')
            else:
                for s in v:
                    if s in skus: errs.append(f'{ln}: unknown code {s} is in catalogue')
                    if s not in t: errs.append(f'{ln}: unknown code {s} not copied exactly from text')
    if 'product' in sl and sl['product'] is not None and sl['product'] not in skus:
        errs.append(f'{ln}: product {sl["product"]} not in catalogue')
    if 'order_no' in sl and sl['order_no'] is not None:
        m = ORD.fullmatch(sl['order_no'])
        if not m: errs.append(f'{ln}: order_no format {sl["order_no"]}')
        else:
            try:
                d = datetime.datetime.strptime(m.group(2), '%Y%m%d').date()
                if d >= TODAY: errs.append(f'{ln}: order_no date not before today {sl["order_no"]}')
            except ValueError: errs.append(f'{ln}: order_no bad date {sl["order_no"]}')
for e in errs: print('ERROR', e)
print(f'{n} lines checked, {len(skus)} skus, {len(errs)} errors')
sys.exit(1 if errs else 0)
