import json, collections, os, sys
p = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), 'blind14.jsonl')
rows = [json.loads(l) for l in open(p, encoding='utf-8')]
n = len(rows)
for key in ('intent', 'lang', 'kind'):
    c = collections.Counter(r[key] for r in rows)
    print(f'### {key}')
    for k, v in c.most_common(): print(f'- {k}: {v} ({100*v/n:.1f}%)')
po = [r for r in rows if r['intent'] in ('place_order', 'report_sales')]
print('### place_order/report_sales with kind family:', sum(r['kind']=='family' for r in po), 'of', len(po))
for it in ('place_order','report_sales'):
    sub=[r for r in rows if r['intent']==it]
    print(f'- {it}: family {sum(r["kind"]=="family" for r in sub)} / {len(sub)}; empty items {sum(not r["slots"]["items"] for r in sub)}; with unknown {sum("unknown" in r["slots"] for r in sub)}; with removed {sum("removed" in r["slots"] for r in sub)}; multi-item {sum(len(r["slots"]["items"])>1 for r in sub)}')
print('### intent x lang')
c = collections.Counter((r['intent'], r['lang']) for r in rows)
for it in sorted({r['intent'] for r in rows}):
    print(f'- {it}: ' + ', '.join(f'{l} {c[(it,l)]}' for l in ('zh','en','mixed')))
print('total', n)
