#!/usr/bin/env python3
"""Assemble hand-written batch lines (_src/b*.txt) into blind10.jsonl. No text is generated here.
Line format:  kind lang ## text ## spec
  lang: z|e|m ; text: literal \\n = newline
  spec tokens: SKU*qty (RH- prefix added) | rm:SKU,SKU | unk:a;b | p:SKU or p:- | no:SO-...
Section header: @intent
"""
import glob, json, os, random, re, collections
here = os.path.dirname(os.path.abspath(__file__))
LANG = {'z': 'zh', 'e': 'en', 'm': 'mixed'}
ITEMS = {'place_order', 'report_sales'}
PROD = {'query_stock', 'price_query', 'after_sales', 'quality_feedback', 'sales_query', 'ticket_status'}
ORDN = {'order_status', 'cancel_order', 'ticket_status'}
out = []
for fn in sorted(glob.glob(os.path.join(here, 'b*.txt'))):
    intent = None
    for ln, raw in enumerate(open(fn, encoding='utf-8'), 1):
        raw = raw.rstrip('\n')
        if not raw.strip() or raw.startswith('#!'): continue
        if raw.startswith('@'): intent = raw[1:].strip(); continue
        parts = raw.split(' ## ')
        if len(parts) == 2: parts.append('')
        assert len(parts) == 3, (fn, ln, raw)
        kl, text, spec = parts
        kind, lang = kl.split()
        text = text.replace('\\n', '\n')
        slots = {}
        items, rm, unk, prod, no = [], [], [], None, None
        for tok in spec.split('|'):
            tok = tok.strip()
            if not tok: continue
            if tok.startswith('rm:'): rm = ['RH-' + s for s in tok[3:].split(',')]
            elif tok.startswith('unk:'): unk = tok[4:].split(';')
            elif tok.startswith('p:'): prod = None if tok[2:] == '-' else 'RH-' + tok[2:]
            elif tok.startswith('no:'): no = tok[3:]
            else:
                for it in tok.split():
                    s, q = it.split('*')
                    items.append({'sku': 'RH-' + s, 'qty': int(q)})
        if intent in ITEMS:
            slots['items'] = items
            if rm: slots['removed'] = rm
            if unk: slots['unknown'] = unk
        else:
            assert not items and not rm and not unk, (fn, ln)
        if intent in PROD: slots['product'] = prod
        else: assert prod is None, (fn, ln)
        if intent in ORDN or no: slots['order_no'] = no
        out.append({'text': text, 'intent': intent, 'slots': slots, 'lang': LANG[lang], 'kind': kind})
random.Random(10).shuffle(out)
with open(os.path.join(here, '..', 'blind10.jsonl'), 'w', encoding='utf-8') as f:
    for o in out: f.write(json.dumps(o, ensure_ascii=False) + '\n')
n = len(out)
print(n)
for key in ('intent', 'lang', 'kind'):
    c = collections.Counter(o[key] for o in out)
    print(key, ', '.join(f'{k} {v} ({100*v/n:.0f}%)' for k, v in c.most_common()))
po = [o for o in out if o['intent'] in ITEMS]
print('family among po+rs:', sum(o['kind'] == 'family' for o in po), '/', len(po))
