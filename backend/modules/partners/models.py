"""Partner tables: the buyers, sellers, brokers and transporters the desk trades with."""

from __future__ import annotations

import enum
import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Enum,
    ForeignKey,
    Index,
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
from backend.modules.settings.models import GSTIN_FORMAT, PAN_FORMAT


class PartnerType(str, enum.Enum):
    """The role a partner plays in trades; also the role of a contract signatory."""

    BUYER = "buyer"
    SELLER = "seller"
    BROKER = "broker"
    TRANSPORTER = "transporter"


class KycStatus(str, enum.Enum):
    """Know-your-customer state of a partner, an application or a renewal."""

    PENDING = "pending"
    IN_REVIEW = "in_review"
    VERIFIED = "verified"
    REJECTED = "rejected"
    EXPIRED = "expired"


partner_type_enum = Enum(
    PartnerType,
    name="partner_type",
    metadata=Base.metadata,
    values_callable=lambda members: [m.value for m in members],
)
kyc_status_enum = Enum(
    KycStatus,
    name="kyc_status",
    metadata=Base.metadata,
    values_callable=lambda members: [m.value for m in members],
)

CONSTITUTION_KNOWN = (
    "constitution IN ('proprietorship', 'partnership', 'llp', 'private_limited', "
    "'public_limited', 'cooperative', 'huf', 'trust')"
)


class BusinessPartner(UUIDPrimaryKeyMixin, TimestampMixin, Base):
    """A company the desk trades with, identified by its PAN (one partner per PAN)."""

    __tablename__ = "business_partners"
    __table_args__ = (
        # The renewal job lists verified partners whose KYC expires within the next weeks.
        Index(
            "ix_business_partners_kyc_expires_on",
            "kyc_expires_on",
            postgresql_where=text("kyc_status = 'verified'"),
        ),
        CheckConstraint(PAN_FORMAT, name="pan_format"),
        CheckConstraint(f"gstin IS NULL OR {GSTIN_FORMAT}", name="gstin_format"),
        # Characters 3-12 of a GSTIN are the holder's PAN.
        CheckConstraint("gstin IS NULL OR substr(gstin, 3, 10) = pan", name="gstin_matches_pan"),
        CheckConstraint(CONSTITUTION_KNOWN, name="constitution_known"),
        CheckConstraint("credit_limit >= 0", name="credit_limit_non_negative"),
    )

    partner_code: Mapped[str] = mapped_column(String(20), unique=True)
    partner_type: Mapped[PartnerType] = mapped_column(partner_type_enum)
    legal_name: Mapped[str] = mapped_column(String(200))
    trade_name: Mapped[str | None] = mapped_column(String(200))
    constitution: Mapped[str] = mapped_column(String(30))
    pan: Mapped[str] = mapped_column(String(10), unique=True)
    # The principal GSTIN; registrations in other states are on partner_branches.
    # NULL for unregistered farmers and small ginners below the GST threshold.
    gstin: Mapped[str | None] = mapped_column(String(15), unique=True)
    cin: Mapped[str | None] = mapped_column(String(21))
    email: Mapped[str | None] = mapped_column(String(320))
    phone: Mapped[str | None] = mapped_column(String(20))
    kyc_status: Mapped[KycStatus] = mapped_column(kyc_status_enum, server_default=text("'pending'"))
    kyc_verified_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    kyc_expires_on: Mapped[date | None] = mapped_column(Date)
    credit_limit: Mapped[Decimal] = mapped_column(Numeric(18, 4), server_default=text("0"))
    currency: Mapped[str] = mapped_column(String(3), server_default=text("'INR'"))
    is_active: Mapped[bool] = mapped_column(Boolean, server_default=text("true"))


