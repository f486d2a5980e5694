"""Core tables: the domain event log and its outbox, capabilities, and GDPR records."""

from __future__ import annotations

import enum
import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    DateTime,
    Enum,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import INET, JSONB, UUID
from sqlalchemy.orm import Mapped, mapped_column

from backend.db.mixins import TimestampMixin, UUIDPrimaryKeyMixin
from backend.db.session import Base


class OutboxStatus(str, enum.Enum):
    """Where an outbox message is in its delivery to the broker."""

    PENDING = "pending"
    PROCESSING = "processing"
    PUBLISHED = "published"
    FAILED = "failed"  # retry scheduled at next_attempt_at
    DEAD = "dead"  # max_attempts exhausted; needs an operator


class DataSubjectRequestType(str, enum.Enum):
    """The rights of GDPR Articles 15-21 that a data subject can exercise."""

    ACCESS = "access"
    RECTIFICATION = "rectification"
    ERASURE = "erasure"
    RESTRICTION = "restriction"
    PORTABILITY = "portability"
    OBJECTION = "objection"


# Shared types carry metadata= so that create_all/drop_all create and drop them once,
# not once per table that uses them.
outbox_status_enum = Enum(
    OutboxStatus,
    name="outbox_status",
    metadata=Base.metadata,
    values_callable=lambda members: [m.value for m in members],
)
data_subject_request_type_enum = Enum(
    DataSubjectRequestType,
    name="data_subject_request_type",
    metadata=Base.metadata,
    values_callable=lambda members: [m.value for m in members],
)


class Event(UUIDPrimaryKeyMixin, TimestampMixin, Base):
    """A domain event, appended once and never updated; the audit trail of who did what."""

    __tablename__ = "events"
    __table_args__ = (
        # Optimistic concurrency: two writers cannot both append version N of one aggregate.
        # Also serves "history of aggregate X in order".
        UniqueConstraint("aggregate_type", "aggregate_id", "version"),
        # Serves the GDPR access export ("everything user X did") and the actor FK.
        Index("ix_events_actor_id_occurred_at", "actor_id", "occurred_at"),
        CheckConstraint("version > 0", name="version_positive"),
    )

    event_type: Mapped[str] = mapped_column(String(100))
    aggregate_type: Mapped[str] = mapped_column(String(50))
    aggregate_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    version: Mapped[int] = mapped_column(Integer)
    payload: Mapped[dict[str, Any]] = mapped_column(JSONB, server_default=text("'{}'::jsonb"))
    # SET NULL: erasing a user must not erase the business history they took part in.
    actor_id: Mapped[uuid.UUID | None] = mapped_column(
        UUID(as_uuid=True), ForeignKey("users.id", ondelete="SET NULL")
    )
    correlation_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    occurred_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )


class EventOutbox(UUIDPrimaryKeyMixin, TimestampMixin, Base):
    """A message written in the same transaction as its event, published later by the relay."""

    __tablename__ = "event_outbox"
    __table_args__ = (
        # Re-enqueueing an event for a topic is a no-op; also serves the event FK.
        UniqueConstraint("event_id", "topic"),
        # The relay's poll: due messages in order (SELECT ... FOR UPDATE SKIP LOCKED).
        Index(
            "ix_event_outbox_due",
            "next_attempt_at",
            postgresql_where=text("status IN ('pending', 'failed')"),
        ),
        # The purge job deletes published messages older than the retention window.
        Index(
            "ix_event_outbox_published_at",
            "published_at",
            postgresql_where=text("status = 'published'"),
        ),
        CheckConstraint("attempts >= 0", name="attempts_non_negative"),
        CheckConstraint("max_attempts > 0", name="max_attempts_positive"),
        CheckConstraint(
            "status <> 'published' OR published_at IS NOT NULL", name="published_has_timestamp"
        ),
    )

    event_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("events.id", ondelete="CASCADE")
    )
    topic: Mapped[str] = mapped_column(String(200))
    # A copy of the message as published, so the relay never joins back to events.
    payload: Mapped[dict[str, Any]] = mapped_column(JSONB)
    headers: Mapped[dict[str, Any]] = mapped_column(JSONB, server_default=text("'{}'::jsonb"))
    status: Mapped[OutboxStatus] = mapped_column(
        outbox_status_enum, server_default=text("'pending'")
    )
    attempts: Mapped[int] = mapped_column(Integer, server_default=text("0"))
    max_attempts: Mapped[int] = mapped_column(Integer, server_default=text("10"))
    next_attempt_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )
    # A relay that dies mid-batch releases its rows when the lease runs out.
    locked_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_error: Mapped[str | None] = mapped_column(Text)
    published_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class Capability(UUIDPrimaryKeyMixin, TimestampMixin, Base):
    """A product feature a user may use (e.g. ``trade.sign``), granted to roles or users."""

    __tablename__ = "capabilities"

    code: Mapped[str] = mapped_column(String(100), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)
    module: Mapped[str] = mapped_column(String(50))
    is_active: Mapped[bool] = mapped_column(Boolean, server_default=text("true"))


