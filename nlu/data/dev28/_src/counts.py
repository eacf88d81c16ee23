import json, collections, os
L = [json.loads(l) for l in open(os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'dev28.jsonl'), encoding='utf-8')]
print(f'total {len(L)}')
for key in ('intent', 'lang', 'kind'):
    c = collections.Counter(o[key] for o in L)
    print(f'\n{key}:')
    for k, v in c.most_common(): print(f'  {k:18s} {v:4d}  {100*v/len(L):5.1f}%')
po = [o for o in L if o['intent'] in ('place_order', 'report_sales')]
print(f"\nplace_order+report_sales {len(po)}: kind family {sum(o['kind']=='family' for o in po)}, items [] {sum(not o['slots']['items'] for o in po)}, "
      f"with unknown {sum('unknown' in o['slots'] for o in po)}, with removed {sum('removed' in o['slots'] for o in po)}, with order_no {sum('order_no' in o['slots'] for o in po)}")
