#!/usr/bin/env python3
"""Assemble the hand-written batch lines (intent|lang|kind|spec|text) into blind16.jsonl.
Only expands abbreviations and the slot spec written next to each line; shuffles with a fixed seed."""
import json, random, glob, os, collections, sys
HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.dirname(HERE)
INT = dict(po='place_order', rs='report_sales', qs='query_stock', os='order_status', co='cancel_order',
           pq='price_query', ts='ticket_status', **{'as': 'after_sales'}, qf='quality_feedback', sq='sales_query',
           cq='contract_query', cp='campaign_query', fq='faq', gr='greeting', hp='help', cn='cancel',
           ch='chitchat_other')
LANG = dict(z='zh', e='en', m='mixed')
KIND = dict(fam='family', pl='plain', dia='dialect', sym='symptom', svr='sales_vs_report', bq='batch_quality',
            rel='relative_order', cor='correction', en='english_short', num='numerals', py='pinyin_typo',
            mod='model_in_name', price='price', dn='date_note', spk='spoken', acc='account', tf='ticket_followup',
            oth='other', lv='list_verbs', unk='unknown_product', two='two_intents')
def sku(s): return s if s.startswith('JL-') else 'JL-' + s
rows = []
for fn in sorted(glob.glob(os.path.join(HERE, 'b*.txt'))):
    for ln, line in enumerate(open(fn, encoding='utf-8'), 1):
        line = line.rstrip('\n')
        if not line.strip() or line.startswith('#'): continue
        it, lg, kd, spec, text = line.split('|', 4)
        intent = INT[it]; text = text.replace('\\n', '\n')
        items, removed, unknown, product, order_no, has_no = [], [], [], None, None, False
        for tok in [t for t in spec.split(';') if t]:
            if tok.startswith('?'): unknown.append(tok[1:])
            elif tok.startswith('-'): removed.append(sku(tok[1:]))
            elif tok.startswith('p='): product = None if tok[2:] == '-' else sku(tok[2:])
            elif tok.startswith('no='):
                has_no = True; order_no = None if tok[3:] == '-' else tok[3:]
            else:
                s, q = tok.rsplit(':', 1); items.append({'sku': sku(s), 'qty': int(q)})
        sl = {}
        if intent in ('place_order', 'report_sales'):
            sl['items'] = items
            if removed: sl['removed'] = removed
            if unknown: sl['unknown'] = unknown
            if order_no: sl['order_no'] = order_no
        elif intent in ('query_stock', 'price_query', 'after_sales', 'quality_feedback', 'sales_query'):
            sl['product'] = product
            if order_no: sl['order_no'] = order_no
        elif intent == 'ticket_status':
            sl['product'] = product; sl['order_no'] = order_no
        elif intent in ('order_status', 'cancel_order'):
            sl['order_no'] = order_no
        else:
            assert not spec, (fn, ln)
        assert not (set(spec) and intent not in ('place_order','report_sales') and (items or removed or unknown)), (fn, ln)
        rows.append({'text': text, 'intent': intent, 'slots': sl, 'lang': LANG[lg], 'kind': KIND[kd]})
random.Random(16).shuffle(rows)
with open(os.path.join(OUT, 'blind16.jsonl'), 'w', encoding='utf-8') as f:
    for r in rows: f.write(json.dumps(r, ensure_ascii=False) + '\n')
if '--stats' in sys.argv:
    n = len(rows)
    for key in ('intent', 'lang', 'kind'):
        c = collections.Counter(r[key] for r in rows)
        print(f'## {key}'); [print(f'| {k} | {v} | {100*v/n:.1f}% |') for k, v in c.most_common()]
    for it in ('place_order', 'report_sales'):
        sub = [r for r in rows if r['intent'] == it]
        print(f'{it}: {len(sub)} lines, kind=family {sum(r["kind"]=="family" for r in sub)}, '
              f'>=2 items {sum(len(r["slots"]["items"])>=2 for r in sub)}, empty items {sum(not r["slots"]["items"] for r in sub)}, '
              f'with unknown {sum("unknown" in r["slots"] for r in sub)}, with removed {sum("removed" in r["slots"] for r in sub)}')
    print('total', n)
