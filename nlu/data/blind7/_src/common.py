# tiny helpers to build slot dicts; every text is typed by hand in the batch files
def it(*pairs):
    """it('QY-CL100', 20, 'QY-TN200', 6) -> [{'sku':..,'qty':..}, ...]"""
    return [{"sku": pairs[i], "qty": pairs[i + 1]} for i in range(0, len(pairs), 2)]

def PO(items, removed=None, unknown=None, order_no=None):
    s = {"items": items}
    if removed: s["removed"] = removed
    if unknown: s["unknown"] = unknown
    if order_no: s["order_no"] = order_no
    return s

def RS(items, unknown=None, order_no=None):
    s = {"items": items}
    if unknown: s["unknown"] = unknown
    if order_no: s["order_no"] = order_no
    return s

def P(sku, order_no=None):
    s = {"product": sku}
    if order_no: s["order_no"] = order_no
    return s

def O(no=None):
    return {"order_no": no}

def T(sku=None, no=None):
    return {"product": sku, "order_no": no}

N = {}