class PartnerLocation(UUIDPrimaryKeyMixin, TimestampMixin, Base):
    """A physical place of a partner: registered office, godown, ginning factory, mill."""

    __tablename__ = "partner_locations"
    __table_args__ = (
        Index("ix_partner_locations_partner_id", "partner_id"),
        Index("ix_partner_locations_location_id", "location_id"),
        # One default place per purpose, pre-filled on requirements and contracts.
        Index(
            "uq_partner_locations_default",
            "partner_id",
            "location_type",
            unique=True,
            postgresql_where=text("is_default"),
        ),
        CheckConstraint(
            "location_type IN ('registered', 'billing', 'shipping', 'warehouse', "
            "'ginning_factory', 'mill')",
            name="location_type_known",
        ),
    )

    partner_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("business_partners.id", ondelete="CASCADE")
    )
    # The nearest known trading place; matching compares these rather than free-text addresses.
    location_id: Mapped[uuid.UUID | None] = mapped_column(
        UUID(as_uuid=True), ForeignKey("settings_locations.id", ondelete="SET NULL")
    )
    location_type: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(200))
    address_line1: Mapped[str] = mapped_column(String(200))
    address_line2: Mapped[str | None] = mapped_column(String(200))
    city: Mapped[str] = mapped_column(String(100))
    district: Mapped[str | None] = mapped_column(String(100))
    state: Mapped[str] = mapped_column(String(100))
    state_code: Mapped[str] = mapped_column(String(2))
    pincode: Mapped[str] = mapped_column(String(6))
    is_default: Mapped[bool] = mapped_column(Boolean, server_default=text("false"))
    is_active: Mapped[bool] = mapped_column(Boolean, server_default=text("true"))


class PartnerEmployee(UUIDPrimaryKeyMixin, TimestampMixin, Base):
    """A contact person of a partner; with a user account they act for it on the portal."""

    __tablename__ = "partner_employees"
    __table_args__ = (
        Index("ix_partner_employees_partner_id", "partner_id"),
        # One primary contact per partner, who receives contracts and notices.
        Index(
            "uq_partner_employees_primary_contact",
            "partner_id",
            unique=True,
            postgresql_where=text("is_primary_contact"),
        ),
    )

    partner_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("business_partners.id", ondelete="CASCADE")
    )
    # Unique: a portal login acts for exactly one partner.
    user_id: Mapped[uuid.UUID | None] = mapped_column(
        UUID(as_uuid=True), ForeignKey("users.id", ondelete="SET NULL"), unique=True
    )
    full_name: Mapped[str] = mapped_column(String(200))
    designation: Mapped[str | None] = mapped_column(String(100))
    email: Mapped[str | None] = mapped_column(String(320))
    phone: Mapped[str | None] = mapped_column(String(20))
    is_primary_contact: Mapped[bool] = mapped_column(Boolean, server_default=text("false"))
    can_sign_contracts: Mapped[bool] = mapped_column(Boolean, server_default=text("false"))
    is_active: Mapped[bool] = mapped_column(Boolean, server_default=text("true"))


class PartnerDocument(UUIDPrimaryKeyMixin, TimestampMixin, Base):
    """A KYC document (PAN card, GST certificate, cancelled cheque) of a partner or applicant."""

    __tablename__ = "partner_documents"
    __table_args__ = (
        Index("ix_partner_documents_partner_id", "partner_id"),
        Index("ix_partner_documents_application_id", "application_id"),
        Index("ix_partner_documents_verified_by_id", "verified_by_id"),
        # Expiry reminders for verified documents (licences, insurance).
        Index(
            "ix_partner_documents_verified_valid_until",
            "valid_until",
            postgresql_where=text("verification_status = 'verified'"),
        ),
        # Uploaded during onboarding (application only) or later (partner).
        CheckConstraint("partner_id IS NOT NULL OR application_id IS NOT NULL", name="has_owner"),
        CheckConstraint(
            "document_type IN ('pan', 'gst_certificate', 'cancelled_cheque', 'incorporation', "
            "'address_proof', 'bank_statement', 'trade_licence', 'other')",
            name="document_type_known",
        ),
        CheckConstraint(
            "verification_status IN ('pending', 'verified', 'rejected')",
            name="verification_status_known",
        ),
    )

    partner_id: Mapped[uuid.UUID | None] = mapped_column(
        UUID(as_uuid=True), ForeignKey("business_partners.id", ondelete="CASCADE")
    )
    application_id: Mapped[uuid.UUID | None] = mapped_column(
        UUID(as_uuid=True),
        ForeignKey(
            "partner_onboarding_applications.id",
            ondelete="CASCADE",
            # The conventional name is over 63 characters; PostgreSQL would truncate it.
            name="fk_partner_documents_application_id",
        ),
    )
    document_type: Mapped[str] = mapped_column(String(30))
    document_number: Mapped[str | None] = mapped_column(String(50))
    storage_key: Mapped[str] = mapped_column(String(500))
    sha256: Mapped[str] = mapped_column(String(64))
    mime_type: Mapped[str] = mapped_column(String(100))
    verification_status: Mapped[str] = mapped_column(String(20), server_default=text("'pending'"))
    verified_by_id: Mapped[uuid.UUID | None] = mapped_column(
        UUID(as_uuid=True), ForeignKey("users.id", ondelete="SET NULL")
    )
    verified_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    valid_until: Mapped[date | None] = mapped_column(Date)


