"""``dms backup FILE`` / ``dms restore FILE`` (see ``storage.backup``), and ``dms keys rotate`` (re-encrypt
every personal-data value with the first key of ``DATA_ENCRYPTION_KEYS``, see ``storage.rotation``)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from bot.cli._runtime import fail, run_async, with_app

keys_app = typer.Typer(help="数据加密密钥 (personal-data encryption keys).", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.command("backup")(backup_command)
    app.command("restore")(restore_command)
    app.add_typer(keys_app, name="keys")


def backup_command(
    file: Annotated[Path, typer.Argument(dir_okay=False, help="备份文件 (backup file), e.g. var/backup-20261126.db")],
) -> None:
    """备份数据库和上传的文件 (back up the database into FILE and DATA_DIR/files into FILE.files.tar.gz).

    SQLite: 在线备份 (online backup API); PostgreSQL: pg_dump 自定义格式 (custom format)."""
    import asyncio

    from bot.settings import Settings
    from storage.backup import BackupError, backup

    settings = Settings()
    try:
        result = asyncio.run(backup(settings.database_url, file, settings.data_dir / "files"))
    except BackupError as exc:
        raise fail(exc.zh, exc.en) from None
    typer.echo(f"已备份 (backed up): {result.database_file} ({result.database_bytes} bytes)")
    if result.files_archive is not None:
        typer.echo(f"文件 (files): {result.files_archive} ({result.files_count} files)")


def restore_command(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="dms backup 生成的备份文件 (a backup file)")],
    yes: Annotated[bool, typer.Option("--yes", help="不再确认 (do not ask)")] = False,
) -> None:
    """用备份替换当前数据库和文件 (replace the database and DATA_DIR/files with the backup FILE).

    先停止 dms run / worker / scheduler (stop the app first); 需要相同的 DATA_ENCRYPTION_KEYS (same keys)."""
    import asyncio

    from bot.settings import Settings
    from storage.backup import BackupError, restore

    settings = Settings()
    if not yes:
        typer.confirm("当前数据将被备份内容替换，继续？(the current data will be replaced; continue?)", abort=True)
    try:
        result = asyncio.run(restore(settings.database_url, file, settings.data_dir / "files"))
    except BackupError as exc:
        raise fail(exc.zh, exc.en) from None
    typer.echo(f"已恢复 (restored): {result.database_file}")
    if result.files_archive is not None:
        typer.echo(f"文件 (files): {result.files_count} files from {result.files_archive}")


@keys_app.command("rotate")
def rotate_command() -> None:
    """用第一个密钥重新加密全部个人数据 (re-encrypt all personal data with the first key).

    步骤 (steps): dms keygen -> 新密钥放最前 (new key first, old keys after) -> 重启 (restart) -> dms keys rotate ->
    删除旧密钥 (drop the old keys)."""
    from typing import Any

    from storage.rotation import reencrypt_personal_data

    async def body(application: Any) -> int:
        return await reencrypt_personal_data(application.session_factory)

    count = run_async(with_app)(body)
    typer.echo(f"已重新加密 (re-encrypted): {count} values")


@keys_app.command("reindex")
def reindex_command() -> None:
    """重算联系人手机号的盲索引 (recompute the contacts' phone blind index).

    盲索引密钥来自最后一个密钥；删除旧密钥后运行一次，否则按手机号绑定找不到联系人
    (the index key derives from the LAST key: run this once after dropping the old keys, or phone binding
    stops finding contacts)."""
    from typing import Any

    from sqlalchemy import bindparam, select, update

    from storage.encryption import blind_index
    from storage.orm import dealer_contacts

    async def body(application: Any) -> int:
        async with application.session_factory() as session:
            rows = (await session.execute(select(dealer_contacts.c.id, dealer_contacts.c.phone))).all()
            params = [{"row_id": r.id, "new_hash": blind_index(r.phone)} for r in rows]
            if params:
                await session.execute(update(dealer_contacts).where(dealer_contacts.c.id == bindparam("row_id"))
                                      .values(phone_hash=bindparam("new_hash")), params)
            await session.commit()
            return len(params)

    count = run_async(with_app)(body)
    typer.echo(f"已重建索引 (re-indexed): {count} contacts")
