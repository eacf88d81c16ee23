# tiny helpers: turn (sku, qty) pairs into slot dicts
def it(*pairs):
    return [{"sku": "CG-" + s, "qty": q} for s, q in pairs]
def PO(*pairs, rm=None, unk=None, no=None):
    d = {"items": it(*pairs)}
    if rm: d["removed"] = ["CG-" + s for s in rm]
    if unk: d["unknown"] = unk
    if no: d["order_no"] = no
    return d
def RS(*pairs, unk=None, no=None):
    d = {"items": it(*pairs)}
    if unk: d["unknown"] = unk
    if no: d["order_no"] = no
    return d
def PR(s=None):
    return {"product": ("CG-" + s) if s else None}
def TK(s=None, no=None):
    return {"product": ("CG-" + s) if s else None, "order_no": no}
def ON(no=None):
    return {"order_no": no}
E = {}
