#!/usr/bin/env python3
"""Print counts per intent / lang / kind of dev22.jsonl as markdown (pasted into README.md)."""
import json, collections, os
here = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
L = [json.loads(l) for l in open(os.path.join(here, 'dev22.jsonl'), encoding='utf-8')]
n = len(L)
for key in ('intent', 'lang', 'kind'):
    c = collections.Counter(o[key] for o in L)
    print(f'\n**{key}** (total {n})\n')
    print('| ' + key + ' | n | % |\n|---|---|---|')
    for k, v in c.most_common(): print(f'| {k} | {v} | {100*v/n:.1f} |')
po = [o for o in L if o['intent'] in ('place_order', 'report_sales')]
print(f"\nplace_order/report_sales lines with empty items: {sum(not o['slots']['items'] for o in po)}; "
      f"with removed: {sum('removed' in o['slots'] for o in po)}; with unknown: {sum('unknown' in o['slots'] for o in po)}; "
      f"with order_no: {sum('order_no' in o['slots'] for o in po)}; with 2+ items: {sum(len(o['slots']['items'])>1 for o in po)}")
