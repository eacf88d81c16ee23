def M(intent, text, lang, kind, **slots):
    if 'items' in slots:
        slots['items'] = [{'sku': s, 'qty': q} for s, q in slots['items']]
    return {'text': text, 'intent': intent, 'slots': slots, 'lang': lang, 'kind': kind}
