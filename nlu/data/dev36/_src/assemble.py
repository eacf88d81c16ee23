#!/usr/bin/env python3
"""Assemble hand-written batch lines (_src/b*.txt) into dev36.jsonl.
Line format: text ## intent ## slots ## lang ## kind
slots tokens separated by '|': SKU=qty (item, SKU without 'BLS-'), -SKU (removed), ?text (unknown, as written),
p:SKU / p: (product / null), o:ORDER (order_no). Missing required keys are filled with []/null.
In text, a literal backslash-n stands for a newline typed by the dealer."""
import glob, json, os, random, re
here = os.path.dirname(os.path.abspath(__file__))
I = dict(PO='place_order', RS='report_sales', QS='query_stock', OS='order_status', CO='cancel_order',
         PQ='price_query', TS='ticket_status', AS='after_sales', QF='quality_feedback', SQ='sales_query',
         CQ='contract_query', CP='campaign_query', FAQ='faq', GR='greeting', HE='help', CA='cancel', CH='chitchat_other')
L = dict(z='zh', e='en', m='mixed')
K = dict(fam='family', cor='correction', num='numerals', dia='dialect', sym='symptom', svr='sales_vs_report',
         bq='batch_quality', rel='relative_order', en='english_short', py='pinyin_typo', mod='model_in_name',
         date='date_note', spk='spoken', acc='account', tf='ticket_followup', oth='other', lv='list_verbs',
         unk='unknown_product', two='two_intents')
PROD = {'QS', 'PQ', 'AS', 'QF', 'SQ', 'TS'}
ORDR = {'OS', 'CO', 'TS'}
out = []
for fn in sorted(glob.glob(os.path.join(here, 'b*.txt'))):
    for n, raw in enumerate(open(fn, encoding='utf-8'), 1):
        raw = raw.rstrip('\n')
        if not raw.strip() or raw.startswith('#'): continue
        parts = [p.strip() for p in raw.split('##')]
        assert len(parts) == 5, (fn, n, raw)
        text, it, sl, lg, kd = parts
        text = text.replace('\\n', '\n')
        slots = {}
        if it in ('PO', 'RS'): slots['items'] = []
        if it in PROD: slots['product'] = None
        if it in ORDR: slots['order_no'] = None
        for tok in [t for t in sl.split('|') if t.strip()]:
            tok = tok.strip()
            if tok.startswith('p:'): slots['product'] = ('BLS-' + tok[2:]) if tok[2:] else None
            elif tok.startswith('o:'): slots['order_no'] = tok[2:] or None
            elif tok.startswith('?'): slots.setdefault('unknown', []).append(tok[1:])
            elif tok.startswith('-'): slots.setdefault('removed', []).append('BLS-' + tok[1:])
            else:
                s, q = tok.split('=')
                slots['items'].append({'sku': 'BLS-' + s, 'qty': int(q)})
        out.append({'text': text, 'intent': I[it], 'slots': slots, 'lang': L[lg], 'kind': K.get(kd, kd)})
random.Random(36).shuffle(out)
with open(os.path.join(os.path.dirname(here), 'dev36.jsonl'), 'w', encoding='utf-8') as f:
    for o in out: f.write(json.dumps(o, ensure_ascii=False) + '\n')
print(len(out), 'lines written')
