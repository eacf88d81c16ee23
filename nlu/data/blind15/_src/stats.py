#!/usr/bin/env python3
import json, collections, os, re
here = os.path.dirname(os.path.abspath(__file__))
L = [json.loads(l) for l in open(os.path.join(here, '..', 'blind15.jsonl'), encoding='utf-8')]
print(f'total {len(L)}')
for k in ('intent', 'lang', 'kind'):
    print(f'\n{k}:')
    for v, n in collections.Counter(o[k] for o in L).most_common(): print(f'  {v:18s} {n:4d}  {100*n/len(L):5.1f}%')
SER = re.compile(r'晨木|陈木|远山|远删|清音|青音|亮铜|铁音|小岛|小导|椰风|耶风|雷木|累木|枫棒|快夹|快家|灵耳|零耳|琴岚|勤岚|雅韵|初弦|出弦|初闲|名弦|护琴|拨片|背带|'
                 r'\b(CM|YS|QY|LT|TY|XD|YF|LM|FB|KJ|LE|QL|YY|CX|MX|HQ)[-\s]?\d|\b(KJ|LE|CX|MX|XD|YF|LM|QY|LT)\b|ys-|cm|qy|yy88', re.I)
po = [o for o in L if o['intent'] in ('place_order', 'report_sales')]
fam = [o for o in po if SER.search(o['text'])]
print(f'\nplace_order+report_sales: {len(po)}; naming a series word (series + variant or series alone): {len(fam)} ({100*len(fam)/len(po):.0f}%)')
print('  kind=family among them:', sum(o['kind'] == 'family' for o in po))
print('  with items: %d, items empty: %d, with unknown: %d, with removed: %d' % (
    sum(bool(o['slots']['items']) for o in po), sum(not o['slots']['items'] for o in po),
    sum('unknown' in o['slots'] for o in po), sum('removed' in o['slots'] for o in po)))
