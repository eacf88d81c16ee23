"""Personal data is encrypted at rest, readable through the repositories, rotatable, and phones findable."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from cryptography.fernet import Fernet, InvalidToken
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from core.aftersales import Ticket
from core.dealers import Contact
from core.users import Role, User
from storage.encryption import blind_index, configure_encryption, decrypt, encrypt, generate_key
from storage.rotation import reencrypt_personal_data
from storage.uow import SqlAlchemyUnitOfWork
from tests.factories import make_dealer
from tests.integration.conftest import TEST_KEYS

PHONE = "13800138000"
ID_NUMBER = "310101199001011234"


@pytest.fixture
def restore_keys() -> Iterator[None]:
    yield
    configure_encryption(TEST_KEYS)


async def _dealer_with_contacts(uow: SqlAlchemyUnitOfWork) -> int:
    async with uow:
        dealer = await uow.dealers.add(make_dealer(contacts=[
            Contact(name="王经理", phone=PHONE, role="老板", id_number=ID_NUMBER),
            Contact(name="李会计", phone="139 0013 9000", role="财务")]))
        await uow.commit()
    assert dealer.id is not None
    return dealer.id


async def test_personal_data_is_not_plaintext_in_the_tables(uow: SqlAlchemyUnitOfWork) -> None:
    dealer_id = await _dealer_with_contacts(uow)
    async with uow:
        await uow.users.add(User(username="wang", display_name="王", role=Role.DEALER_OWNER, dealer_id=dealer_id,
                                 phone="13700137000"))
        await uow.tickets.add(Ticket(number="AS-1", dealer_id=dealer_id, description="异响",
                                     customer_name="赵先生", customer_phone="13600136000", address="浦东新区张江路88号"))
        await uow.tickets.add(Ticket(number="AS-2", dealer_id=dealer_id, description="filed before tickets.address"))
        await uow.commit()
    async with uow:
        contact = (await uow.session.execute(text(
            "SELECT phone, id_number, phone_hash FROM dealer_contacts WHERE name = '王经理'"))).one()
        user_phone = (await uow.session.execute(text("SELECT phone FROM users"))).scalar_one()
        ticket = (await uow.session.execute(text(
            "SELECT customer_name, customer_phone, address FROM tickets WHERE number = 'AS-1'"))).one()
        await uow.session.execute(text("UPDATE tickets SET address = NULL WHERE number = 'AS-2'"))
        await uow.commit()
    async with uow:
        loaded = await uow.dealers.get(dealer_id)
        user = await uow.users.get_by(username="wang")
        loaded_ticket = await uow.tickets.get_by(number="AS-1")
        older = await uow.tickets.get_by(number="AS-2")

    raw_values = [contact.phone, contact.id_number, user_phone, ticket.customer_name, ticket.customer_phone,
                  ticket.address]
    for raw, plain in zip(raw_values, [PHONE, ID_NUMBER, "13700137000", "赵先生", "13600136000", "浦东新区张江路88号"],
                          strict=True):
        assert plain not in raw and raw.startswith("gAAAA")   # a Fernet token, not the value
        assert decrypt(raw) == plain
    assert contact.phone_hash == blind_index(PHONE) and PHONE not in contact.phone_hash

    assert loaded is not None and user is not None and loaded_ticket is not None
    assert [(c.phone, c.id_number) for c in loaded.contacts] == [(PHONE, ID_NUMBER), ("139 0013 9000", None)]
    assert user.phone == "13700137000"
    assert (loaded_ticket.customer_name, loaded_ticket.customer_phone) == ("赵先生", "13600136000")
    assert loaded_ticket.address == "浦东新区张江路88号"
    assert older is not None and older.address == ""          # NULL (a ticket filed before the column) reads as ''


async def test_the_same_phone_encrypts_differently_each_time(uow: SqlAlchemyUnitOfWork) -> None:
    async with uow:
        await uow.dealers.add(make_dealer(contacts=[Contact(name="a", phone=PHONE), Contact(name="b", phone=PHONE)]))
        await uow.commit()
    async with uow:
        rows = (await uow.session.execute(text("SELECT phone, phone_hash FROM dealer_contacts"))).all()
    assert rows[0].phone != rows[1].phone          # randomised: equal phones are not visible as equal
    assert rows[0].phone_hash == rows[1].phone_hash


async def test_find_contact_by_phone(uow: SqlAlchemyUnitOfWork) -> None:
    dealer_id = await _dealer_with_contacts(uow)
    async with uow:
        exact = await uow.find_contact_by_phone(PHONE)
        typed = await uow.find_contact_by_phone("+86 138-0013-8000")
        spaced = await uow.find_contact_by_phone("13900139000")   # stored with spaces
        unknown = await uow.find_contact_by_phone("13800138001")
    assert exact is not None and exact.name == "王经理" and exact.dealer_id == dealer_id
    assert typed is not None and typed.id == exact.id
    assert spaced is not None and spaced.name == "李会计"
    assert unknown is None


async def test_phone_index_follows_changes_and_deletes(uow: SqlAlchemyUnitOfWork) -> None:
    dealer_id = await _dealer_with_contacts(uow)
    async with uow:
        dealer = await uow.dealers.get(dealer_id)
        assert dealer is not None
        dealer.contacts[0].phone = "13511112222"
        dealer.contacts.pop(1)
        await uow.commit()
    async with uow:
        assert await uow.find_contact_by_phone(PHONE) is None
        moved = await uow.find_contact_by_phone("135 1111 2222")
        assert await uow.find_contact_by_phone("13900139000") is None
    assert moved is not None and moved.name == "王经理"


async def test_key_rotation(uow: SqlAlchemyUnitOfWork, restore_keys: None) -> None:
    old, new = generate_key(), generate_key()
    configure_encryption([old])
    dealer_id = await _dealer_with_contacts(uow)

    configure_encryption([new, old])            # rotation: the new key first, the old one kept
    async with uow:
        dealer = await uow.dealers.get(dealer_id)
        assert dealer is not None and dealer.contacts[0].phone == PHONE      # old data still readable
        found = await uow.find_contact_by_phone(PHONE)                       # index key unchanged
        assert found is not None and found.id == dealer.contacts[0].id
        dealer.contacts.append(Contact(name="新联系人", phone="13122223333"))
        await uow.commit()
    async with uow:
        raw = {row.name: row.phone for row in await uow.session.execute(text("SELECT name, phone FROM dealer_contacts"))}
    assert Fernet(new.encode()).decrypt(raw["新联系人"].encode()).decode() == "13122223333"   # new key writes
    with pytest.raises(InvalidToken):
        Fernet(old.encode()).decrypt(raw["新联系人"].encode())
    assert Fernet(old.encode()).decrypt(raw["王经理"].encode()).decode() == PHONE

    configure_encryption([new])                 # dropping the old key too early: old rows unreadable
    async with uow:
        with pytest.raises(InvalidToken):
            await uow.dealers.get(dealer_id)


async def test_reencrypt_finishes_a_rotation(uow: SqlAlchemyUnitOfWork, restore_keys: None,
                                             session_factory: async_sessionmaker[AsyncSession]) -> None:
    old, new = generate_key(), generate_key()
    configure_encryption([old])
    dealer_id = await _dealer_with_contacts(uow)
    async with uow:
        await uow.users.add(User(username="u1", display_name="u", role=Role.ADMIN, phone="13000000000"))
        await uow.users.add(User(username="u2", display_name="u", role=Role.ADMIN, phone=None))
        await uow.commit()

    configure_encryption([new, old])
    rewritten = await reencrypt_personal_data(session_factory)
    assert rewritten == 4            # two phones + one ID number of contacts, one user phone (None skipped)

    configure_encryption([new], index_key=old)   # old key retired; the index key stays the same
    async with uow:
        dealer = await uow.dealers.get(dealer_id)
        user = await uow.users.get_by(username="u1")
        found = await uow.find_contact_by_phone(PHONE)
        none_phone = await uow.users.get_by(username="u2")
    assert dealer is not None and [c.phone for c in dealer.contacts] == [PHONE, "139 0013 9000"]
    assert dealer.contacts[0].id_number == ID_NUMBER
    assert user is not None and user.phone == "13000000000"
    assert none_phone is not None and none_phone.phone is None
    assert found is not None and found.name == "王经理"


def test_a_placeholder_key_names_the_setting_and_keeps_the_configured_keys(restore_keys: None) -> None:
    sealed = encrypt("13800138000")
    for keys, position in ((["change-me"], 1), ([generate_key(), "dev-insecure"], 2)):
        with pytest.raises(ValueError, match=rf"DATA_ENCRYPTION_KEYS: key {position} is not a Fernet key.*dms keygen"):
            configure_encryption(keys)
    assert decrypt(sealed) == "13800138000"          # the keys in force are untouched
