#!/usr/bin/env python3
"""Counts per intent / lang / kind of blind7.jsonl."""
import json, os, collections
here = os.path.dirname(os.path.abspath(__file__))
rows = [json.loads(l) for l in open(os.path.join(here, 'blind7.jsonl'), encoding='utf-8')]
for key in ('intent', 'lang', 'kind'):
    c = collections.Counter(r[key] for r in rows)
    print(f'## {key}')
    for k, v in c.most_common(): print(f'{k:18s} {v}')
po = [r for r in rows if r['intent'] == 'place_order']
multi = sum(1 for r in po if 2 <= len(r['slots']['items']) <= 4)
print(f'place_order with 2-4 items: {multi}/{len(po)}')
print('total', len(rows))
