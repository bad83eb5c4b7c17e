"""Column types shared by every domain: UTC-aware timestamps and enums stored as text."""

from __future__ import annotations

import enum
from datetime import UTC, datetime

from sqlalchemy import DateTime, Enum
from sqlalchemy.types import TypeDecorator


def text_enum(enum_class: type[enum.Enum], length: int = 16) -> Enum:
    """An enum stored as its values in a short text column (no database-specific type, so
    adding a member needs no ALTER TYPE)."""
    return Enum(enum_class, native_enum=False, length=length,
                values_callable=lambda members: [member.value for member in members])


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """A timestamp stored in UTC and always read back timezone-aware.

    SQLite keeps no zone, so values are normalised to UTC on the way in and marked as UTC on
    the way out; PostgreSQL stores them as timestamptz.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given where a UTC-aware one is required")
        value = value.astimezone(UTC)
        if dialect.name == "sqlite":
            return value.replace(tzinfo=None)
        return value

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)
