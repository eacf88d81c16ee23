#!/usr/bin/env python3
"""Assemble the hand-written batch lines (text ## intent ## slots ## lang ## kind) into dev40.jsonl.
Only parses what was written by hand next to each line; shuffles with a fixed seed."""
import json, random, glob, os, collections
HERE = os.path.dirname(os.path.abspath(__file__)); OUT = os.path.dirname(HERE)
INT = dict(po='place_order', rs='report_sales', qs='query_stock', os='order_status', co='cancel_order',
           pq='price_query', ts='ticket_status', **{'as': 'after_sales'}, qf='quality_feedback', sq='sales_query',
           cq='contract_query', cp='campaign_query', faq='faq', gr='greeting', hp='help', cx='cancel',
           ch='chitchat_other')
LANG = dict(z='zh', e='en', m='mixed')
sku = lambda c: 'JF-' + c.strip()
rows = []
for fn in sorted(glob.glob(os.path.join(HERE, 'b*.txt'))):
    for ln in open(fn, encoding='utf-8'):
        ln = ln.rstrip('\n')
        if not ln.strip(): continue
        parts = [p.strip() for p in ln.split(' ## ')]
        assert len(parts) == 5, (fn, ln)
        text, it, sp, lang, kind = parts
        text = text.replace('\\n', '\n')
        it = INT[it]; slots = {}
        kv = {}
        if sp != '-':
            for tok in sp.split(';'):
                k, _, v = tok.partition('='); kv[k.strip()] = v.strip()
        if it in ('place_order', 'report_sales'):
            slots['items'] = [{'sku': sku(a.split(':')[0]), 'qty': int(a.split(':')[1])}
                              for a in kv.get('i', '').split(',') if a.strip()]
            if kv.get('rm'): slots['removed'] = [sku(a) for a in kv['rm'].split(',')]
            if kv.get('u'): slots['unknown'] = kv['u'].split('|')
        if it in ('query_stock', 'price_query', 'after_sales', 'quality_feedback', 'sales_query', 'ticket_status'):
            slots['product'] = sku(kv['p']) if kv.get('p') else None
        if it in ('order_status', 'cancel_order', 'ticket_status'):
            slots['order_no'] = kv.get('no') or None
        elif kv.get('no'):
            slots['order_no'] = kv['no']
        rows.append({'text': text, 'intent': it, 'slots': slots, 'lang': LANG[lang], 'kind': kind})
random.Random(40).shuffle(rows)
with open(os.path.join(OUT, 'dev40.jsonl'), 'w', encoding='utf-8') as f:
    for r in rows: f.write(json.dumps(r, ensure_ascii=False) + '\n')
tot = len(rows)
out = [f'total: {tot}']
for key in ('intent', 'lang', 'kind'):
    c = collections.Counter(r[key] for r in rows)
    out.append(f'\n{key}:')
    out += [f'  {k}: {v} ({100*v/tot:.1f}%)' for k, v in c.most_common()]
fam = sum(1 for r in rows if r['intent'] in ('place_order','report_sales') and r['kind']=='family')
out.append(f'\nfamily-kind lines among place_order+report_sales: {fam} of {sum(1 for r in rows if r["intent"] in ("place_order","report_sales"))}')
open(os.path.join(HERE, 'counts.txt'), 'w').write('\n'.join(out) + '\n')
print('\n'.join(out))
