"""Authentication tables: login sessions (their refresh tokens live in settings)."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Index, String, func
from sqlalchemy.dialects.postgresql import INET, UUID
from sqlalchemy.orm import Mapped, mapped_column

from backend.db.mixins import TimestampMixin, UUIDPrimaryKeyMixin
from backend.db.session import Base


class UserSession(UUIDPrimaryKeyMixin, TimestampMixin, Base):
    """A login on one device, listed under "your devices" and revocable from there."""

    __tablename__ = "user_sessions"
    __table_args__ = (
        # "Your devices" and "sign out everywhere"; also serves the user FK.
        Index("ix_user_sessions_user_id", "user_id"),
        # The purge job deletes expired sessions (their refresh tokens cascade).
        Index("ix_user_sessions_expires_at", "expires_at"),
    )

    user_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("users.id", ondelete="CASCADE")
    )
    device_name: Mapped[str | None] = mapped_column(String(100))
    user_agent: Mapped[str | None] = mapped_column(String(500))
    ip_address: Mapped[str | None] = mapped_column(INET)
    last_seen_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    revoke_reason: Mapped[str | None] = mapped_column(String(50))
