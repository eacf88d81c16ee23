#!/usr/bin/env python3
"""Assemble hand-written batch lines (b*.txt) into ../dev20.jsonl. Only parses; no text generation.
Record format: text ## intent ## slots ## lang ## kind ; lines without '##' continue the previous text (newline)."""
import json, glob, os, random, collections, re
here = os.path.dirname(os.path.abspath(__file__))
IA = dict(po='place_order', rs='report_sales', qs='query_stock', os='order_status', co='cancel_order',
          pq='price_query', ts='ticket_status', as_='after_sales', qf='quality_feedback', sq='sales_query',
          cq='contract_query', cp='campaign_query', faq='faq', gr='greeting', hp='help', cn='cancel', ch='chitchat_other')
IA['as'] = IA.pop('as_')
LANG = dict(z='zh', e='en', m='mixed')
PROD = {'query_stock','price_query','after_sales','quality_feedback','sales_query','ticket_status'}
ONREQ = {'order_status','cancel_order','ticket_status'}
def sku(s): return 'HY-' + s
recs = []
for fn in sorted(glob.glob(os.path.join(here, 'b*.txt'))):
    buf = []
    for line in open(fn, encoding='utf-8'):
        line = line.rstrip('\n')
        if not line.strip(): continue
        if '##' not in line: buf.append(line); continue
        parts = [p.strip() for p in re.split(r'\s*##\s*', line)]
        assert len(parts) == 5, (fn, line)
        text = '\n'.join(buf + [parts[0]]); buf = []
        intent = IA[parts[1].strip()]; sl = parts[2].strip(); slots = {}
        unk = None
        if 'unk=' in sl:
            sl, unk = sl.split('unk=', 1); unk = [u for u in unk.split(';;')]
        items = []
        for tok in sl.split():
            if tok.startswith('rm='): slots['removed'] = [sku(x) for x in tok[3:].split(',')]
            elif tok.startswith('on='): slots['order_no'] = None if tok[3:] == '-' else tok[3:]
            elif tok.startswith('p='): slots['product'] = None if tok[2:] == '-' else sku(tok[2:])
            else:
                s, q = tok.rsplit(':', 1); items.append({'sku': sku(s), 'qty': int(q)})
        if intent in ('place_order', 'report_sales'):
            slots = {'items': items, **slots}
            if unk: slots['unknown'] = unk
        else:
            assert not items and not unk, line
            if intent in PROD: slots.setdefault('product', None)
            if intent in ONREQ: slots.setdefault('order_no', None)
        recs.append(dict(text=text, intent=intent, slots=slots, lang=LANG[parts[3].strip()], kind=parts[4].strip()))
    assert not buf, fn
random.Random(20).shuffle(recs)
with open(os.path.join(here, '..', 'dev20.jsonl'), 'w', encoding='utf-8') as f:
    for r in recs: f.write(json.dumps(r, ensure_ascii=False) + '\n')
print(len(recs))
for k in ('intent', 'lang', 'kind'):
    print(k, dict(collections.Counter(r[k] for r in recs).most_common()))
po = [r for r in recs if r['intent'] in ('place_order','report_sales')]
print('po+rs', len(po), 'family kind', sum(r['kind']=='family' for r in po))
