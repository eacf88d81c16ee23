"""Staff: draft a contract's renewal when a person asks (the renewal check only proposes it).

Payload: ``ctr.renew|<contract id>`` (the buttons of ``contract.renewal_due`` and its digest). The draft is
made by ``core.services.contract_docs.renew_contract`` with the staff member as the actor (CONTRACT_WRITE,
audited; a renewal that already stands is returned, so pressing twice drafts once). The reply names the
draft and where its targets are entered before it is sent.
"""

from __future__ import annotations

from core.authz import require
from core.errors import ValidationFailed
from core.services.contract_docs import RENEWING, RenewContract, counts_as_renewal, renew_contract
from core.users import Permission
from handlers import i18n
from handlers.context import Ctx
from handlers.messages import Reply
from handlers.router import Router

router = Router(name=__name__)

i18n.register({
    "staff.renew.drafted": ("📝 已为 {contract} 起草续签草稿 {number}（{starts} 至 {ends}，目标 {targets} 项）。\n"
                            "请在后台「合同草稿」核对目标后发送给经销商：/backoffice/contracts/{id}",
                            "📝 Renewal draft {number} of {contract} is ready ({starts} to {ends}, {targets} targets).\n"
                            "Check the targets in the back office, then send it: /backoffice/contracts/{id}"),
    "staff.renew.exists": ("ℹ️ {contract} 已有续签 {number}（{status}，{starts} 至 {ends}），没有再起草。",
                           "ℹ️ {contract} already has its renewal {number} ({status}, {starts} to {ends}); nothing "
                           "new was drafted."),
})


def _contract_id(ctx: Ctx) -> int:
    arg = ctx.args[0].strip() if ctx.args else ""
    if not arg.isdigit():
        raise ValidationFailed(zh=i18n.t("zh-CN", "error.button_stale"), en=i18n.t("en", "error.button_stale"),
                               reason="stale button")
    return int(arg)


@router.button("ctr.renew")
async def renew(ctx: Ctx) -> list[Reply]:
    require(ctx.actor, Permission.CONTRACT_WRITE)       # before anything about the contract is read
    contract_id = _contract_id(ctx)
    async with ctx.uow() as uow:
        current = await uow.contracts.get(contract_id)
        standing = [] if current is None else [
            c for c in await uow.contracts.list(dealer_id=current.dealer_id, status__in=list(RENEWING),
                                                starts_on__gt=current.ends_on) if counts_as_renewal(c)]
    renewal = await renew_contract(ctx.uow(), ctx.actor, RenewContract(contract_id), ctx.deps.clock)
    params = {"contract": current.number if current is not None else str(contract_id), "number": renewal.number,
              "starts": renewal.starts_on.isoformat(), "ends": renewal.ends_on.isoformat(), "id": renewal.id,
              "targets": len(renewal.targets), "status": renewal.status.value}
    return [Reply(text=ctx.t("staff.renew.exists" if standing else "staff.renew.drafted", **params))]
