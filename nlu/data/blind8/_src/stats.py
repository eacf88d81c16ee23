#!/usr/bin/env python3
import json, os, collections
here = os.path.dirname(os.path.abspath(__file__))
rows = [json.loads(l) for l in open(os.path.join(here, os.path.basename(here) + '.jsonl'), encoding='utf-8')]
for k in ('intent', 'lang', 'kind'):
    c = collections.Counter(r[k] for r in rows)
    print(f'## {k}'); [print(f'{v:4d} {n} ({100*v/len(rows):.1f}%)') for n, v in c.most_common()]
po = [r for r in rows if r['intent'] == 'place_order']
print('place_order with 2-4 items:', sum(2 <= len(r['slots']['items']) <= 4 for r in po), '/', len(po))
print('total', len(rows))
