"""Settings tables: users and access control, organizations, commodities and trade-term masters."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB, UUID
from sqlalchemy.orm import Mapped, mapped_column

from backend.db.mixins import TimestampMixin, UUIDPrimaryKeyMixin
from backend.db.session import Base

# Indian tax identifiers; checked in the database so that imports and scripts cannot bypass them.
PAN_FORMAT = "pan ~ '^[A-Z]{5}[0-9]{4}[A-Z]$'"
GSTIN_FORMAT = "gstin ~ '^[0-9]{2}[A-Z]{5}[0-9]{4}[A-Z][1-9A-Z]Z[0-9A-Z]$'"

# --- Users and access control ----------------------------------------------------------------


class User(UUIDPrimaryKeyMixin, TimestampMixin, Base):
    """A person who logs in: staff of an organization, or a partner's employee on the portal."""

    __tablename__ = "users"
    __table_args__ = (
        Index("ix_users_organization_id", "organization_id"),
        # Stored lower-case so the unique constraint is case-insensitive without an expression index.
        CheckConstraint("email = lower(email)", name="email_lowercase"),
        CheckConstraint("user_type IN ('internal', 'partner')", name="user_type_known"),
    )

    email: Mapped[str] = mapped_column(String(320), unique=True)
    # Unique because OTP login looks the user up by phone.
    phone: Mapped[str | None] = mapped_column(String(20), unique=True)
    # NULL for users who only sign in by OTP or single sign-on.
    password_hash: Mapped[str | None] = mapped_column(String(255))
    full_name: Mapped[str] = mapped_column(String(200))
    user_type: Mapped[str] = mapped_column(String(20), server_default=text("'internal'"))
    organization_id: Mapped[uuid.UUID | None] = mapped_column(
        UUID(as_uuid=True), ForeignKey("organizations.id", ondelete="SET NULL")
    )
    is_active: Mapped[bool] = mapped_column(Boolean, server_default=text("true"))
    mfa_enabled: Mapped[bool] = mapped_column(Boolean, server_default=text("false"))
    email_verified_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_login_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class Role(UUIDPrimaryKeyMixin, TimestampMixin, Base):
    """A named bundle of permissions (e.g. ``trader``, ``accounts``)."""

    __tablename__ = "roles"

    code: Mapped[str] = mapped_column(String(50), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    description: Mapped[str | None] = mapped_column(Text)
    # System roles are seeded by migrations; the admin UI may not edit or delete them.
    is_system: Mapped[bool] = mapped_column(Boolean, server_default=text("false"))


class Permission(UUIDPrimaryKeyMixin, TimestampMixin, Base):
    """One action on one resource (``trade.create``), checked by the API."""

    __tablename__ = "permissions"

    code: Mapped[str] = mapped_column(String(100), unique=True)
    resource: Mapped[str] = mapped_column(String(50))
    action: Mapped[str] = mapped_column(String(50))
    description: Mapped[str | None] = mapped_column(Text)


class RolePermission(UUIDPrimaryKeyMixin, TimestampMixin, Base):
    """A permission included in a role."""

    __tablename__ = "role_permissions"
    __table_args__ = (
        UniqueConstraint("role_id", "permission_id"),
        Index("ix_role_permissions_permission_id", "permission_id"),
    )

    role_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("roles.id", ondelete="CASCADE")
    )
    permission_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("permissions.id", ondelete="CASCADE")
    )


class UserRole(UUIDPrimaryKeyMixin, TimestampMixin, Base):
    """A role held by a user."""

    __tablename__ = "user_roles"
    __table_args__ = (
        UniqueConstraint("user_id", "role_id"),
        Index("ix_user_roles_role_id", "role_id"),
    )

    user_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("users.id", ondelete="CASCADE")
    )
    role_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("roles.id", ondelete="CASCADE")
    )


