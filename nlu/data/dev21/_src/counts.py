import json, collections, os
here = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
rows = [json.loads(l) for l in open(os.path.join(here, 'dev21.jsonl'), encoding='utf-8')]
out = [f'Total: {len(rows)} messages', '']
for k in ('intent', 'lang', 'kind'):
    out.append(f'| {k} | n | % |'); out.append('|---|---|---|')
    for v, n in collections.Counter(r[k] for r in rows).most_common():
        out.append(f'| {v} | {n} | {100*n/len(rows):.1f} |')
    out.append('')
po = [r for r in rows if r['intent'] in ('place_order', 'report_sales')]
out.append(f"place_order+report_sales lines with kind=family: {sum(r['kind']=='family' for r in po)} / {len(po)}; "
           f"with unknown: {sum('unknown' in r['slots'] for r in po)}; with removed: {sum('removed' in r['slots'] for r in po)}; "
           f"with items == []: {sum(not r['slots']['items'] for r in po)}")
print('\n'.join(out))
