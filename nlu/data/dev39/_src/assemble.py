#!/usr/bin/env python3
"""Assemble hand-written batch lines (text ## intent ## spec ## lang ## kind) into dev39.jsonl.
spec tokens: SKU*qty (item), -SKU (removed), ?{text} (unknown), o:ORDERNO, p:SKU or p:- (product). KA- prefix added."""
import json, re, random, glob, os
AB = {'po':'place_order','rs':'report_sales','qs':'query_stock','os':'order_status','co':'cancel_order',
      'pq':'price_query','ts':'ticket_status','as':'after_sales','qf':'quality_feedback','sq':'sales_query',
      'cq':'contract_query','cp':'campaign_query','faq':'faq','gr':'greeting','hp':'help','cx':'cancel','ch':'chitchat_other'}
LG = {'z':'zh','e':'en','m':'mixed'}
here = os.path.dirname(os.path.abspath(__file__))
out = []
for fn in sorted(glob.glob(os.path.join(here, 'batch_*.txt'))):
    for ln, line in enumerate(open(fn, encoding='utf-8'), 1):
        line = line.rstrip('\n')
        if not line.strip() or line.startswith('#'): continue
        parts = [p.strip() for p in re.split(r'\s*##\s*', line)]
        assert len(parts) == 5, (fn, ln, line)
        text, it, spec, lang, kind = parts
        text = text.replace('\\n', '\n')
        intent = AB[it]
        unk = re.findall(r'\?\{([^}]*)\}', spec); spec2 = re.sub(r'\?\{[^}]*\}', ' ', spec)
        items, removed, order, prod, has_p = [], [], None, None, False
        for tok in spec2.split():
            if tok.startswith('o:'): order = tok[2:]
            elif tok.startswith('p:'):
                has_p = True; prod = None if tok[2:] == '-' else 'KA-' + tok[2:]
            elif tok.startswith('-'): removed.append('KA-' + tok[1:])
            elif '*' in tok:
                s, q = tok.rsplit('*', 1); items.append({'sku': 'KA-' + s, 'qty': int(q)})
            else: raise SystemExit(f'{fn}:{ln} bad token {tok}')
        sl = {}
        if intent in ('place_order', 'report_sales'):
            sl['items'] = items
            if removed: sl['removed'] = removed
            if unk: sl['unknown'] = unk
            if order: sl['order_no'] = order
        elif intent in ('query_stock','price_query','after_sales','quality_feedback','sales_query'):
            sl['product'] = prod
            if order: sl['order_no'] = order
        elif intent == 'ticket_status':
            sl['product'] = prod; sl['order_no'] = order
        elif intent in ('order_status', 'cancel_order'):
            sl['order_no'] = order
        else:
            if order: sl['order_no'] = order
        assert not (items or removed or unk) or intent in ('place_order','report_sales'), (fn, ln)
        assert not has_p or 'product' in sl, (fn, ln)
        out.append({'text': text, 'intent': intent, 'slots': sl, 'lang': LG[lang], 'kind': kind})
random.Random(39).shuffle(out)
with open(os.path.join(here, '..', 'dev39.jsonl'), 'w', encoding='utf-8') as f:
    for o in out: f.write(json.dumps(o, ensure_ascii=False) + '\n')
print(len(out), 'lines')
