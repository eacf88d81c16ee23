"""dms invite, dms user create-admin, dms apikey: who may use the system."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

import typer

from bot.cli._runtime import CLI_ACTOR, fail, run_async, with_app
from bot.settings import Settings

invite_app = typer.Typer(help="生成一次性绑定码 (one-time chat binding codes).", no_args_is_help=True)
user_app = typer.Typer(help="管理员账号 (admin web users).", no_args_is_help=True)
apikey_app = typer.Typer(help="ERP/CRM 接口密钥 (API keys).", no_args_is_help=True)

# --- invites ---------------------------------------------------------------------------------------

TtlOpt = Annotated[int | None, typer.Option("--ttl-hours", min=1,
                                            help="有效小时数，默认取 INVITE_TTL_HOURS (hours valid; default "
                                                 "INVITE_TTL_HOURS)")]


def _print_invite(invite: Any, who_zh: str, who_en: str) -> None:
    expires = invite.expires_at.astimezone(_business_tz()).strftime("%Y-%m-%d %H:%M")
    typer.echo(f"{who_zh}的一次性绑定码，{expires} 前有效；在聊天中发送此绑定码即可绑定")
    typer.echo(f"(one-time binding code for {who_en}, valid until {expires}; send this code in the chat to bind)")
    typer.echo(invite.code)


def _business_tz() -> Any:
    from zoneinfo import ZoneInfo

    return ZoneInfo(Settings().timezone)


@invite_app.command("dealer")
def invite_dealer(
    dealer_code: Annotated[str, typer.Argument(help="经销商编码，如 D0001 (dealer code)")],
    role: Annotated[str | None, typer.Option(help="owner 或 clerk；默认：还没有老板账号时为 owner，否则 clerk "
                                                  "(owner or clerk; default owner when the dealer has none)")] = None,
    ttl_hours: TtlOpt = None,
    user: Annotated[str | None, typer.Option("--user", help="已有用户名：在第二个渠道（如企业微信）绑定同一用户 "
                                                           "(an existing username: bind the same user on a second "
                                                           "channel, e.g. WeCom)")] = None,
) -> None:
    """为经销商用户生成一次性绑定码，最后一行只有绑定码 (binding code for a dealer user, alone on the last line)."""
    from core.services.users import create_invite
    from core.users import InviteKind, Role

    roles = {"owner": Role.DEALER_OWNER, "clerk": Role.DEALER_CLERK, "dealer_owner": Role.DEALER_OWNER,
             "dealer_clerk": Role.DEALER_CLERK, "老板": Role.DEALER_OWNER, "店员": Role.DEALER_CLERK}
    if role is not None and role.lower() not in roles:
        raise fail(f"角色须为 owner 或 clerk：{role}", f"role must be owner or clerk: {role}", code=2)

    async def body(application: Any) -> Any:
        return await create_invite(application.uow_factory(), CLI_ACTOR, InviteKind.DEALER, dealer_code,
                                   application.clock, ttl_hours or application.settings.invite_ttl_hours,
                                   role=roles[role.lower()] if role else None, username=user)

    invite = run_async(with_app)(body)
    _print_invite(invite, f"经销商 {dealer_code.upper()} ", f"dealer {dealer_code.upper()}")


@invite_app.command("staff")
def invite_staff(
    username: Annotated[str, typer.Argument(help="员工用户名，如 zhang.orderdesk (staff username)")],
    role: Annotated[str, typer.Argument(help="角色 role: admin, order_desk, channel_manager, after_sales, quality, "
                                             "marketing, management, finance")],
    ttl_hours: TtlOpt = None,
) -> None:
    """为员工生成一次性绑定码，最后一行只有绑定码 (binding code for a staff member, alone on the last line)."""
    from core.services.users import create_invite
    from core.users import InviteKind, Role

    staff_roles = [r for r in Role if r.is_staff]
    try:
        staff_role = Role(role.strip().lower())
    except ValueError:
        staff_role = None
    if staff_role is None or not staff_role.is_staff:
        allowed = ", ".join(r.value for r in staff_roles)
        raise fail(f"未知的员工角色：{role}（可选：{allowed}）", f"unknown staff role {role} (one of {allowed})",
                   code=2)

    async def body(application: Any) -> Any:
        return await create_invite(application.uow_factory(), CLI_ACTOR, InviteKind.STAFF, (username, staff_role),
                                   application.clock, ttl_hours or application.settings.invite_ttl_hours)

    invite = run_async(with_app)(body)
    _print_invite(invite, f"员工 {username}（{staff_role.value}）", f"staff {username} ({staff_role.value})")


# --- admin users -----------------------------------------------------------------------------------


@user_app.command("create-admin")
def create_admin(
    username: Annotated[str, typer.Option(help="用户名 (username)")] = "admin",
    password: Annotated[str | None, typer.Option(help="密码；不填则提示输入 (password; prompted when omitted)")]
    = None,
) -> None:
    """创建管理后台管理员，已存在则重设密码 (create an admin-web admin, or reset its password)."""
    from bot.bootstrap import set_admin_password

    if password is None:
        password = typer.prompt("密码 (password)", hide_input=True, confirmation_prompt=True)
    if len(password) < 8:
        raise fail("密码至少 8 位", "the password needs at least 8 characters", code=2)

    async def body(application: Any) -> bool:
        return await set_admin_password(application, username, password)

    created = run_async(with_app)(body)
    if created:
        typer.echo(f"已创建管理员 {username} (admin {username} created)")
    else:
        typer.echo(f"已重设管理员 {username} 的密码 (password of {username} reset)")


# --- API keys --------------------------------------------------------------------------------------


@apikey_app.command("create")
def apikey_create(
    name: Annotated[str, typer.Argument(help="密钥名称，如 erp (key name)")],
    scope: Annotated[list[str] | None, typer.Option("--scope", help="权限范围，可多次指定 (scope, repeatable): "
                                                    "products:read products:write dealers:read stock:read "
                                                    "stock:write orders:read orders:write sellout:read "
                                                    "sellout:write accounts:read accounts:write")] = None,
    dealer: Annotated[str | None, typer.Option("--dealer", help="只允许访问该经销商的数据 (limit the key to "
                                                                "one dealer, by code)")] = None,
) -> None:
    """创建接口密钥，最后一行只有密钥，只显示一次 (create an API key; printed ONCE, alone on the last line)."""
    from core.services.users import create_api_key

    if not scope:
        raise fail("至少需要一个 --scope", "at least one --scope is needed", code=2)

    async def body(application: Any) -> Any:
        dealer_id = None
        if dealer is not None:
            async with application.uow_factory() as uow:
                found = await uow.dealers.get_by(code=dealer.strip().upper())
            if found is None:
                raise fail(f"经销商不存在：{dealer}", f"no such dealer: {dealer}")
            dealer_id = found.id
        return await create_api_key(application.uow_factory(), CLI_ACTOR, name, scope, dealer_id,
                                    clock=application.clock)

    key, plaintext = run_async(with_app)(body)
    limited = f"，仅限经销商 {dealer.upper()}" if dealer else ""
    typer.echo(f"已创建接口密钥 {key.name}（前缀 {key.prefix}，范围 {' '.join(key.scopes)}{limited}），"
               "密钥只显示这一次，请妥善保存")
    typer.echo(f"(API key {key.name} created, prefix {key.prefix}; the key is shown once only, store it safely)")
    typer.echo(plaintext)


@apikey_app.command("list")
def apikey_list() -> None:
    """列出接口密钥（不显示密钥本身）(list API keys; the secrets are never shown)."""
    from core.services.users import list_api_keys

    async def body(application: Any) -> Any:
        keys = await list_api_keys(application.uow_factory(), CLI_ACTOR)
        async with application.uow_factory() as uow:
            codes = {d.id: d.code for d in await uow.dealers.list(id__in=[k.dealer_id for k in keys if k.dealer_id])}
        return keys, codes, application.clock.tz

    keys, codes, tz = run_async(with_app)(body)
    if not keys:
        typer.echo("还没有接口密钥 (no API keys yet)")
        return

    def when(value: datetime | None) -> str:
        return value.astimezone(tz).strftime("%Y-%m-%d %H:%M") if value else "-"

    typer.echo(f"{'prefix':<14}{'name':<16}{'status':<10}{'dealer':<8}{'created':<18}{'last used':<18}scopes")
    for k in keys:
        status = "revoked" if k.revoked_at else "active"
        typer.echo(f"{k.prefix:<14}{k.name:<16}{status:<10}{codes.get(k.dealer_id, '-'):<8}"
                   f"{when(k.created_at):<18}{when(k.last_used_at):<18}{' '.join(k.scopes)}")


@apikey_app.command("revoke")
def apikey_revoke(prefix: Annotated[str, typer.Argument(help="密钥前缀，见 dms apikey list (key prefix)")]) -> None:
    """吊销接口密钥 (revoke an API key by its prefix)."""
    from core.services.users import list_api_keys, revoke_api_key

    wanted = prefix.strip()

    async def body(application: Any) -> Any:
        keys = await list_api_keys(application.uow_factory(), CLI_ACTOR)
        matches = [k for k in keys if k.revoked_at is None and wanted and
                   (k.prefix.startswith(wanted) or wanted.startswith(k.prefix))]
        if not matches:
            raise fail(f"没有前缀为 {wanted} 的有效密钥", f"no active key with prefix {wanted}")
        if len(matches) > 1:
            raise fail(f"前缀 {wanted} 对应多个密钥，请输入更长的前缀",
                       f"prefix {wanted} matches several keys; give a longer prefix", code=2)
        key_id = matches[0].id
        assert key_id is not None
        return await revoke_api_key(application.uow_factory(), CLI_ACTOR, key_id, application.clock)

    key = run_async(with_app)(body)
    typer.echo(f"已吊销接口密钥 {key.name}（{key.prefix}）(API key revoked)")




def register(app: typer.Typer) -> None:
    app.add_typer(invite_app, name="invite")
    app.add_typer(user_app, name="user")
    app.add_typer(apikey_app, name="apikey")