class RefreshToken(UUIDPrimaryKeyMixin, TimestampMixin, Base):
    """A rotating refresh token of a login session; only its hash is stored."""

    __tablename__ = "refresh_tokens"
    __table_args__ = (
        # Reuse of a rotated token revokes every token of its session; also serves the FK.
        # Expired tokens need no purge index: they go with their session (ON DELETE CASCADE).
        Index("ix_refresh_tokens_session_id", "session_id"),
    )

    session_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("user_sessions.id", ondelete="CASCADE")
    )
    token_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    rotated_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


# --- Organizations (the companies whose books this ERP keeps) ---------------------------------


class Organization(UUIDPrimaryKeyMixin, TimestampMixin, Base):
    """A legal entity using the ERP; trades are booked in its name."""

    __tablename__ = "organizations"
    __table_args__ = (CheckConstraint(PAN_FORMAT, name="pan_format"),)

    code: Mapped[str] = mapped_column(String(20), unique=True)
    legal_name: Mapped[str] = mapped_column(String(200))
    trade_name: Mapped[str | None] = mapped_column(String(200))
    pan: Mapped[str] = mapped_column(String(10), unique=True)
    cin: Mapped[str | None] = mapped_column(String(21))
    address: Mapped[str | None] = mapped_column(Text)
    city: Mapped[str | None] = mapped_column(String(100))
    state: Mapped[str | None] = mapped_column(String(100))
    state_code: Mapped[str | None] = mapped_column(String(2))
    pincode: Mapped[str | None] = mapped_column(String(6))
    country: Mapped[str] = mapped_column(String(2), server_default=text("'IN'"))
    email: Mapped[str | None] = mapped_column(String(320))
    phone: Mapped[str | None] = mapped_column(String(20))
    base_currency: Mapped[str] = mapped_column(String(3), server_default=text("'INR'"))
    is_active: Mapped[bool] = mapped_column(Boolean, server_default=text("true"))


class OrganizationGst(UUIDPrimaryKeyMixin, TimestampMixin, Base):
    """A GST registration of an organization; one per state it trades from."""

    __tablename__ = "organization_gst"
    __table_args__ = (
        Index("ix_organization_gst_organization_id", "organization_id"),
        # At most one primary GSTIN per organization, printed when no state applies.
        Index(
            "uq_organization_gst_primary",
            "organization_id",
            unique=True,
            postgresql_where=text("is_primary"),
        ),
        CheckConstraint(GSTIN_FORMAT, name="gstin_format"),
        # The first two digits of a GSTIN are the state code.
        CheckConstraint("state_code = substr(gstin, 1, 2)", name="state_code_matches_gstin"),
        CheckConstraint(
            "registration_type IN ('regular', 'composition', 'sez', 'isd')",
            name="registration_type_known",
        ),
    )

    organization_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("organizations.id", ondelete="CASCADE")
    )
    gstin: Mapped[str] = mapped_column(String(15), unique=True)
    state_code: Mapped[str] = mapped_column(String(2))
    registration_type: Mapped[str] = mapped_column(String(20), server_default=text("'regular'"))
    is_primary: Mapped[bool] = mapped_column(Boolean, server_default=text("false"))
    registered_on: Mapped[date | None] = mapped_column(Date)
    cancelled_on: Mapped[date | None] = mapped_column(Date)


