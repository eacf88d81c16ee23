import json, collections, os
rows = [json.loads(l) for l in open(os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'dev29.jsonl'), encoding='utf-8')]
for k in ('intent', 'lang', 'kind'):
    c = collections.Counter(r[k] for r in rows)
    print(f'### {k}\n' + '\n'.join(f'| {a} | {b} |' for a, b in c.most_common()) + '\n')
po = [r for r in rows if r['intent'] in ('place_order', 'report_sales')]
print('place_order+report_sales:', len(po), ' of which kind=family:', sum(r['kind'] == 'family' for r in po))
print('total', len(rows))
