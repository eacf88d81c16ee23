import glob, json, os, random, importlib.util
here = os.path.dirname(os.path.abspath(__file__))
rows = []
for p in sorted(glob.glob(os.path.join(here, 'src', 'b*.py'))):
    spec = importlib.util.spec_from_file_location(os.path.basename(p)[:-3], p)
    m = importlib.util.module_from_spec(spec); spec.loader.exec_module(m)
    for t, it, sl, lang, kind in m.DATA:
        rows.append({'text': t, 'intent': it, 'slots': sl, 'lang': lang, 'kind': kind})
random.Random(14).shuffle(rows)
with open(os.path.join(here, os.path.basename(here) + '.jsonl'), 'w', encoding='utf-8') as f:
    for r in rows: f.write(json.dumps(r, ensure_ascii=False) + '\n')
print(len(rows), 'rows')
