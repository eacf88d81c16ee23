"""SQLAlchemy 2 (async) mappings, repositories, unit of work and Alembic migrations. Implements core.ports."""
