"""Database foundations shared by every domain: naming convention, UTC times, mixins."""

import json
import sqlite3
from datetime import UTC, datetime
from enum import StrEnum

import orjson
import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column

from app.core import text

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


JSONType = sa.JSON().with_variant(JSONB(), "postgresql")


def json_loads(text: str | bytes):
    """The JSON columns' decoder (the engine's ``json_deserializer``): orjson's, about twice
    as fast as the standard one on a 506-answer response, which it equals value for value;
    the standard one for what orjson refuses and Python's json writes (NaN, integers beyond
    64 bits)."""
    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError:
        return json.loads(text)


class Base(DeclarativeBase):
    metadata = sa.MetaData(naming_convention=NAMING_CONVENTION)


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(sa.types.TypeDecorator):
    """Stores UTC without a zone (the same on SQLite and PostgreSQL), returns aware UTC."""

    impl = sa.DateTime
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; use aware UTC datetimes")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value, dialect):
        return None if value is None else value.replace(tzinfo=UTC)


def string_enum(kind: type[StrEnum], length: int = 20) -> sa.Enum:
    """An enum stored as its values in a VARCHAR (no database enum type to migrate)."""
    values = [member.value for member in kind]
    return sa.Enum(kind, native_enum=False, length=length, values_callable=lambda _kinds: values)


def binary_string(length: int) -> sa.types.TypeEngine:
    """A string compared byte by byte on both databases (PostgreSQL's "C" collation).

    Used for materialized paths and precomputed sort keys, whose order must not depend on the
    database's locale.
    """
    return sa.String(length).with_variant(sa.String(length, collation="C"), "postgresql")


class TimestampMixin:
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    updated_at: Mapped[datetime] = mapped_column(
        UTCDateTime, default=utcnow, onupdate=utcnow, nullable=False
    )


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, _record):
    if isinstance(dbapi_connection, sqlite3.Connection):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=5000")
        cursor.close()


class SearchableMixin:
    """Keeps ``search_key`` and ``sort_key`` in step with the fields named by the model.

    A model sets ``__search_fields__`` (fields matched by search) and ``__sort_field__``.
    """

    __search_fields__: tuple[str, ...] = ()
    __sort_field__: str = ""

    search_key: Mapped[str] = mapped_column(sa.Text, default="", nullable=False)
    sort_key: Mapped[str] = mapped_column(binary_string(600), default="", nullable=False)

    def refresh_keys(self) -> None:
        self.search_key = text.search_key(*(getattr(self, f) for f in self.__search_fields__))
        self.sort_key = text.sort_key(getattr(self, self.__sort_field__))[:600]


@event.listens_for(Session, "before_flush")
def _refresh_search_keys(session, _context, _instances):
    for instance in (*session.new, *session.dirty):
        if isinstance(instance, SearchableMixin):
            instance.refresh_keys()
