#!/usr/bin/env python3
"""Assemble hand-written batch lines (text ## intent ## slots ## lang ## kind) into dev25.jsonl.
slots: tokens separated by ';' : SKU*qty | rm=SKU | unk=text | no=ORDER | p=SKU (p=- or absent -> null)."""
import json, random, glob, os, collections
here = os.path.dirname(os.path.abspath(__file__))
IA = {'po':'place_order','qs':'query_stock','os':'order_status','co':'cancel_order','pq':'price_query',
      'ts':'ticket_status','as':'after_sales','qf':'quality_feedback','rs':'report_sales','sq':'sales_query',
      'cq':'contract_query','cp':'campaign_query','faq':'faq','gr':'greeting','hp':'help','cx':'cancel','cc':'chitchat_other'}
KA = {'fam':'family','cor':'correction','num':'numerals','lv':'list_verbs','unk':'unknown_product','two':'two_intents',
      'es':'english_short','dia':'dialect','py':'pinyin_typo','rel':'relative_order','bq':'batch_quality','sym':'symptom',
      'svr':'sales_vs_report','tf':'ticket_followup','acc':'account','mn':'model_in_name','dn':'date_note','sp':'spoken',
      'pl':'plain','pr':'price','oth':'other'}
LA = {'z':'zh','e':'en','m':'mixed'}
PROD = {'query_stock','price_query','after_sales','quality_feedback','sales_query','ticket_status'}
ORDN = {'order_status','cancel_order','ticket_status'}
out = []
for fn in sorted(glob.glob(os.path.join(here, 'batch*.txt'))):
    for ln, line in enumerate(open(fn, encoding='utf-8'), 1):
        line = line.rstrip('\n')
        if not line.strip() or line.startswith('#'): continue
        parts = [p.strip() for p in line.split('##')]
        assert len(parts) == 5, (fn, ln, line)
        text, it, sl, lang, kind = parts
        text = text.replace('\\n', '\n')
        intent = IA[it]
        slots = {}
        if intent in ('place_order', 'report_sales'): slots['items'] = []
        if intent in PROD: slots['product'] = None
        if intent in ORDN: slots['order_no'] = None
        for tok in [t.strip() for t in sl.split(';') if t.strip()]:
            if tok.startswith('rm='): slots.setdefault('removed', []).append(tok[3:])
            elif tok.startswith('unk='): slots.setdefault('unknown', []).append(tok[4:])
            elif tok.startswith('no='): slots['order_no'] = tok[3:]
            elif tok.startswith('p='): slots['product'] = None if tok[2:] == '-' else tok[2:]
            elif '*' in tok:
                s, q = tok.rsplit('*', 1); slots['items'].append({'sku': s, 'qty': int(q)})
            else: raise ValueError((fn, ln, tok))
        out.append({'text': text, 'intent': intent, 'slots': slots, 'lang': LA[lang], 'kind': KA.get(kind, kind)})
random.Random(25).shuffle(out)
with open(os.path.join(os.path.dirname(here), 'dev25.jsonl'), 'w', encoding='utf-8') as f:
    for o in out: f.write(json.dumps(o, ensure_ascii=False) + '\n')
for key in ('intent', 'lang', 'kind'):
    c = collections.Counter(o[key] for o in out)
    print(key, len(out), dict(sorted(c.items(), key=lambda x: -x[1])))
