#!/usr/bin/env python3
"""Join the hand-written batches in src/, shuffle with a fixed seed, write blind7.jsonl."""
import glob, importlib.util, json, os, random, sys
here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(here, 'src'))
rows = []
for path in sorted(glob.glob(os.path.join(here, 'src', 'b[0-9][0-9].py'))):
    spec = importlib.util.spec_from_file_location(os.path.basename(path)[:-3], path)
    mod = importlib.util.module_from_spec(spec); spec.loader.exec_module(mod)
    for t in mod.B:
        assert len(t) == 5, (path, t)
        rows.append(t)
random.Random(20261204).shuffle(rows)
with open(os.path.join(here, 'blind7.jsonl'), 'w', encoding='utf-8') as f:
    for text, intent, slots, lang, kind in rows:
        f.write(json.dumps({"text": text, "intent": intent, "slots": slots, "lang": lang, "kind": kind},
                           ensure_ascii=False) + '\n')
print(len(rows), 'rows written')
