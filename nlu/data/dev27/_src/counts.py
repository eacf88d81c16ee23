#!/usr/bin/env python3
"""Print counts per intent / lang / kind of ../dev27.jsonl as markdown (pasted into README.md)."""
import json, os, collections as C
here = os.path.dirname(os.path.abspath(__file__))
L = [json.loads(l) for l in open(os.path.join(here, '..', 'dev27.jsonl'), encoding='utf-8')]
print(f'Total lines: {len(L)}\n')
for k in ('intent', 'lang', 'kind'):
    c = C.Counter(o[k] for o in L)
    print(f'| {k} | n |\n|---|---|')
    for a, b in sorted(c.items(), key=lambda x: (-x[1], x[0])): print(f'| {a} | {b} |')
    print()
po = [o for o in L if o['intent'] in ('place_order', 'report_sales')]
print(f"place_order + report_sales lines: {len(po)}; kind=family among them: {sum(o['kind']=='family' for o in po)}; "
      f"with items=[]: {sum(not o['slots']['items'] for o in po)}; with unknown: {sum('unknown' in o['slots'] for o in po)}; "
      f"with removed: {sum('removed' in o['slots'] for o in po)}")
