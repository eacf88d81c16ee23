import json, collections, os
rows = [json.loads(l) for l in open(os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'dev37.jsonl'), encoding='utf-8')]
n = len(rows)
for key in ('intent', 'lang', 'kind'):
    c = collections.Counter(r[key] for r in rows)
    print(f'\n| {key} | n | % |\n|---|---|---|')
    for k, v in c.most_common(): print(f'| {k} | {v} | {100*v/n:.1f} |')
po = [r for r in rows if r['intent'] in ('place_order', 'report_sales')]
fam = sum(r['kind'] == 'family' for r in po)
print(f'\nplace_order+report_sales: {len(po)}, kind=family: {fam}')
print('with unknown:', sum('unknown' in r['slots'] for r in po), ' with removed:', sum('removed' in r['slots'] for r in po),
      ' items==[]:', sum(not r['slots']['items'] for r in po))
