import sys, json
sys.path.insert(0, '.')
D = []
for i in range(1, 9):
    D += __import__('b%02d' % i).D
with open('../dev12.jsonl', 'w', encoding='utf-8') as f:
    for d in D:
        f.write(json.dumps(d, ensure_ascii=False) + '\n')
print(len(D))
