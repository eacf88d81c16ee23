def it(*a):
    """it('BR300',20,'SC77',5) -> [{'sku':'JX-BR300','qty':20}, ...]"""
    return [{'sku': 'JX-' + a[i], 'qty': a[i + 1]} for i in range(0, len(a), 2)]
def p(s):
    return None if s is None else 'JX-' + s