class OrganizationBankAccount(UUIDPrimaryKeyMixin, TimestampMixin, Base):
    """A bank account of an organization, printed on contracts for payment."""

    __tablename__ = "organization_bank_accounts"
    __table_args__ = (
        # An account is identified by IFSC and number; also serves the organization FK.
        UniqueConstraint(
            "organization_id",
            "ifsc",
            "account_number",
            name="uq_organization_bank_accounts_account",
        ),
        # One primary account per organization and currency, used by default on contracts.
        Index(
            "uq_organization_bank_accounts_primary",
            "organization_id",
            "currency",
            unique=True,
            postgresql_where=text("is_primary"),
        ),
        CheckConstraint("ifsc ~ '^[A-Z]{4}0[A-Z0-9]{6}$'", name="ifsc_format"),
        CheckConstraint(
            "account_type IN ('current', 'savings', 'cash_credit', 'overdraft')",
            name="account_type_known",
        ),
    )

    organization_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("organizations.id", ondelete="CASCADE")
    )
    account_holder_name: Mapped[str] = mapped_column(String(200))
    bank_name: Mapped[str] = mapped_column(String(100))
    branch_name: Mapped[str | None] = mapped_column(String(100))
    account_number: Mapped[str] = mapped_column(String(34))
    ifsc: Mapped[str] = mapped_column(String(11))
    account_type: Mapped[str] = mapped_column(String(20), server_default=text("'current'"))
    currency: Mapped[str] = mapped_column(String(3), server_default=text("'INR'"))
    is_primary: Mapped[bool] = mapped_column(Boolean, server_default=text("false"))
    is_active: Mapped[bool] = mapped_column(Boolean, server_default=text("true"))


class OrganizationFinancialYear(UUIDPrimaryKeyMixin, TimestampMixin, Base):
    """An accounting year of an organization (April to March in India)."""

    __tablename__ = "organization_financial_years"
    __table_args__ = (
        UniqueConstraint("organization_id", "code"),
        CheckConstraint("end_date > start_date", name="end_after_start"),
    )

    organization_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("organizations.id", ondelete="CASCADE")
    )
    code: Mapped[str] = mapped_column(String(9))  # e.g. 2024-25
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date] = mapped_column(Date)
    # A closed year accepts no new documents; its series stop numbering.
    is_closed: Mapped[bool] = mapped_column(Boolean, server_default=text("false"))
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class OrganizationDocumentSeries(UUIDPrimaryKeyMixin, TimestampMixin, Base):
    """The numbering of one document type in one financial year (e.g. contracts ``CT/24-25/``)."""

    __tablename__ = "organization_document_series"
    __table_args__ = (
        # The year implies the organization, so the year is the key; also serves the year FK.
        UniqueConstraint(
            "financial_year_id",
            "document_type",
            name="uq_organization_document_series_year_type",
        ),
        CheckConstraint("next_number > 0", name="next_number_positive"),
        CheckConstraint("number_padding BETWEEN 1 AND 10", name="number_padding_range"),
        CheckConstraint(
            "document_type IN ('contract', 'invoice', 'debit_note', 'credit_note', "
            "'delivery_order', 'payment_receipt')",
            name="document_type_known",
        ),
    )

    financial_year_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True),
        ForeignKey(
            "organization_financial_years.id",
            ondelete="CASCADE",
            # The conventional name is over 63 characters; PostgreSQL would truncate it.
            name="fk_organization_document_series_financial_year_id",
        ),
    )
    document_type: Mapped[str] = mapped_column(String(30))
    prefix: Mapped[str] = mapped_column(String(20))
    # Taken with SELECT ... FOR UPDATE so that numbers have no gaps (a GST requirement).
    next_number: Mapped[int] = mapped_column(Integer, server_default=text("1"))
    number_padding: Mapped[int] = mapped_column(Integer, server_default=text("5"))
    is_active: Mapped[bool] = mapped_column(Boolean, server_default=text("true"))


# --- Commodities ------------------------------------------------------------------------------


