def I(*pairs):
    return [{'sku': s, 'qty': q} for s, q in pairs]
def PO(items, removed=None, unknown=None, order_no=None):
    d = {'items': items}
    if removed: d['removed'] = removed
    if unknown: d['unknown'] = unknown
    if order_no: d['order_no'] = order_no
    return d
def RS(items, unknown=None, order_no=None):
    d = {'items': items}
    if unknown: d['unknown'] = unknown
    if order_no: d['order_no'] = order_no
    return d
def P(sku):
    return {'product': sku}
def O(no=None):
    return {'order_no': no}
def T(sku=None, no=None):
    return {'product': sku, 'order_no': no}
E = {}
