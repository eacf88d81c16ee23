import json, collections, sys
L = [json.loads(l) for l in open(sys.argv[1], encoding='utf-8')]
print(f'total: {len(L)}')
for k in ('intent', 'lang', 'kind'):
    print(f'\n{k}:')
    for v, n in collections.Counter(o[k] for o in L).most_common(): print(f'  {v}: {n}')
