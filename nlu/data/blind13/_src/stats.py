#!/usr/bin/env python3
"""Print counts per intent / lang / kind of blind13.jsonl (markdown)."""
import json, os, collections as C
here = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
L = [json.loads(l) for l in open(os.path.join(here, 'blind13.jsonl'), encoding='utf-8')]
print(f'Total: {len(L)} messages\n')
for k in ('intent', 'lang', 'kind'):
    c = C.Counter(o[k] for o in L)
    print(f'| {k} | n | % |\n|---|---|---|')
    for v, n in c.most_common(): print(f'| {v} | {n} | {100*n/len(L):.1f} |')
    print()
po = [o for o in L if o['intent'] in ('place_order', 'report_sales')]
print(f"place_order+report_sales: {len(po)}; with items: {sum(bool(o['slots']['items']) for o in po)}; "
      f"empty items: {sum(not o['slots']['items'] for o in po)}; with removed: {sum('removed' in o['slots'] for o in po)}; "
      f"with unknown: {sum('unknown' in o['slots'] for o in po)}; kind family: {sum(o['kind']=='family' for o in po)}")
