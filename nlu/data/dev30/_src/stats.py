#!/usr/bin/env python3
"""Counts for the README, computed from dev30.jsonl."""
import json, os, collections
OUT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
rows = [json.loads(l) for l in open(os.path.join(OUT, 'dev30.jsonl'), encoding='utf-8')]
FAM = ('HJ-JH-', 'HJ-WG-', 'HJ-SH-', 'HJ-JY-', 'HJ-JJ-', 'HJ-FL-', 'HJ-AN-', 'HJ-YC-', 'HJ-QX-', 'HJ-QC-', 'HJ-XT-', 'HJ-ZW-')
def table(key):
    c = collections.Counter(r[key] for r in rows)
    return '\n'.join(f'| {k} | {v} | {100*v/len(rows):.1f}% |' for k, v in c.most_common())
print(f'total lines: {len(rows)}\n')
for key in ('intent', 'lang', 'kind'):
    print(f'| {key} | n | share |\n|---|---|---|\n' + table(key) + '\n')
for it in ('place_order', 'report_sales'):
    sub = [r for r in rows if r['intent'] == it]
    fam = [r for r in sub if r['kind'] == 'family' or any(x['sku'].startswith(FAM) for x in r['slots']['items'])
           or any(s.startswith(FAM) for s in r['slots'].get('removed', []))]
    multi = [r for r in sub if sum(x['sku'].startswith(FAM) for x in r['slots']['items']) >= 2]
    print(f'{it}: {len(sub)} lines; naming products by series+variant (kind family, or an item/removed SKU of a multi-variant series): '
          f'{len(fam)}; with >=2 series variants in items: {len(multi)}; items empty: {sum(not r["slots"]["items"] for r in sub)}; '
          f'with unknown: {sum("unknown" in r["slots"] for r in sub)}; with removed: {sum("removed" in r["slots"] for r in sub)}')