class UserCapability(UUIDPrimaryKeyMixin, TimestampMixin, Base):
    """A capability granted to one user directly, possibly for a limited time."""

    __tablename__ = "user_capabilities"
    __table_args__ = (
        UniqueConstraint("user_id", "capability_id"),
        Index("ix_user_capabilities_capability_id", "capability_id"),
    )

    user_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("users.id", ondelete="CASCADE")
    )
    capability_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("capabilities.id", ondelete="CASCADE")
    )
    expires_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class RoleCapability(UUIDPrimaryKeyMixin, TimestampMixin, Base):
    """A capability that every holder of a role has."""

    __tablename__ = "role_capabilities"
    __table_args__ = (
        UniqueConstraint("role_id", "capability_id"),
        Index("ix_role_capabilities_capability_id", "capability_id"),
    )

    role_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("roles.id", ondelete="CASCADE")
    )
    capability_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("capabilities.id", ondelete="CASCADE")
    )


class ConsentVersion(UUIDPrimaryKeyMixin, TimestampMixin, Base):
    """One published text of a consent (terms, privacy notice, marketing) that users accept."""

    __tablename__ = "consent_versions"
    __table_args__ = (
        UniqueConstraint("consent_type", "version"),
        CheckConstraint(
            "retired_at IS NULL OR retired_at > effective_from", name="retired_after_effective"
        ),
    )

    consent_type: Mapped[str] = mapped_column(String(50))
    version: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(String(200))
    content: Mapped[str] = mapped_column(Text)
    # Proves which exact text a user accepted, even if the row is edited by mistake later.
    content_sha256: Mapped[str] = mapped_column(String(64))
    effective_from: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    retired_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class UserConsent(UUIDPrimaryKeyMixin, TimestampMixin, Base):
    """A user's decision on one consent version; a new row per decision keeps the history."""

    __tablename__ = "user_consents"
    __table_args__ = (
        # "Has user X decided on version Y?", checked at login; also serves the user FK.
        Index("ix_user_consents_user_id_consent_version_id", "user_id", "consent_version_id"),
        Index("ix_user_consents_consent_version_id", "consent_version_id"),
    )

    user_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("users.id", ondelete="CASCADE")
    )
    # RESTRICT: a text someone consented to is evidence and must not disappear.
    consent_version_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("consent_versions.id", ondelete="RESTRICT")
    )
    granted: Mapped[bool] = mapped_column(Boolean)
    decided_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    withdrawn_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    ip_address: Mapped[str | None] = mapped_column(INET)
    user_agent: Mapped[str | None] = mapped_column(String(500))


class DataRetentionPolicy(UUIDPrimaryKeyMixin, TimestampMixin, Base):
    """How long rows of one kind are kept, and what the purge job does with them afterwards."""

    __tablename__ = "data_retention_policies"
    __table_args__ = (
        CheckConstraint("retention_days > 0", name="retention_days_positive"),
        CheckConstraint("action IN ('delete', 'anonymize', 'archive')", name="action_known"),
    )

    entity_type: Mapped[str] = mapped_column(String(100), unique=True)
    retention_days: Mapped[int] = mapped_column(Integer)
    action: Mapped[str] = mapped_column(String(20))
    legal_basis: Mapped[str] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)
    is_active: Mapped[bool] = mapped_column(Boolean, server_default=text("true"))


class UserRightRequest(UUIDPrimaryKeyMixin, TimestampMixin, Base):
    """A data-subject request (access, erasure, ...) and how it was handled."""

    __tablename__ = "user_right_requests"
    __table_args__ = (
        Index("ix_user_right_requests_user_id", "user_id"),
        Index("ix_user_right_requests_handled_by_id", "handled_by_id"),
        # The DPO's queue of open requests by deadline (GDPR allows one month).
        Index(
            "ix_user_right_requests_open_due_at",
            "due_at",
            postgresql_where=text("status NOT IN ('completed', 'rejected')"),
        ),
        CheckConstraint(
            "status IN ('received', 'verifying', 'in_progress', 'completed', 'rejected')",
            name="status_known",
        ),
        CheckConstraint("due_at >= received_at", name="due_after_received"),
    )

    # SET NULL: the record of an erasure request must outlive the erased user.
    user_id: Mapped[uuid.UUID | None] = mapped_column(
        UUID(as_uuid=True), ForeignKey("users.id", ondelete="SET NULL")
    )
    subject_email: Mapped[str] = mapped_column(String(320))
    request_type: Mapped[DataSubjectRequestType] = mapped_column(data_subject_request_type_enum)
    status: Mapped[str] = mapped_column(String(20), server_default=text("'received'"))
    received_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )
    due_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    completed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    handled_by_id: Mapped[uuid.UUID | None] = mapped_column(
        UUID(as_uuid=True), ForeignKey("users.id", ondelete="SET NULL")
    )
    resolution: Mapped[str | None] = mapped_column(Text)
    # Where the access/portability export was delivered (a signed object-store key).
    export_uri: Mapped[str | None] = mapped_column(String(1000))
