#!/usr/bin/env python3
"""Assemble hand-written batch lines into dev35.jsonl.
Line format in _src/b*.txt:  <intent> <kind> <lang> ## <spec> ## <text>
intent abbreviations below; lang z/e/m; spec tokens separated by ';':
  SKU=qty (item, SKU without the KWD- prefix), -SKU (removed), ?words (unknown, copied from text),
  #ORDERNO (order_no), @SKU or @ (product, @ alone = null).  Literal \\n in text = newline."""
import glob, json, os, random, re, collections
here = os.path.dirname(os.path.abspath(__file__))
INT = {'po':'place_order','rs':'report_sales','qs':'query_stock','os':'order_status','co':'cancel_order',
       'pq':'price_query','ts':'ticket_status','as':'after_sales','qf':'quality_feedback','sq':'sales_query',
       'cq':'contract_query','cp':'campaign_query','faq':'faq','gr':'greeting','hl':'help','cn':'cancel',
       'ch':'chitchat_other'}
LANG = {'z':'zh','e':'en','m':'mixed'}
PROD = {'query_stock','price_query','after_sales','quality_feedback','sales_query','ticket_status'}
ORDREQ = {'order_status','cancel_order','ticket_status'}
out = []
for fn in sorted(glob.glob(os.path.join(here, 'b*.txt'))):
    for ln, raw in enumerate(open(fn, encoding='utf-8'), 1):
        raw = raw.rstrip('\n')
        if not raw.strip() or raw.startswith('//'): continue
        head, spec, text = re.split(r'\s*##\s?', raw, maxsplit=2)
        ia, kind, la = head.split()
        intent = INT[ia]; text = text.replace('\\n', '\n')
        slots = {}
        if intent in ('place_order', 'report_sales'): slots['items'] = []
        if intent in PROD: slots['product'] = None
        if intent in ORDREQ: slots['order_no'] = None
        for tok in [t.strip() for t in spec.split(';') if t.strip()]:
            if tok.startswith('@'):
                slots['product'] = ('KWD-' + tok[1:]) if tok[1:] else None
            elif tok.startswith('#'): slots['order_no'] = tok[1:]
            elif tok.startswith('-'): slots.setdefault('removed', []).append('KWD-' + tok[1:])
            elif tok.startswith('?'): slots.setdefault('unknown', []).append(tok[1:])
            elif '=' in tok:
                s, q = tok.split('='); slots['items'].append({'sku': 'KWD-' + s, 'qty': int(q)})
            else: raise SystemExit(f'{fn}:{ln} bad token {tok!r}')
        out.append({'text': text, 'intent': intent, 'slots': slots, 'lang': LANG[la], 'kind': kind})
random.Random(35).shuffle(out)
dst = os.path.join(os.path.dirname(here), 'dev35.jsonl')
with open(dst, 'w', encoding='utf-8') as f:
    for o in out: f.write(json.dumps(o, ensure_ascii=False) + '\n')
print(len(out), 'lines written')
for k in ('intent', 'lang', 'kind'):
    c = collections.Counter(o[k] for o in out)
    print(k, dict(sorted(c.items(), key=lambda x: -x[1])))
