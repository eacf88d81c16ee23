#!/usr/bin/env python3
import json, collections, os, sys
here = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
R = [json.loads(l) for l in open(os.path.join(here, 'blind17.jsonl'), encoding='utf-8')]
n = len(R)
def show(title, c):
    print(f'\n{title}\n| value | n | % |\n|---|---|---|')
    for k, v in c.most_common(): print(f'| {k} | {v} | {100*v/n:.1f} |')
print(f'total: {n}')
show('intent', collections.Counter(r['intent'] for r in R))
show('lang', collections.Counter(r['lang'] for r in R))
show('kind', collections.Counter(r['kind'] for r in R))
for it in ('place_order', 'report_sales'):
    sub = [r for r in R if r['intent'] == it]
    fam = sum(r['kind'] == 'family' for r in sub)
    empty = sum(not r['slots']['items'] for r in sub)
    print(f'\n{it}: {len(sub)} lines, kind=family {fam}, items empty {empty}, with unknown {sum("unknown" in r["slots"] for r in sub)}, with removed {sum("removed" in r["slots"] for r in sub)}')
