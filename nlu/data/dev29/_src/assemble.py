#!/usr/bin/env python3
"""Assemble the hand-written batch files (_src/b*.txt) into dev29.jsonl.
Line format (hand-written):  intent ## kind ## lang ## text ## slot tokens
slot tokens separated by ';':  SKU*qty (item), -SKU (removed), ?text (unknown), #ORDER|#null (order_no), @SKU|@null (product)
SKUs are written without the 'LY-' prefix. '\\n' in text is a newline. The script only parses, fills defaults, shuffles."""
import glob, json, os, random, sys
HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.dirname(HERE)
AB = {'po':'place_order','rs':'report_sales','qs':'query_stock','os':'order_status','co':'cancel_order',
      'pq':'price_query','ts':'ticket_status','as':'after_sales','qf':'quality_feedback','sq':'sales_query',
      'ct':'contract_query','cp':'campaign_query','faq':'faq','gr':'greeting','help':'help','cancel':'cancel',
      'chit':'chitchat_other'}
PROD = {'query_stock','price_query','after_sales','quality_feedback','sales_query','ticket_status'}
ORDR = {'order_status','cancel_order','ticket_status'}
def sku(s): return s if s.startswith('LY-') else 'LY-' + s
rows = []
for fn in sorted(glob.glob(os.path.join(HERE, 'b*.txt'))):
    for n, line in enumerate(open(fn, encoding='utf-8'), 1):
        line = line.rstrip('\n')
        if not line.strip() or line.startswith('//'): continue
        parts = line.split(' ## ')
        if len(parts) == 4: parts.append('')
        if len(parts) != 5: sys.exit(f'{fn}:{n}: bad line {line}')
        ab, kind, lang, text, sl = [p.strip() for p in parts]
        intent = AB[ab]; text = text.replace('\\n', '\n')
        slots = {}
        items, removed, unknown = [], [], []
        for tok in [t.strip() for t in sl.split(';') if t.strip()]:
            if tok[0] == '-': removed.append(sku(tok[1:]))
            elif tok[0] == '?': unknown.append(tok[1:])
            elif tok[0] == '#': slots['order_no'] = None if tok[1:] == 'null' else tok[1:]
            elif tok[0] == '@': slots['product'] = None if tok[1:] == 'null' else sku(tok[1:])
            elif '*' in tok:
                s, q = tok.rsplit('*', 1); items.append({'sku': sku(s), 'qty': int(q)})
            else: sys.exit(f'{fn}:{n}: bad token {tok}')
        if intent in ('place_order', 'report_sales'):
            slots = dict(items=items, **({'removed': removed} if removed else {}),
                         **({'unknown': unknown} if unknown else {}), **slots)
        elif items or removed or unknown: sys.exit(f'{fn}:{n}: items on {intent}')
        if intent in PROD: slots.setdefault('product', None)
        if intent in ORDR: slots.setdefault('order_no', None)
        rows.append({'text': text, 'intent': intent, 'slots': slots, 'lang': lang, 'kind': kind})
random.Random(29).shuffle(rows)
with open(os.path.join(OUT, 'dev29.jsonl'), 'w', encoding='utf-8') as f:
    for r in rows: f.write(json.dumps(r, ensure_ascii=False) + '\n')
print(len(rows), 'rows')
