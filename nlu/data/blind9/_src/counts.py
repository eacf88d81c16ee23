import json, collections, os
here = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
rows = [json.loads(l) for l in open(os.path.join(here, 'blind9.jsonl'), encoding='utf-8')]
for k in ('intent', 'lang', 'kind'):
    c = collections.Counter(r[k] for r in rows)
    print(f'### {k}\n' + '\n'.join(f'- {a}: {b}' for a, b in c.most_common()) + '\n')
po = [r for r in rows if r['intent'] in ('place_order', 'report_sales')]
print(f'place_order+report_sales: {len(po)}, kind family: {sum(r["kind"]=="family" for r in po)}, '
      f'empty items: {sum(not r["slots"]["items"] for r in po)}, with unknown: {sum("unknown" in r["slots"] for r in po)}, '
      f'with removed: {sum("removed" in r["slots"] for r in po)}, total {len(rows)}')
