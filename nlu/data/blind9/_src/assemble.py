#!/usr/bin/env python3
"""Assemble hand-written batch lines (text ## intent ## slots ## lang ## kind) into blind9.jsonl.
slots shorthand, ';'-separated: SKU:qty item (AW- prefix added), -SKU removed, ?text unknown,
o=ORDER (o= alone -> null), p=SKU (p= alone -> null)."""
import glob, json, os, random
AB = dict(po='place_order', rs='report_sales', qs='query_stock', os='order_status', co='cancel_order',
          pq='price_query', ts='ticket_status', as_='after_sales', qf='quality_feedback', sq='sales_query',
          cq='contract_query', cp='campaign_query', fq='faq', gr='greeting', hp='help', cn='cancel', ch='chitchat_other')
AB['as'] = 'after_sales'
LANG = dict(z='zh', e='en', m='mixed')
here = os.path.dirname(os.path.abspath(__file__))
out = []
for fn in sorted(glob.glob(os.path.join(here, 'batch_*.txt'))):
    for n, line in enumerate(open(fn, encoding='utf-8'), 1):
        line = line.rstrip('\n')
        if not line.strip() or line.startswith('#!'):
            continue
        parts = [p.strip() for p in line.split('##')]
        assert len(parts) == 5, (fn, n, line)
        text, ab, sl, lang, kind = parts
        text = text.replace('\\n', '\n')
        intent = AB[ab]
        slots = {}
        if intent in ('place_order', 'report_sales'):
            slots['items'] = []
        if intent in ('query_stock', 'price_query', 'after_sales', 'quality_feedback', 'sales_query', 'ticket_status'):
            slots['product'] = None
        if intent in ('order_status', 'cancel_order', 'ticket_status'):
            slots['order_no'] = None
        for tok in [t.strip() for t in sl.split(';') if t.strip()]:
            if tok.startswith('o='):
                slots['order_no'] = tok[2:] or None
            elif tok.startswith('p='):
                slots['product'] = ('AW-' + tok[2:]) if tok[2:] else None
            elif tok.startswith('?'):
                slots.setdefault('unknown', []).append(tok[1:])
            elif tok.startswith('-'):
                slots.setdefault('removed', []).append('AW-' + tok[1:])
            else:
                s, q = tok.rsplit(':', 1)
                slots['items'].append({'sku': 'AW-' + s, 'qty': int(q)})
        out.append(dict(text=text, intent=intent, slots=slots, lang=LANG[lang], kind=kind))
random.Random(9).shuffle(out)
with open(os.path.join(os.path.dirname(here), 'blind9.jsonl'), 'w', encoding='utf-8') as f:
    for o in out:
        f.write(json.dumps(o, ensure_ascii=False) + '\n')
print(len(out), 'lines')
