#!/usr/bin/env python3
"""Counts per intent / lang / kind of blind12.jsonl, and how many order / sell-out lines name a series."""
import json, os, re, collections
HERE = os.path.dirname(os.path.abspath(__file__))
rows = [json.loads(l) for l in open(os.path.join(HERE, '..', 'blind12.jsonl'), encoding='utf-8')]
SERIES = r'流光|留光|速写|圆舞|白鸽|百鸽|云帆|云凡|运帆|素简|速简|行知|行之|星知|稳纳|稳拿|清夹|钉锋|丁锋|透亮|头亮|柔贴|粘牢|沾牢|大字|恒记|亮点|净白|贴心|顺打|夹力|速印|liuguang|suxie|yuanwu|baige|yunfan|sujian|xingzhi|wenna|qingjia|touliang|highlighter|whiteboard|binder clip|thermal|masking|double sided|refill|staples|sticky|LG-?\d|LR|SX|YW|tx|DD|JL'
def show(title, c):
    print(f'## {title}'); [print(f'{k}: {v}') for k, v in c.most_common()]; print()
show('intent', collections.Counter(r['intent'] for r in rows))
show('lang', collections.Counter(r['lang'] for r in rows))
show('kind', collections.Counter(r['kind'] for r in rows))
orl = [r for r in rows if r['intent'] in ('place_order', 'report_sales')]
fam = [r for r in orl if r['kind'] == 'family']
ser = [r for r in orl if re.search(SERIES, r['text'], re.I)]
print(f'total {len(rows)}; place_order+report_sales {len(orl)}; kind family {len(fam)}; naming a series word or code {len(ser)}')
multi = [r for r in orl if len(r['slots']['items']) >= 2]
print(f'order/sell-out lines with >=2 items {len(multi)}; items [] {sum(1 for r in orl if not r["slots"]["items"])}; '
      f'with unknown {sum(1 for r in orl if "unknown" in r["slots"])}; with removed {sum(1 for r in orl if "removed" in r["slots"])}')
