#!/usr/bin/env python3
import json, collections, os
here = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
L = [json.loads(l) for l in open(os.path.join(here, 'dev23.jsonl'), encoding='utf-8')]
def show(title, c):
    print(f'{title}:'); [print(f'  {k:18s} {v:4d}  ({100*v/len(L):.1f}%)') for k, v in c.most_common()]
print('total', len(L))
show('intent', collections.Counter(o['intent'] for o in L))
show('lang', collections.Counter(o['lang'] for o in L))
show('kind', collections.Counter(o['kind'] for o in L))
for it in ('place_order', 'report_sales'):
    sub = [o for o in L if o['intent'] == it]
    fam = sum(o['kind'] == 'family' for o in sub)
    multi = sum(len(o['slots']['items']) >= 2 for o in sub)
    empty = sum(not o['slots']['items'] for o in sub)
    unk = sum('unknown' in o['slots'] for o in sub)
    rem = sum('removed' in o['slots'] for o in sub)
    print(f'{it}: {len(sub)} lines, kind family {fam}, >=2 items {multi}, items [] {empty}, with unknown {unk}, with removed {rem}')
