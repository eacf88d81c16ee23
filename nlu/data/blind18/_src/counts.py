import json, collections, os
here = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
L = [json.loads(l) for l in open(os.path.join(here, 'blind18.jsonl'), encoding='utf-8')]
print(f'total {len(L)}')
for k in ('intent', 'lang', 'kind'):
    print(f'\n{k}:')
    for v, c in collections.Counter(o[k] for o in L).most_common(): print(f'  {v}: {c}')
po = [o for o in L if o['intent'] in ('place_order', 'report_sales')]
print(f'\nplace_order+report_sales: {len(po)}, kind family among them: {sum(o["kind"]=="family" for o in po)}, '
      f'items==[]: {sum(not o["slots"]["items"] for o in po)}, with unknown: {sum("unknown" in o["slots"] for o in po)}, '
      f'with removed: {sum("removed" in o["slots"] for o in po)}')