class Commodity(UUIDPrimaryKeyMixin, TimestampMixin, Base):
    """A traded commodity (cotton bales, cotton seed, kapas, ...)."""

    __tablename__ = "commodities"
    __table_args__ = (
        Index("ix_commodities_hsn_id", "hsn_id"),
        CheckConstraint(
            "default_unit IN ('kg', 'quintal', 'candy', 'bale', 'mt')", name="default_unit_known"
        ),
    )

    code: Mapped[str] = mapped_column(String(20), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    hsn_id: Mapped[uuid.UUID | None] = mapped_column(
        UUID(as_uuid=True), ForeignKey("hsn_knowledge_base.id", ondelete="SET NULL")
    )
    # Cotton lint is quoted per candy (355.6 kg) and shipped in bales (170 kg).
    default_unit: Mapped[str] = mapped_column(String(10), server_default=text("'candy'"))
    is_active: Mapped[bool] = mapped_column(Boolean, server_default=text("true"))


class CommodityVariety(UUIDPrimaryKeyMixin, TimestampMixin, Base):
    """A variety of a commodity (e.g. Shankar-6, MCU-5, DCH-32 for cotton)."""

    __tablename__ = "commodity_varieties"
    __table_args__ = (UniqueConstraint("commodity_id", "code"),)

    commodity_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("commodities.id", ondelete="CASCADE")
    )
    code: Mapped[str] = mapped_column(String(30))
    name: Mapped[str] = mapped_column(String(100))
    description: Mapped[str | None] = mapped_column(Text)
    is_active: Mapped[bool] = mapped_column(Boolean, server_default=text("true"))


class SystemCommodityParameter(UUIDPrimaryKeyMixin, TimestampMixin, Base):
    """A quality parameter known to the platform (staple length, micronaire, trash, moisture)."""

    __tablename__ = "system_commodity_parameters"
    __table_args__ = (
        CheckConstraint("data_type IN ('numeric', 'text', 'boolean')", name="data_type_known"),
        CheckConstraint("min_value <= max_value", name="min_not_above_max"),
    )

    code: Mapped[str] = mapped_column(String(50), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    unit: Mapped[str | None] = mapped_column(String(20))
    data_type: Mapped[str] = mapped_column(String(10), server_default=text("'numeric'"))
    min_value: Mapped[Decimal | None] = mapped_column(Numeric(18, 4))
    max_value: Mapped[Decimal | None] = mapped_column(Numeric(18, 4))
    description: Mapped[str | None] = mapped_column(Text)


class CommodityParameter(UUIDPrimaryKeyMixin, TimestampMixin, Base):
    """A quality parameter of one commodity; its code is a key of ``quality_params`` JSON."""

    __tablename__ = "commodity_parameters"
    __table_args__ = (
        UniqueConstraint("commodity_id", "code"),
        Index("ix_commodity_parameters_system_parameter_id", "system_parameter_id"),
        CheckConstraint("data_type IN ('numeric', 'text', 'boolean')", name="data_type_known"),
        CheckConstraint("min_value <= max_value", name="min_not_above_max"),
    )

    commodity_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("commodities.id", ondelete="CASCADE")
    )
    # RESTRICT: the system parameter defines the meaning that stored quality_params rely on.
    system_parameter_id: Mapped[uuid.UUID | None] = mapped_column(
        UUID(as_uuid=True),
        ForeignKey(
            "system_commodity_parameters.id",
            ondelete="RESTRICT",
            # The conventional name is over 63 characters; PostgreSQL would truncate it.
            name="fk_commodity_parameters_system_parameter_id",
        ),
    )
    code: Mapped[str] = mapped_column(String(50))
    name: Mapped[str] = mapped_column(String(100))
    unit: Mapped[str | None] = mapped_column(String(20))
    data_type: Mapped[str] = mapped_column(String(10), server_default=text("'numeric'"))
    min_value: Mapped[Decimal | None] = mapped_column(Numeric(18, 4))
    max_value: Mapped[Decimal | None] = mapped_column(Numeric(18, 4))
    is_mandatory: Mapped[bool] = mapped_column(Boolean, server_default=text("false"))
    display_order: Mapped[int] = mapped_column(Integer, server_default=text("0"))


# --- Trade-term masters: picked on requirements, offers and contracts -------------------------


