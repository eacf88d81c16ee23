#!/usr/bin/env python3
"""Print counts per intent / lang / kind of ../dev42.jsonl (markdown), and family share of orders/reports."""
import json, os, collections
here = os.path.dirname(os.path.abspath(__file__))
rows = [json.loads(l) for l in open(os.path.join(here, '..', 'dev42.jsonl'), encoding='utf-8')]
print(f'total: {len(rows)}\n')
for key in ('intent', 'lang', 'kind'):
    c = collections.Counter(r[key] for r in rows)
    print(f'| {key} | n | % |\n|---|---|---|')
    for k, v in c.most_common(): print(f'| {k} | {v} | {100*v/len(rows):.1f} |')
    print()
ob = [r for r in rows if r['intent'] in ('place_order', 'report_sales')]
print(f"place_order+report_sales lines: {len(ob)}, kind=family: {sum(r['kind']=='family' for r in ob)}, "
      f"with items: {sum(bool(r['slots']['items']) for r in ob)}, items=[]: {sum(not r['slots']['items'] for r in ob)}, "
      f"with unknown: {sum('unknown' in r['slots'] for r in ob)}, with removed: {sum('removed' in r['slots'] for r in ob)}")
