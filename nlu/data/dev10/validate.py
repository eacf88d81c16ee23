#!/usr/bin/env python3
"""Validate dev10.jsonl against catalogue.csv and the brief's labelling rules. Exit 1 on any error."""
import csv, json, re, sys, datetime, collections
HERE = sys.argv[1] if len(sys.argv) > 1 else '.'
INTENTS = {'place_order', 'query_stock', 'order_status', 'cancel_order', 'price_query', 'ticket_status',
           'after_sales', 'quality_feedback', 'report_sales', 'sales_query', 'contract_query', 'campaign_query',
           'faq', 'greeting', 'help', 'cancel', 'chitchat_other'}
PRODUCT_INTENTS = {'query_stock', 'price_query', 'after_sales', 'quality_feedback', 'ticket_status', 'sales_query'}
ORDER_REQUIRED = {'order_status', 'cancel_order', 'ticket_status'}
TODAY = datetime.date(2026, 12, 4)
errors = []

def err(n, msg):
    errors.append(f'line {n}: {msg}')

# catalogue
with open(f'{HERE}/catalogue.csv', encoding='utf-8') as f:
    header = f.readline().strip()
    if header != 'sku,name,aliases,category,unit,list_price,pack_size,moq,active':
        errors.append('catalogue: bad header')
    f.seek(0)
    cat = list(csv.DictReader(f))
skus = set()
for i, r in enumerate(cat, 2):
    if r['sku'] in skus:
        errors.append(f'catalogue row {i}: duplicate sku')
    skus.add(r['sku'])
    if not re.fullmatch(r'\d+\.\d\d', r['list_price']):
        errors.append(f'catalogue row {i}: price format')
    if not (r['pack_size'].isdigit() and r['moq'].isdigit()):
        errors.append(f'catalogue row {i}: pack/moq')
    if r['active'] != 'true':
        errors.append(f'catalogue row {i}: active')
    if len(r) != 9 or None in r:
        errors.append(f'catalogue row {i}: field count')
if not 60 <= len(cat) <= 80:
    errors.append(f'catalogue: {len(cat)} rows')