class PaymentTerm(UUIDPrimaryKeyMixin, TimestampMixin, Base):
    """When the buyer pays (e.g. 10% advance, balance in 30 days)."""

    __tablename__ = "payment_terms"
    __table_args__ = (
        CheckConstraint("credit_days >= 0", name="credit_days_non_negative"),
        CheckConstraint("advance_percent BETWEEN 0 AND 100", name="advance_percent_range"),
    )

    code: Mapped[str] = mapped_column(String(30), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    credit_days: Mapped[int] = mapped_column(Integer, server_default=text("0"))
    advance_percent: Mapped[Decimal] = mapped_column(Numeric(5, 2), server_default=text("0"))
    description: Mapped[str | None] = mapped_column(Text)
    is_active: Mapped[bool] = mapped_column(Boolean, server_default=text("true"))


class DeliveryTerm(UUIDPrimaryKeyMixin, TimestampMixin, Base):
    """Where ownership and risk pass (ex-gin, FOR mill, FOB port)."""

    __tablename__ = "delivery_terms"

    code: Mapped[str] = mapped_column(String(30), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    includes_freight: Mapped[bool] = mapped_column(Boolean, server_default=text("false"))
    description: Mapped[str | None] = mapped_column(Text)
    is_active: Mapped[bool] = mapped_column(Boolean, server_default=text("true"))


class WeightmentTerm(UUIDPrimaryKeyMixin, TimestampMixin, Base):
    """Whose weighbridge decides the invoiced weight, and the tolerated difference."""

    __tablename__ = "weightment_terms"
    __table_args__ = (
        CheckConstraint(
            "weighed_at IN ('seller', 'buyer', 'third_party')", name="weighed_at_known"
        ),
        CheckConstraint("tolerance_percent BETWEEN 0 AND 100", name="tolerance_percent_range"),
    )

    code: Mapped[str] = mapped_column(String(30), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    weighed_at: Mapped[str] = mapped_column(String(20))
    tolerance_percent: Mapped[Decimal] = mapped_column(Numeric(5, 2), server_default=text("0"))
    description: Mapped[str | None] = mapped_column(Text)
    is_active: Mapped[bool] = mapped_column(Boolean, server_default=text("true"))


class PassingTerm(UUIDPrimaryKeyMixin, TimestampMixin, Base):
    """Who passes the quality of a lot (seller's, buyer's or an independent lab's test)."""

    __tablename__ = "passing_terms"
    __table_args__ = (
        CheckConstraint(
            "passed_by IN ('seller', 'buyer', 'third_party_lab')", name="passed_by_known"
        ),
    )

    code: Mapped[str] = mapped_column(String(30), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    passed_by: Mapped[str] = mapped_column(String(20))
    description: Mapped[str | None] = mapped_column(Text)
    is_active: Mapped[bool] = mapped_column(Boolean, server_default=text("true"))


class BargainType(UUIDPrimaryKeyMixin, TimestampMixin, Base):
    """The kind of bargain (spot, ready, forward delivery)."""

    __tablename__ = "bargain_types"

    code: Mapped[str] = mapped_column(String(30), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    description: Mapped[str | None] = mapped_column(Text)
    is_active: Mapped[bool] = mapped_column(Boolean, server_default=text("true"))


class TradeType(UUIDPrimaryKeyMixin, TimestampMixin, Base):
    """Domestic, export or import; decides the tax and document flow of a trade."""

    __tablename__ = "trade_types"

    code: Mapped[str] = mapped_column(String(30), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    description: Mapped[str | None] = mapped_column(Text)
    is_active: Mapped[bool] = mapped_column(Boolean, server_default=text("true"))


class CommissionStructure(UUIDPrimaryKeyMixin, TimestampMixin, Base):
    """The brokerage charged on trades of a commodity and trade type over a period."""

    __tablename__ = "commission_structures"
    __table_args__ = (
        Index("ix_commission_structures_commodity_id", "commodity_id"),
        Index("ix_commission_structures_trade_type_id", "trade_type_id"),
        CheckConstraint("basis IN ('percent', 'per_unit', 'flat')", name="basis_known"),
        CheckConstraint("rate >= 0", name="rate_non_negative"),
        CheckConstraint("payable_by IN ('buyer', 'seller', 'both')", name="payable_by_known"),
        CheckConstraint(
            "effective_to IS NULL OR effective_to >= effective_from", name="effective_window"
        ),
    )

    name: Mapped[str] = mapped_column(String(100))
    # NULL commodity or trade type: the structure applies to all of them.
    commodity_id: Mapped[uuid.UUID | None] = mapped_column(
        UUID(as_uuid=True), ForeignKey("commodities.id", ondelete="SET NULL")
    )
    trade_type_id: Mapped[uuid.UUID | None] = mapped_column(
        UUID(as_uuid=True), ForeignKey("trade_types.id", ondelete="SET NULL")
    )
    basis: Mapped[str] = mapped_column(String(20))
    rate: Mapped[Decimal] = mapped_column(Numeric(18, 4))
    currency: Mapped[str] = mapped_column(String(3), server_default=text("'INR'"))
    payable_by: Mapped[str] = mapped_column(String(10), server_default=text("'both'"))
    effective_from: Mapped[date] = mapped_column(Date)
    effective_to: Mapped[date | None] = mapped_column(Date)
    is_active: Mapped[bool] = mapped_column(Boolean, server_default=text("true"))


class SettingsLocation(UUIDPrimaryKeyMixin, TimestampMixin, Base):
    """A known trading place (mandi, ginning hub, port, warehouse) used for delivery and matching."""

    __tablename__ = "settings_locations"
    __table_args__ = (
        CheckConstraint(
            "location_type IN ('city', 'mandi', 'ginning_hub', 'port', 'warehouse')",
            name="location_type_known",
        ),
        CheckConstraint("latitude BETWEEN -90 AND 90", name="latitude_range"),
        CheckConstraint("longitude BETWEEN -180 AND 180", name="longitude_range"),
    )

    code: Mapped[str] = mapped_column(String(20), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    location_type: Mapped[str] = mapped_column(String(20))
    district: Mapped[str | None] = mapped_column(String(100))
    state: Mapped[str] = mapped_column(String(100))
    state_code: Mapped[str] = mapped_column(String(2))
    pincode: Mapped[str | None] = mapped_column(String(6))
    country: Mapped[str] = mapped_column(String(2), server_default=text("'IN'"))
    latitude: Mapped[Decimal | None] = mapped_column(Numeric(9, 6))
    longitude: Mapped[Decimal | None] = mapped_column(Numeric(9, 6))
    is_active: Mapped[bool] = mapped_column(Boolean, server_default=text("true"))


class HsnKnowledgeBase(UUIDPrimaryKeyMixin, TimestampMixin, Base):
    """HSN codes with their GST rates, for classifying commodities and invoicing."""

    __tablename__ = "hsn_knowledge_base"
    __table_args__ = (
        # The classifier looks codes up by keyword: keywords @> '["cotton"]'.
        Index(
            "ix_hsn_knowledge_base_keywords",
            "keywords",
            postgresql_using="gin",
            postgresql_ops={"keywords": "jsonb_path_ops"},
        ),
        CheckConstraint("gst_rate BETWEEN 0 AND 100", name="gst_rate_range"),
        CheckConstraint("cess_rate BETWEEN 0 AND 100", name="cess_rate_range"),
    )

    hsn_code: Mapped[str] = mapped_column(String(8), unique=True)
    description: Mapped[str] = mapped_column(Text)
    gst_rate: Mapped[Decimal] = mapped_column(Numeric(5, 2))
    cess_rate: Mapped[Decimal] = mapped_column(Numeric(5, 2), server_default=text("0"))
    keywords: Mapped[list[Any]] = mapped_column(JSONB, server_default=text("'[]'::jsonb"))
    effective_from: Mapped[date | None] = mapped_column(Date)
