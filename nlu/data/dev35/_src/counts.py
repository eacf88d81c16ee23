#!/usr/bin/env python3
"""Print count tables for README (per intent / lang / kind, plus family stats)."""
import json, collections, os
here = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
L = [json.loads(l) for l in open(os.path.join(here, 'dev35.jsonl'), encoding='utf-8')]
print(f'Total: {len(L)} messages\n')
for k in ('intent', 'lang', 'kind'):
    c = collections.Counter(o[k] for o in L)
    print(f'| {k} | n | % |\n|---|---|---|')
    for a, n in c.most_common(): print(f'| {a} | {n} | {100*n/len(L):.1f} |')
    print()
for it in ('place_order', 'report_sales'):
    s = [o for o in L if o['intent'] == it]
    print(f'- {it}: {len(s)} lines; kind family {sum(o["kind"]=="family" for o in s)}; '
          f'2+ items {sum(len(o["slots"]["items"])>=2 for o in s)}; items [] {sum(not o["slots"]["items"] for o in s)}; '
          f'with unknown {sum("unknown" in o["slots"] for o in s)}; with removed {sum("removed" in o["slots"] for o in s)}; '
          f'with order_no {sum("order_no" in o["slots"] for o in s)}')
