import json, random, glob, importlib.util, os
here = os.path.dirname(os.path.abspath(__file__))
rows = []
for f in sorted(glob.glob(os.path.join(here, 'src', 'b*.py'))):
    spec = importlib.util.spec_from_file_location(os.path.basename(f)[:-3], f)
    m = importlib.util.module_from_spec(spec); spec.loader.exec_module(m)
    rows += m.DATA
random.Random(15).shuffle(rows)
with open(os.path.join(here, os.path.basename(here) + '.jsonl'), 'w', encoding='utf-8') as out:
    for t, i, s, l, k in rows:
        out.write(json.dumps({'text': t, 'intent': i, 'slots': s, 'lang': l, 'kind': k}, ensure_ascii=False) + '\n')
print(len(rows), 'rows')
