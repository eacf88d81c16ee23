import json, collections, os
here = os.path.dirname(os.path.abspath(__file__))
L = [json.loads(l) for l in open(os.path.join(here, '..', 'dev34.jsonl'), encoding='utf-8')]
for key in ('intent', 'lang', 'kind'):
    c = collections.Counter(o[key] for o in L)
    print(f'### {key}\n' + '\n'.join(f'- {k}: {v}' for k, v in c.most_common()) + '\n')
po = [o for o in L if o['intent'] in ('place_order', 'report_sales')]
print(f'total {len(L)}; place_order+report_sales {len(po)}, of which kind=family {sum(o["kind"]=="family" for o in po)}; '
      f'with unknown {sum("unknown" in o["slots"] for o in po)}; with removed {sum("removed" in o["slots"] for o in po)}; '
      f'items [] {sum(not o["slots"]["items"] for o in po)}')
