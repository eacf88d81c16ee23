#!/usr/bin/env python3
"""Assemble hand-written batch lines into dev22.jsonl.
Line format (one message per line, written by hand):
  text || intent lang kind || slot tokens
Slot tokens: SKU=qty (SKU without 'SB-'), -SKU (removed), ?<as written> (unknown), @SKU / @- (product),
#ORDER_NO / #- (order_no). Literal \\n in text = newline. Missing required keys get null / [].
The script only assembles; it does not create or combine phrases."""
import json, random, re, glob, os
AB = {'po':'place_order','qs':'query_stock','os':'order_status','co':'cancel_order','pq':'price_query',
      'ts':'ticket_status','as':'after_sales','qf':'quality_feedback','rs':'report_sales','sq':'sales_query',
      'cq':'contract_query','cp':'campaign_query','fq':'faq','gr':'greeting','hp':'help','cx':'cancel',
      'ch':'chitchat_other'}
PRODUCT = {'query_stock','price_query','after_sales','quality_feedback','ticket_status','sales_query'}
ORDERNULL = {'order_status','cancel_order','ticket_status'}
out = []
here = os.path.dirname(os.path.abspath(__file__))
for fn in sorted(glob.glob(os.path.join(here, 'b*.txt'))):
    for n, line in enumerate(open(fn, encoding='utf-8'), 1):
        line = line.rstrip('\n')
        if not line.strip() or line.startswith('//'): continue
        parts = [x.strip() for x in line.split('||')]
        if parts[-1] == '': parts = parts[:-1]
        assert len(parts) in (2, 3), (fn, n, line)
        text = line.split('||')[0].rstrip(' ').replace('\\n', '\n')
        code = parts[1].split()
        assert len(code) == 3, (fn, n, line)
        intent = AB[code[0]]; lang = code[1]; kind = code[2]
        toks = parts[2] if len(parts) == 3 else ''
        slots = {}
        items, removed, unknown = [], [], []
        for m in re.finditer(r'\?<([^>]*)>|(\S+)', toks):
            if m.group(1) is not None: unknown.append(m.group(1)); continue
            t = m.group(2)
            if t.startswith('@'): slots['product'] = None if t == '@-' else 'SB-' + t[1:]
            elif t.startswith('#'): slots['order_no'] = None if t == '#-' else t[1:]
            elif t.startswith('-'): removed.append('SB-' + t[1:])
            elif '=' in t:
                s, q = t.split('='); q = float(q); q = int(q) if q == int(q) else q
                items.append({'sku': 'SB-' + s, 'qty': q})
            else: raise SystemExit(f'bad token {t} in {fn}:{n}')
        if intent in ('place_order', 'report_sales'):
            slots = {'items': items, **({'removed': removed} if removed else {}),
                     **({'unknown': unknown} if unknown else {}),
                     **({'order_no': slots['order_no']} if 'order_no' in slots else {})}
        else:
            assert not items and not removed and not unknown, (fn, n, line)
            if intent in PRODUCT: slots.setdefault('product', None)
            if intent in ORDERNULL: slots.setdefault('order_no', None)
        out.append({'text': text, 'intent': intent, 'slots': slots, 'lang': lang, 'kind': kind})
random.Random(22).shuffle(out)
dst = os.path.join(os.path.dirname(here), 'dev22.jsonl')
with open(dst, 'w', encoding='utf-8') as f:
    for o in out: f.write(json.dumps(o, ensure_ascii=False) + '\n')
print(len(out), 'lines ->', dst)