class PartnerVehicle(UUIDPrimaryKeyMixin, TimestampMixin, Base):
    """A truck of a transporter, assigned to deliveries."""

    __tablename__ = "partner_vehicles"
    __table_args__ = (
        Index("ix_partner_vehicles_partner_id", "partner_id"),
        CheckConstraint(
            "registration_number = upper(registration_number)", name="registration_uppercase"
        ),
        CheckConstraint(
            "vehicle_type IN ('truck', 'trailer', 'container', 'tempo')", name="vehicle_type_known"
        ),
        CheckConstraint("capacity_kg > 0", name="capacity_positive"),
    )

    partner_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("business_partners.id", ondelete="CASCADE")
    )
    registration_number: Mapped[str] = mapped_column(String(15), unique=True)
    vehicle_type: Mapped[str] = mapped_column(String(20))
    capacity_kg: Mapped[Decimal | None] = mapped_column(Numeric(18, 4))
    insurance_valid_until: Mapped[date | None] = mapped_column(Date)
    permit_valid_until: Mapped[date | None] = mapped_column(Date)
    is_active: Mapped[bool] = mapped_column(Boolean, server_default=text("true"))


class PartnerBranch(UUIDPrimaryKeyMixin, TimestampMixin, Base):
    """An office of a partner, usually with its own state GST registration."""

    __tablename__ = "partner_branches"
    __table_args__ = (
        UniqueConstraint("partner_id", "branch_code"),
        # One head office per partner.
        Index(
            "uq_partner_branches_head_office",
            "partner_id",
            unique=True,
            postgresql_where=text("is_head_office"),
        ),
        CheckConstraint(f"gstin IS NULL OR {GSTIN_FORMAT}", name="gstin_format"),
    )

    partner_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("business_partners.id", ondelete="CASCADE")
    )
    branch_code: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(200))
    gstin: Mapped[str | None] = mapped_column(String(15), unique=True)
    state_code: Mapped[str] = mapped_column(String(2))
    address: Mapped[str] = mapped_column(Text)
    city: Mapped[str] = mapped_column(String(100))
    pincode: Mapped[str] = mapped_column(String(6))
    is_head_office: Mapped[bool] = mapped_column(Boolean, server_default=text("false"))
    is_active: Mapped[bool] = mapped_column(Boolean, server_default=text("true"))


class PartnerOnboardingApplication(UUIDPrimaryKeyMixin, TimestampMixin, Base):
    """A request to become a partner, reviewed before a business partner is created."""

    __tablename__ = "partner_onboarding_applications"
    __table_args__ = (
        Index("ix_partner_onboarding_applications_applicant_user_id", "applicant_user_id"),
        Index("ix_partner_onboarding_applications_reviewed_by_id", "reviewed_by_id"),
        Index("ix_partner_onboarding_applications_partner_id", "partner_id"),
        # The reviewers' queue, oldest submission first.
        Index(
            "ix_partner_onboarding_applications_queue",
            "submitted_at",
            postgresql_where=text("status IN ('submitted', 'under_review')"),
        ),
        CheckConstraint(
            "status IN ('draft', 'submitted', 'under_review', 'approved', 'rejected', 'withdrawn')",
            name="status_known",
        ),
        CheckConstraint(PAN_FORMAT, name="pan_format"),
        CheckConstraint(f"gstin IS NULL OR {GSTIN_FORMAT}", name="gstin_format"),
        CheckConstraint(CONSTITUTION_KNOWN, name="constitution_known"),
    )

    application_number: Mapped[str] = mapped_column(String(30), unique=True)
    partner_type: Mapped[PartnerType] = mapped_column(partner_type_enum)
    legal_name: Mapped[str] = mapped_column(String(200))
    trade_name: Mapped[str | None] = mapped_column(String(200))
    constitution: Mapped[str] = mapped_column(String(30))
    pan: Mapped[str] = mapped_column(String(10))
    gstin: Mapped[str | None] = mapped_column(String(15))
    email: Mapped[str] = mapped_column(String(320))
    phone: Mapped[str] = mapped_column(String(20))
    # The full form as submitted (addresses, bank details, references), kept as evidence.
    submitted_data: Mapped[dict[str, Any]] = mapped_column(
        JSONB, server_default=text("'{}'::jsonb")
    )
    status: Mapped[str] = mapped_column(String(20), server_default=text("'draft'"))
    # Outcome of the automated PAN/GSTIN checks run on submission.
    kyc_status: Mapped[KycStatus] = mapped_column(kyc_status_enum, server_default=text("'pending'"))
    applicant_user_id: Mapped[uuid.UUID | None] = mapped_column(
        UUID(as_uuid=True), ForeignKey("users.id", ondelete="SET NULL")
    )
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    reviewed_by_id: Mapped[uuid.UUID | None] = mapped_column(
        UUID(as_uuid=True), ForeignKey("users.id", ondelete="SET NULL")
    )
    reviewed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    rejection_reason: Mapped[str | None] = mapped_column(Text)
    # The partner created on approval.
    partner_id: Mapped[uuid.UUID | None] = mapped_column(
        UUID(as_uuid=True), ForeignKey("business_partners.id", ondelete="SET NULL")
    )


