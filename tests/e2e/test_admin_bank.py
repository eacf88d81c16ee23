"""The admin dealer form keeps the dealer's paying bank accounts (normalised to digits), and a bank file
row paid from one of them is matched to that dealer by account."""

from __future__ import annotations

import re

from core.services import bank_import
from core.users import Role, User
from tests.e2e.conftest import Web, add_dealer, add_staff
from tests.e2e.test_admin_web import SAME_ORIGIN, login


async def test_payer_accounts_edited_in_the_dealer_form_match_bank_rows(web: Web) -> None:
    await add_staff(web, "qian.channel", Role.CHANNEL_MANAGER)
    dealer = await add_dealer(web, "D0001", "杭州华信电器有限公司", tier="B")
    await login(web, "qian.channel")
    form = await web.client.get(f"/admin/dealer/edit/{dealer}")
    assert form.status_code == 200 and 'name="payer_accounts"' in form.text
    values = {name: value for name, value in re.findall(r'name="([a-z_]+)"[^>]*value="([^"]*)"', form.text)}
    fields = {k: values.get(k, "") for k in ("code", "name", "uscc", "province", "city", "region")}
    response = await web.client.post(f"/admin/dealer/edit/{dealer}", headers=SAME_ORIGIN, data={
        **fields, "tier": "B", "credit_limit": "0.00", "payer_accounts": "6222 0210 0100 1234；6228-4800-1111",
        "save": "Save"})
    assert response.status_code == 302, response.text
    async with web.uow() as uow:
        stored = await uow.dealers.get(dealer)
        finance = await uow.users.add(User(username="wu", display_name="吴出纳", role=Role.FINANCE))
        await uow.commit()
    assert stored is not None and stored.payer_accounts == "6222021001001234, 622848001111"

    summary = await bank_import.import_bank_file(web.uow(), finance.to_actor(), "b.csv", [
        ["交易日期", "付款人", "付款账号", "金额"], ["2026-11-20", "张三", "6228 4800 1111", "500.00"]], web.clock)
    assert [(r.dealer_id, r.match_reason) for r in summary.booked] == [(dealer, "account")]
