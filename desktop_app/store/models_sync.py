"""Tables of sync: this database's own memory of its part in sync.

None of these tables is synced itself: they are this database's own memory of
its street key, its peers, what it agreed with each of them row by row, the
conflicts a person still has to decide, and the packages it made and took.
How synced rows travel as text (the wire codec) lives in desktop_app.sync.codec.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Boolean, DateTime, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from desktop_app.store.base import Base, BigInt, new_id, utcnow


class SyncIdentity(Base):
    """This database's part in sync (one row): its role and the street's key."""

    __tablename__ = "sync_identity"

    id: Mapped[int] = mapped_column(BigInt, primary_key=True)  # always 1
    role: Mapped[str] = mapped_column(String(16))  # street | community
    # Emptied by 0014: the old shared street key. Private keys never live in the database.
    key_b64: Mapped[str] = mapped_column(String(64), default="")
    fingerprint: Mapped[str] = mapped_column(String(32))  # the street's signing key
    # The street's public keys (Ed25519 to verify, X25519 to encrypt to), base64.
    street_sign_public: Mapped[str] = mapped_column(String(64), default="")
    street_box_public: Mapped[str] = mapped_column(String(64), default="")
    # This site's own public keys (the street's own at the street), base64.
    own_sign_public: Mapped[str] = mapped_column(String(64), default="")
    own_box_public: Mapped[str] = mapped_column(String(64), default="")
    key_path: Mapped[str] = mapped_column(String(400), default="")  # this site's protected private key file
    state: Mapped[str] = mapped_column(String(16), default="")  # requested | enrolled (community), street
    street_site_id: Mapped[str] = mapped_column(String(36), default="")
    street_org_code: Mapped[str] = mapped_column(String(32), default="")
    street_org_name: Mapped[str] = mapped_column(String(60), default="")
    set_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class SyncEnrolment(Base):
    """At the street: a community enrolled with its own public keys (revoked ones are kept, refused)."""

    __tablename__ = "sync_enrolment"

    site_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    org_code: Mapped[str] = mapped_column(String(32), default="")
    org_name: Mapped[str] = mapped_column(String(60), default="")
    org_id: Mapped[str] = mapped_column(String(36), default="")  # its 社区党委: the subtree it owns
    # At a district: the 街道党工委 it was enrolled into, where its first package puts its 社区党委 ("": a street's)
    street_org_id: Mapped[str] = mapped_column(String(36), default="", server_default="")
    sign_public: Mapped[str] = mapped_column(String(64))
    box_public: Mapped[str] = mapped_column(String(64))
    fingerprint: Mapped[str] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(16), default="active")  # active | revoked
    enrolled_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime, default=None)


class SyncPeer(Base):
    """A site this database exchanges packages with: at the street, every community it heard from."""

    __tablename__ = "sync_peer"

    site_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    level: Mapped[str] = mapped_column(String(16), default="community")
    org_code: Mapped[str] = mapped_column(String(32), default="")
    org_name: Mapped[str] = mapped_column(String(60), default="")
    org_id: Mapped[str | None] = mapped_column(String(36), default=None)  # its root organisation
    first_seen: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    last_package_id: Mapped[str] = mapped_column(String(36), default="")
    last_seq: Mapped[int] = mapped_column(BigInt, default=0)
    last_package_at: Mapped[datetime | None] = mapped_column(DateTime, default=None)  # when it was made
    last_imported_at: Mapped[datetime | None] = mapped_column(DateTime, default=None)
    last_size: Mapped[int] = mapped_column(BigInteger, default=0)
    last_rows: Mapped[int] = mapped_column(BigInt, default=0)
    last_counts: Mapped[str] = mapped_column(Text, default="{}")  # JSON: rows per table in the last package
    packages: Mapped[int] = mapped_column(BigInt, default=0)
    # The data format (数据版本) its newest package named; what goes back to it is
    # written in it while this program can write it ("": not known, today's).
    sync_format: Mapped[str] = mapped_column(String(16), default="", server_default="")


class SyncRowState(Base):
    """The stamp of a row this database last took from a peer (the base of conflict detection)."""

    __tablename__ = "sync_row_state"
    # One row per merged row at the street (millions): on SQLite the table is its
    # own primary-key index (WITHOUT ROWID), one B-tree written per row, not two.
    __table_args__ = ({"sqlite_with_rowid": False},)

    peer_site: Mapped[str] = mapped_column(String(36), primary_key=True)
    table_name: Mapped[str] = mapped_column(String(64), primary_key=True)
    row_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    version: Mapped[int] = mapped_column(Integer)
    # NULL: the peer itself (all but a handful of rows); read as coalesce(site, peer_site).
    site: Mapped[str | None] = mapped_column(String(36))
    # Read only by a community, of its stamps with the street (sync.outgoing.upstream_rows):
    # NULL in a street's stamps with its communities.
    agreed_at: Mapped[datetime | None] = mapped_column(DateTime, default=None)
    # The peer brought this row here first: at the street, a community's own rows
    # (what the street sends down to one community leaves out the others').
    introduced: Mapped[bool] = mapped_column(Boolean, default=False)
    # Our own stamp of the row when we took the peer's, where the two differ: the
    # same content reached both ends under two stamps (rows seeded with fixed ids).
    local_version: Mapped[int | None] = mapped_column(Integer, default=None)
    local_site: Mapped[str | None] = mapped_column(String(36), default=None)


class SyncConflict(Base):
    """A row changed at both ends since they last agreed, kept with both sides until a person decides."""

    __tablename__ = "sync_conflict"
    __table_args__ = (Index("ix_sync_conflict_row", "table_name", "row_id", "peer_site"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    peer_site: Mapped[str] = mapped_column(String(36))
    table_name: Mapped[str] = mapped_column(String(64))
    row_id: Mapped[str] = mapped_column(String(36))
    package_id: Mapped[str] = mapped_column(String(36), default="")
    detected_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    local_version: Mapped[int] = mapped_column(Integer)
    local_site: Mapped[str] = mapped_column(String(36))
    incoming_version: Mapped[int] = mapped_column(Integer)
    incoming_site: Mapped[str] = mapped_column(String(36))
    local_json: Mapped[str] = mapped_column(Text)  # column -> text value (see sync.codec)
    incoming_json: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(12), default="open", index=True)  # open / resolved / superseded
    resolution: Mapped[str] = mapped_column(String(12), default="")  # local / incoming / superseded
    resolved_at: Mapped[datetime | None] = mapped_column(DateTime, default=None)
    resolved_by: Mapped[str] = mapped_column(String(40), default="")


class SyncExport(Base):
    """A package this database made; `confirmed_at` once the street said it merged it."""

    __tablename__ = "sync_export"

    package_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    kind: Mapped[str] = mapped_column(String(12))  # upstream / downstream
    seq: Mapped[int] = mapped_column(BigInt, index=True)
    to_site: Mapped[str] = mapped_column(String(36), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime)
    since: Mapped[datetime | None] = mapped_column(DateTime, default=None)
    until: Mapped[datetime] = mapped_column(DateTime)
    full: Mapped[bool] = mapped_column(Boolean, default=False)
    plain: Mapped[bool] = mapped_column(Boolean, default=False)
    rows: Mapped[int] = mapped_column(BigInt, default=0)
    size: Mapped[int] = mapped_column(BigInteger, default=0)
    file_name: Mapped[str] = mapped_column(String(260), default="")
    counts: Mapped[str] = mapped_column(Text, default="{}")  # JSON: rows per table
    confirmed_at: Mapped[datetime | None] = mapped_column(DateTime, default=None)


class SyncImport(Base):
    """A package this database merged (the first time; importing it again changes nothing)."""

    __tablename__ = "sync_import"

    package_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    kind: Mapped[str] = mapped_column(String(12))
    from_site: Mapped[str] = mapped_column(String(36), index=True)
    seq: Mapped[int] = mapped_column(BigInt)
    created_at: Mapped[datetime] = mapped_column(DateTime)  # when the sender made it
    until: Mapped[datetime] = mapped_column(DateTime)
    full: Mapped[bool] = mapped_column(Boolean, default=False)
    imported_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    size: Mapped[int] = mapped_column(BigInteger, default=0)
    rows: Mapped[int] = mapped_column(BigInt, default=0)
    file_name: Mapped[str] = mapped_column(String(260), default="")
    counts: Mapped[str] = mapped_column(Text, default="{}")  # JSON: table -> decision -> n
