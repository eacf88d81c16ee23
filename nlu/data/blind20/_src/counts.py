#!/usr/bin/env python3
import json, collections, os
here = os.path.dirname(os.path.abspath(__file__))
L = [json.loads(l) for l in open(os.path.join(here, '..', 'blind20.jsonl'), encoding='utf-8')]
out = [f'Total lines: {len(L)}', '']
for k in ('intent', 'lang', 'kind'):
    c = collections.Counter(o[k] for o in L)
    out += [f'### {k}', '', '| ' + k + ' | n |', '|---|---|'] + [f'| {a} | {b} |' for a, b in c.most_common()] + ['']
c = collections.Counter((o['intent'], o['lang']) for o in L)
out += ['### intent x lang', '', '| intent | zh | en | mixed |', '|---|---|---|---|']
for it in sorted({o['intent'] for o in L}):
    out.append(f'| {it} | {c[(it,"zh")]} | {c[(it,"en")]} | {c[(it,"mixed")]} |')
head = open(os.path.join(here, 'readme_head.md'), encoding='utf-8').read()
open(os.path.join(here, '..', 'README.md'), 'w', encoding='utf-8').write(head + '\n' + '\n'.join(out) + '\n')
print('\n'.join(out))
