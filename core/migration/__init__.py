"""Data migration from spreadsheets: import kinds and columns, cell parsing and row validation (pure).

The use case that writes validated rows is ``core.services.migration``; see its docstring for the keys
and the two steps (validate, then upsert in one unit of work).
"""

from core.migration.cells import (
    parse_aliases,
    parse_bool,
    parse_date,
    parse_int,
    parse_money,
    parse_phone,
    parse_status,
    parse_tier,
    parse_uscc,
)
from core.migration.columns import (
    COLUMN_HELP,
    FIRST_DATA_ROW,
    HEADER_ALIASES,
    KIND_HEADER_ALIASES,
    SPECS,
    Cell,
    ColumnSpec,
    DuplicateColumn,
    EmptyFile,
    ImportKind,
    MissingColumns,
    RowError,
    normalize_header,
)
from core.migration.records import (
    ContactRecord,
    DealerRecord,
    HistoricalOrderRecord,
    OrderLineRecord,
    PriceRecord,
    ProductRecord,
    QualificationRecord,
    SellOutRecord,
    StockRecord,
    ValidationResult,
)
from core.migration.rows import (
    VALIDATORS,
    validate_contacts,
    validate_dealers,
    validate_orders,
    validate_prices,
    validate_products,
    validate_qualifications,
    validate_sellout,
    validate_stock,
)

__all__ = ['COLUMN_HELP', 'Cell', 'ColumnSpec', 'ContactRecord', 'DealerRecord', 'DuplicateColumn', 'EmptyFile', 'FIRST_DATA_ROW', 'HEADER_ALIASES', 'HistoricalOrderRecord', 'ImportKind', 'KIND_HEADER_ALIASES', 'MissingColumns', 'OrderLineRecord', 'PriceRecord', 'ProductRecord', 'QualificationRecord', 'RowError', 'SPECS', 'SellOutRecord', 'StockRecord', 'VALIDATORS', 'ValidationResult', 'normalize_header', 'parse_aliases', 'parse_bool', 'parse_date', 'parse_int', 'parse_money', 'parse_phone', 'parse_status', 'parse_tier', 'parse_uscc', 'validate_contacts', 'validate_dealers', 'validate_orders', 'validate_prices', 'validate_products', 'validate_qualifications', 'validate_sellout', 'validate_stock']
