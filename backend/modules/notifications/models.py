"""Notification tables: messages to users, their per-channel preferences and push tokens."""

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
    text,
)
from sqlalchemy.dialects.postgresql import JSONB, UUID
from sqlalchemy.orm import Mapped, mapped_column

from backend.db.mixins import TimestampMixin, UUIDPrimaryKeyMixin
from backend.db.session import Base


class NotificationChannel(str, enum.Enum):
    """How a notification reaches the user."""

    IN_APP = "in_app"
    EMAIL = "email"
    SMS = "sms"
    PUSH = "push"
    WHATSAPP = "whatsapp"


notification_channel_enum = Enum(
    NotificationChannel,
    name="notification_channel",
    metadata=Base.metadata,
    values_callable=lambda members: [m.value for m in members],
)


class Notification(UUIDPrimaryKeyMixin, TimestampMixin, Base):
    """One message to one user on one channel."""

    __tablename__ = "notifications"
    __table_args__ = (
        # The outbox delivers events at least once; a redelivered event must not notify twice.
        # Also serves the event FK.
        UniqueConstraint("event_id", "user_id", "channel"),
        # The user's inbox, newest first; also serves the user FK.
        Index("ix_notifications_user_id_created_at", "user_id", "created_at"),
        # The unread badge, counted on every page load.
        Index(
            "ix_notifications_unread_in_app",
            "user_id",
            postgresql_where=text("read_at IS NULL AND channel = 'in_app'"),
        ),
        # The dispatcher sends queued messages oldest first.
        Index(
            "ix_notifications_queued_created_at",
            "created_at",
            postgresql_where=text("status = 'queued'"),
        ),
        CheckConstraint("status IN ('queued', 'sent', 'delivered', 'failed')", name="status_known"),
        CheckConstraint("attempts >= 0", name="attempts_non_negative"),
    )

    user_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("users.id", ondelete="CASCADE")
    )
    # The event that caused it; NULL for messages sent by hand.
    event_id: Mapped[uuid.UUID | None] = mapped_column(
        UUID(as_uuid=True), ForeignKey("events.id", ondelete="SET NULL")
    )
    channel: Mapped[NotificationChannel] = mapped_column(notification_channel_enum)
    category: Mapped[str] = mapped_column(String(50))
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    # Deep-link target and template variables, e.g. {"trade_id": "..."}.
    data: Mapped[dict[str, Any]] = mapped_column(JSONB, server_default=text("'{}'::jsonb"))
    status: Mapped[str] = mapped_column(String(20), server_default=text("'queued'"))
    attempts: Mapped[int] = mapped_column(Integer, server_default=text("0"))
    last_error: Mapped[str | None] = mapped_column(Text)
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    read_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class NotificationPreference(UUIDPrimaryKeyMixin, TimestampMixin, Base):
    """Whether a user wants notifications of one category on one channel."""

    __tablename__ = "notification_preferences"
    # One switch per user, category and channel; also serves the user FK.
    __table_args__ = (UniqueConstraint("user_id", "category", "channel"),)

    user_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("users.id", ondelete="CASCADE")
    )
    category: Mapped[str] = mapped_column(String(50))
    channel: Mapped[NotificationChannel] = mapped_column(notification_channel_enum)
    is_enabled: Mapped[bool] = mapped_column(Boolean, server_default=text("true"))


class DeviceToken(UUIDPrimaryKeyMixin, TimestampMixin, Base):
    """A push token (FCM/APNs) of a user's device."""

    __tablename__ = "device_tokens"
    __table_args__ = (
        Index("ix_device_tokens_user_id", "user_id"),
        CheckConstraint("platform IN ('ios', 'android', 'web')", name="platform_known"),
    )

    user_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("users.id", ondelete="CASCADE")
    )
    # Unique: a device handed to another user re-registers the same token.
    token: Mapped[str] = mapped_column(String(512), unique=True)
    platform: Mapped[str] = mapped_column(String(10))
    device_name: Mapped[str | None] = mapped_column(String(100))
    app_version: Mapped[str | None] = mapped_column(String(20))
    last_used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    is_active: Mapped[bool] = mapped_column(Boolean, server_default=text("true"))