class PartnerAmendment(UUIDPrimaryKeyMixin, TimestampMixin, Base):
    """A requested change to a partner's master data, applied only after review."""

    __tablename__ = "partner_amendments"
    __table_args__ = (
        Index("ix_partner_amendments_partner_id", "partner_id"),
        Index("ix_partner_amendments_requested_by_id", "requested_by_id"),
        Index("ix_partner_amendments_reviewed_by_id", "reviewed_by_id"),
        # The reviewers' queue of pending changes.
        Index(
            "ix_partner_amendments_pending",
            "created_at",
            postgresql_where=text("status = 'pending'"),
        ),
        CheckConstraint(
            "status IN ('pending', 'approved', 'rejected', 'applied')", name="status_known"
        ),
    )

    partner_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("business_partners.id", ondelete="CASCADE")
    )
    # {"field": {"old": ..., "new": ...}}: what the reviewer sees and what gets applied.
    changes: Mapped[dict[str, Any]] = mapped_column(JSONB)
    reason: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), server_default=text("'pending'"))
    requested_by_id: Mapped[uuid.UUID | None] = mapped_column(
        UUID(as_uuid=True), ForeignKey("users.id", ondelete="SET NULL")
    )
    reviewed_by_id: Mapped[uuid.UUID | None] = mapped_column(
        UUID(as_uuid=True), ForeignKey("users.id", ondelete="SET NULL")
    )
    reviewed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    applied_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class PartnerKycRenewal(UUIDPrimaryKeyMixin, TimestampMixin, Base):
    """A periodic re-verification of a partner's KYC."""

    __tablename__ = "partner_kyc_renewals"
    __table_args__ = (
        Index("ix_partner_kyc_renewals_partner_id", "partner_id"),
        Index("ix_partner_kyc_renewals_verified_by_id", "verified_by_id"),
        # The compliance team's open renewals by due date.
        Index(
            "ix_partner_kyc_renewals_open_due_on",
            "due_on",
            postgresql_where=text("kyc_status IN ('pending', 'in_review')"),
        ),
        CheckConstraint(
            "new_expires_on IS NULL OR previous_expires_on IS NULL "
            "OR new_expires_on > previous_expires_on",
            name="expiry_moves_forward",
        ),
    )

    partner_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("business_partners.id", ondelete="CASCADE")
    )
    kyc_status: Mapped[KycStatus] = mapped_column(kyc_status_enum, server_default=text("'pending'"))
    due_on: Mapped[date] = mapped_column(Date)
    previous_expires_on: Mapped[date | None] = mapped_column(Date)
    new_expires_on: Mapped[date | None] = mapped_column(Date)
    # Raw responses of the PAN/GSTIN verification services, kept as evidence.
    verification_results: Mapped[dict[str, Any]] = mapped_column(
        JSONB, server_default=text("'{}'::jsonb")
    )
    verified_by_id: Mapped[uuid.UUID | None] = mapped_column(
        UUID(as_uuid=True), ForeignKey("users.id", ondelete="SET NULL")
    )
    completed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    remarks: Mapped[str | None] = mapped_column(Text)