CJK = re.compile(r'[\u3400-\u9fff\u3007]')
ORD = re.compile(r'^(SO|AS|QF)-(\d{8})-(\d{4})$')
# latin tokens that do not make a zh line "mixed": units, codes, measurement words
ZH_OK = {'cm', 'l', 'dn', 'ppr', 'x', 'k', 'so', 'as', 'qf', 'pp'}
seen = set()
rows = []
with open(f'{HERE}/dev10.jsonl', encoding='utf-8') as f:
    for n, line in enumerate(f, 1):
        try:
            o = json.loads(line)
        except Exception as e:
            err(n, f'bad json {e}'); continue
        rows.append(o)
        if set(o) != {'text', 'intent', 'slots', 'lang', 'kind'}:
            err(n, f'keys {sorted(o)}'); continue
        t, it, s, lang, kind = o['text'], o['intent'], o['slots'], o['lang'], o['kind']
        if not t or t != t.strip():
            err(n, 'empty/unstripped text')
        if t in seen:
            err(n, 'duplicate text')
        seen.add(t)
        if it not in INTENTS:
            err(n, f'intent {it}')
        if not isinstance(kind, str) or not re.fullmatch(r'[a-z_]+', kind):
            err(n, f'kind {kind!r}')
        if not isinstance(s, dict):
            err(n, 'slots not object'); continue
        # allowed keys
        allowed, required = {'order_no'}, set()
        if it == 'place_order':
            allowed |= {'items', 'removed', 'unknown'}; required = {'items'}
        elif it == 'report_sales':
            allowed |= {'items', 'unknown'}; required = {'items'}
        if it in PRODUCT_INTENTS:
            allowed |= {'product'}; required |= {'product'}
        if it in ORDER_REQUIRED:
            required |= {'order_no'}
        for k in s:
            if k not in allowed:
                err(n, f'slot {k} not allowed for {it}')
        for k in required:
            if k not in s:
                err(n, f'missing slot {k}')
        # items
        if 'items' in s:
            if not isinstance(s['items'], list):
                err(n, 'items not list')
            else:
                for x in s['items']:
                    if set(x) != {'sku', 'qty'}:
                        err(n, f'item keys {x}')
                    elif x['sku'] not in skus:
                        err(n, f'unknown sku {x["sku"]}')
                    elif not (isinstance(x['qty'], int) and x['qty'] > 0):
                        err(n, f'qty {x["qty"]}')
                ss = [x.get('sku') for x in s['items']]
                if len(ss) != len(set(ss)):
                    err(n, 'duplicate sku in items')
        if 'removed' in s:
            if not s['removed'] or not isinstance(s['removed'], list):
                err(n, 'removed must be a non-empty list')
            else:
                for k in s['removed']:
                    if k not in skus:
                        err(n, f'removed sku {k} not in catalogue')
                    if any(x['sku'] == k for x in s.get('items', [])):
                        err(n, f'{k} both in items and removed')
        if 'unknown' in s:
            if not s['unknown'] or not isinstance(s['unknown'], list):
                err(n, 'unknown must be a non-empty list')
            else:
                for k in s['unknown']:
                    if k in skus:
                        err(n, f'unknown {k} is a catalogue sku')
                    if k not in t:
                        err(n, f'unknown {k} not copied exactly from text')
        if 'product' in s and s['product'] is not None and s['product'] not in skus:
            err(n, f'product {s["product"]} not in catalogue')
        if 'order_no' in s:
            v = s['order_no']
            if v is None:
                if it not in ORDER_REQUIRED:
                    err(n, 'null order_no only allowed on order/ticket intents')
                if re.search(r'\d{8}\D{0,3}\d{4}', t):
                    err(n, 'text has a full number but order_no is null')
            else:
                m = ORD.match(v)
                if not m:
                    err(n, f'order_no format {v}')
                else:
                    try:
                        d = datetime.datetime.strptime(m.group(2), '%Y%m%d').date()
                        if d >= TODAY:
                            err(n, f'order_no dated {d} not before today')
                    except ValueError:
                        err(n, f'order_no bad date {v}')
                    if it in ('order_status', 'cancel_order') and m.group(1) != 'SO':
                        err(n, 'order intents need SO-')
                    if it == 'ticket_status' and m.group(1) == 'SO':
                        err(n, 'ticket_status with SO- number')
        # lang
        if lang not in ('zh', 'en', 'mixed'):
            err(n, f'lang {lang}')
        has_cjk = bool(CJK.search(t))
        latin = [w.lower() for w in re.findall(r'[A-Za-z]+', t)]
        codes = set()
        for c in re.findall(r'[A-Za-z]+(?=[-_－]?\d)|[A-Z]+(?= \d)', t):
            codes.add(c.lower())
        words = [w for w in latin if w not in ZH_OK and w not in codes]
        if lang == 'en' and has_cjk:
            err(n, 'lang en but text has Chinese characters')
        if lang == 'zh' and words and has_cjk:
            err(n, f'lang zh but English words {words}')
        if lang == 'zh' and not has_cjk and kind != 'pinyin_typo':
            err(n, 'lang zh without Chinese characters (only pinyin allowed)')
        if lang == 'mixed' and not (has_cjk and words):
            err(n, 'lang mixed needs Chinese and English words')
        if lang == 'en' and not has_cjk and kind == 'pinyin_typo':
            err(n, 'pinyin text should be zh')
if len(rows) != 600:
    errors.append(f'{len(rows)} rows, expected 600')
for e in errors:
    print(e)
c = collections.Counter
print('rows', len(rows), 'errors', len(errors))
print('intent', dict(c(r['intent'] for r in rows).most_common()))
print('lang', dict(c(r['lang'] for r in rows).most_common()))
sys.exit(1 if errors else 0)
