#!/usr/bin/env python3
"""Assemble the hand-written batches (_src/b*.txt) into ../dev37.jsonl.
Line format: text ## intent ## slots ## kind [## lang]   (file default lang in a '#lang=xx' header line)
slots: SKU=qty (item, SKU without 'JC-'), -SKU (removed), u[as written] (unknown), p=SKU|0 (product / null),
       o=ORDERNO|0 (order_no / null), 'none' = nothing. '\\n' in text = newline."""
import json, random, re, glob, os, csv, collections
HERE = os.path.dirname(os.path.abspath(__file__)); OUT = os.path.dirname(HERE)
SKUS = {r['sku'] for r in csv.DictReader(open(os.path.join(OUT, 'catalogue.csv'), encoding='utf-8'))}
AB = {'po':'place_order','rs':'report_sales','qs':'query_stock','os':'order_status','co':'cancel_order',
      'pq':'price_query','ts':'ticket_status','as':'after_sales','qf':'quality_feedback','sq':'sales_query',
      'cq':'contract_query','cp':'campaign_query','faq':'faq','gr':'greeting','hp':'help','cx':'cancel','ch':'chitchat_other'}
PROD = {'query_stock','price_query','after_sales','quality_feedback','sales_query','ticket_status'}
ORDN = {'order_status','cancel_order','ticket_status'}
def sku(s):
    s = 'JC-' + s
    assert s in SKUS, s
    return s
rows, problems = [], []
for fn in sorted(glob.glob(os.path.join(HERE, 'b*.txt'))):
    lang0 = 'zh'
    for ln, line in enumerate(open(fn, encoding='utf-8'), 1):
        line = line.rstrip('\n')
        if line.startswith('#lang='): lang0 = line[6:].strip(); continue
        if not line.strip() or line.startswith('#'): continue
        parts = [p.strip() for p in line.split(' ## ')]
        if len(parts) not in (4, 5): problems.append(f'{fn}:{ln} fields {len(parts)}: {line}'); continue
        text, it, sl, kind = parts[:4]; lang = parts[4] if len(parts) == 5 else lang0
        text = text.replace('\\n', '\n'); intent = AB[it]
        unk = re.findall(r'u\[(.*?)\]', sl); sl = re.sub(r'u\[.*?\]', ' ', sl)
        items, removed, slots = [], [], {}
        for tok in sl.split():
            if tok == 'none': continue
            if tok.startswith('p='): slots['product'] = None if tok[2:] == '0' else sku(tok[2:])
            elif tok.startswith('o='): slots['order_no'] = None if tok[2:] == '0' else tok[2:]
            elif tok.startswith('-'): removed.append(sku(tok[1:]))
            elif '=' in tok:
                a, b = tok.split('='); q = float(b); items.append({'sku': sku(a), 'qty': int(q) if q == int(q) else q})
            else: problems.append(f'{fn}:{ln} token {tok}')
        if intent in ('place_order', 'report_sales'):
            slots = {'items': items, **({'removed': removed} if removed else {}),
                     **({'unknown': unk} if unk else {}), **({'order_no': slots['order_no']} if 'order_no' in slots else {})}
        else:
            if items or removed or unk: problems.append(f'{fn}:{ln} items on {intent}')
            if intent in PROD and 'product' not in slots: problems.append(f'{fn}:{ln} no p= on {intent}')
            if intent in ORDN: slots.setdefault('order_no', None)
            if intent not in PROD and 'product' in slots: problems.append(f'{fn}:{ln} p= on {intent}')
        rows.append({'text': text, 'intent': intent, 'slots': slots, 'lang': lang, 'kind': kind})
for p in problems: print('PROBLEM', p)
random.Random(37).shuffle(rows)
with open(os.path.join(OUT, 'dev37.jsonl'), 'w', encoding='utf-8') as f:
    for r in rows: f.write(json.dumps(r, ensure_ascii=False) + '\n')
print(len(rows), 'rows')
