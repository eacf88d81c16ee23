"""SQLAlchemy 2 (async) mappings, repositories, unit of work and Alembic migrations. Implements core.ports.

Modules (nothing is built at import time):

- ``storage.engine``: ``build_engine(url, *, echo=False, encryption_keys=None, search_path=None)``,
  ``build_session_factory(engine)``
- ``storage.encryption``: ``configure_encryption(keys, *, index_key=None)`` (call once at bootstrap),
  ``generate_key()``, ``blind_index(phone)``, ``normalize_phone(phone)``
- ``storage.uow``: ``SqlAlchemyUnitOfWork(session_factory)``; ``REPOSITORIES`` (attribute -> class)
- ``storage.repository``: ``SqlAlchemyRepository(session, cls)`` with the filter syntax of core.ports
- ``storage.orm``: ``metadata``, the tables, ``start_mappers()`` (idempotent)
- ``storage.types``: ``Money``, ``ExactDecimal``, ``UTCDateTime``, ``EncryptedString``, ``StrEnumType``,
  ``JSONValue``
- ``storage.migrate``: ``await upgrade(url)``, ``upgrade_sync(url)``, ``await downgrade(url, rev)``
- ``storage.bulk``: ``insert_sellout_lines(session_factory, rows)``, ``insert_orders_bulk(...)``
- ``storage.rotation``: ``reencrypt_personal_data(session_factory)`` to finish a key rotation
"""
