import json, collections, os
here = os.path.dirname(os.path.abspath(__file__))
L = [json.loads(l) for l in open(os.path.join(here, '..', 'dev41.jsonl'), encoding='utf-8')]
print(f'total: {len(L)}\n')
for k in ('intent', 'lang', 'kind'):
    print(f'by {k}:')
    for v, n in collections.Counter(o[k] for o in L).most_common(): print(f'  {v}: {n}')
    print()
p = [o for o in L if o['intent'] in ('place_order', 'report_sales')]
print(f'place_order+report_sales: {len(p)}; kind family: {sum(o["kind"]=="family" for o in p)}; items []: {sum(not o["slots"]["items"] for o in p)}; with unknown: {sum("unknown" in o["slots"] for o in p)}; with removed: {sum("removed" in o["slots"] for o in p)}')
