#!/usr/bin/env python3
import glob, json, os, random, sys
here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(here, 'src'))
import importlib
rows = []
for f in sorted(glob.glob(os.path.join(here, 'src', 'b[0-9]*.py'))):
    m = importlib.import_module(os.path.basename(f)[:-3])
    for t in m.DATA:
        text, intent, slots, lang, kind = t
        rows.append({'text': text, 'intent': intent, 'slots': slots, 'lang': lang, 'kind': kind})
random.Random(8).shuffle(rows)
name = os.path.basename(here)
with open(os.path.join(here, name + '.jsonl'), 'w', encoding='utf-8') as f:
    for r in rows:
        f.write(json.dumps(r, ensure_ascii=False) + '\n')
print(len(rows), 'rows written')
