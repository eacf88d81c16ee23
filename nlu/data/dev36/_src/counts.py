#!/usr/bin/env python3
"""Print counts per intent / lang / kind of dev36.jsonl as markdown (pasted into README.md)."""
import json, os, collections as C
here = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
L = [json.loads(l) for l in open(os.path.join(here, 'dev36.jsonl'), encoding='utf-8')]
print(f'Total: {len(L)} messages\n')
for key in ('intent', 'lang', 'kind'):
    print(f'| {key} | n | % |\n|---|---|---|')
    for k, n in C.Counter(o[key] for o in L).most_common():
        print(f'| {k} | {n} | {100*n/len(L):.1f} |')
    print()
for it in ('place_order', 'report_sales'):
    s = [o for o in L if o['intent'] == it]
    print(f'- {it}: {len(s)} lines, kind family {sum(o["kind"]=="family" for o in s)}, '
          f'with unknown {sum("unknown" in o["slots"] for o in s)}, with removed {sum("removed" in o["slots"] for o in s)}, '
          f'items empty {sum(not o["slots"]["items"] for o in s)}, multi-item {sum(len(o["slots"]["items"])>1 for o in s)}')
