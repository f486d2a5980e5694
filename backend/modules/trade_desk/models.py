"""Trade desk tables: what buyers want and sellers offer, how they are matched and negotiated,
and the trades (contracts) that result."""

from __future__ import annotations

import enum
import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from pgvector.sqlalchemy import Vector
from sqlalchemy import (
    CheckConstraint,
    Date,
    DateTime,
    Enum,
    ForeignKey,
    Index,
    Integer,
    Numeric,
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
from backend.modules.partners.models import PartnerType, partner_type_enum

# Dimension of OpenAI text-embedding-3-small, the model that embeds requirement and availability
# descriptions. A different model needs a new column (pgvector cannot mix dimensions in one index).
EMBEDDING_DIMENSION = 1536
EMBEDDING_MODEL = "text-embedding-3-small"

# Cotton is quoted per candy (355.6 kg), shipped in bales (170 kg), kapas is bought per quintal.
UNIT_KNOWN = "unit IN ('kg', 'quintal', 'candy', 'bale', 'mt')"


class RequirementStatus(str, enum.Enum):
    """Life of a buyer's requirement."""

    DRAFT = "draft"
    OPEN = "open"
    IN_NEGOTIATION = "in_negotiation"
    PARTIALLY_FULFILLED = "partially_fulfilled"
    FULFILLED = "fulfilled"
    EXPIRED = "expired"
    CANCELLED = "cancelled"


class AvailabilityStatus(str, enum.Enum):
    """Life of a seller's offered lot."""

    DRAFT = "draft"
    AVAILABLE = "available"
    RESERVED = "reserved"
    PARTIALLY_SOLD = "partially_sold"
    SOLD = "sold"
    EXPIRED = "expired"
    WITHDRAWN = "withdrawn"


class NegotiationStatus(str, enum.Enum):
    """Life of a negotiation between one buyer and one seller."""

    OPEN = "open"
    COUNTERED = "countered"
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    EXPIRED = "expired"
    CANCELLED = "cancelled"


class TradeStatus(str, enum.Enum):
    """Life of a trade (contract) from booking to settlement."""

    DRAFT = "draft"
    PENDING_SIGNATURES = "pending_signatures"
    CONFIRMED = "confirmed"
    IN_DELIVERY = "in_delivery"
    DELIVERED = "delivered"
    SETTLED = "settled"
    CANCELLED = "cancelled"
    DISPUTED = "disputed"


requirement_status_enum = Enum(
    RequirementStatus,
    name="requirement_status",
    metadata=Base.metadata,
    values_callable=lambda members: [m.value for m in members],
)
availability_status_enum = Enum(
    AvailabilityStatus,
    name="availability_status",
    metadata=Base.metadata,
    values_callable=lambda members: [m.value for m in members],
)
negotiation_status_enum = Enum(
    NegotiationStatus,
    name="negotiation_status",
    metadata=Base.metadata,
    values_callable=lambda members: [m.value for m in members],
)
trade_status_enum = Enum(
    TradeStatus,
    name="trade_status",
    metadata=Base.metadata,
    values_callable=lambda members: [m.value for m in members],
)


# --- What buyers want and sellers offer -------------------------------------------------------


class Requirement(UUIDPrimaryKeyMixin, TimestampMixin, Base):
    """What a buyer wants to buy: commodity, quality, quantity, price and terms, for a period."""

    __tablename__ = "requirements"
    __table_args__ = (
        # The buyer's "my requirements", newest first; also serves the buyer FK.
        Index("ix_requirements_buyer_id_created_at", "buyer_id", "created_at"),
        Index("ix_requirements_commodity_id", "commodity_id"),
        Index("ix_requirements_variety_id", "variety_id"),
        Index("ix_requirements_delivery_term_id", "delivery_term_id"),
        Index("ix_requirements_payment_term_id", "payment_term_id"),
        Index("ix_requirements_delivery_location_id", "delivery_location_id"),
        # Matching filters on quality with containment (quality_params @> '{...}').
        Index(
            "ix_requirements_quality_params",
            "quality_params",
            postgresql_using="gin",
            postgresql_ops={"quality_params": "jsonb_path_ops"},
        ),
        # The matching engine's candidate scan: live requirements of a commodity, by expiry.
        Index(
            "ix_requirements_live_commodity_valid_until",
            "commodity_id",
            "valid_until",
            postgresql_where=text("status IN ('open', 'in_negotiation', 'partially_fulfilled')"),
        ),
        CheckConstraint("quantity > 0", name="quantity_positive"),
        CheckConstraint(
            "min_lot_quantity > 0 AND min_lot_quantity <= quantity",
            name="min_lot_within_quantity",
        ),
        CheckConstraint("target_price >= 0", name="target_price_non_negative"),
        CheckConstraint(UNIT_KNOWN, name="unit_known"),
        CheckConstraint("delivery_to >= delivery_from", name="delivery_window"),
        CheckConstraint("valid_until > valid_from", name="validity_window"),
    )

    requirement_number: Mapped[str] = mapped_column(String(30), unique=True)
    # RESTRICT: partners with trading history are deactivated, never deleted.
    buyer_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("business_partners.id", ondelete="RESTRICT")
    )
    commodity_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("commodities.id", ondelete="RESTRICT")
    )
    # NULL means any variety. RESTRICT, not SET NULL: losing the variety would silently widen
    # what the buyer asked for.
    variety_id: Mapped[uuid.UUID | None] = mapped_column(
        UUID(as_uuid=True), ForeignKey("commodity_varieties.id", ondelete="RESTRICT")
    )
    # Keys are commodity_parameters.code: {"staple_length_mm": {"min": 28.5}, ...}.
    quality_params: Mapped[dict[str, Any]] = mapped_column(
        JSONB, server_default=text("'{}'::jsonb")
    )
    quantity: Mapped[Decimal] = mapped_column(Numeric(18, 4))
    # The smallest part-fill the buyer accepts from one seller.
    min_lot_quantity: Mapped[Decimal | None] = mapped_column(Numeric(18, 4))
    unit: Mapped[str] = mapped_column(String(10), server_default=text("'candy'"))
    # NULL: the buyer asks sellers to quote.
    target_price: Mapped[Decimal | None] = mapped_column(Numeric(18, 4))
    currency: Mapped[str] = mapped_column(String(3), server_default=text("'INR'"))
    delivery_term_id: Mapped[uuid.UUID | None] = mapped_column(
        UUID(as_uuid=True), ForeignKey("delivery_terms.id", ondelete="RESTRICT")
    )
    payment_term_id: Mapped[uuid.UUID | None] = mapped_column(
        UUID(as_uuid=True), ForeignKey("payment_terms.id", ondelete="RESTRICT")
    )
    # The buyer's mill or godown; SET NULL keeps the requirement if the place is removed.
    delivery_location_id: Mapped[uuid.UUID | None] = mapped_column(
        UUID(as_uuid=True), ForeignKey("partner_locations.id", ondelete="SET NULL")
    )
    delivery_from: Mapped[date] = mapped_column(Date)
    delivery_to: Mapped[date] = mapped_column(Date)
    valid_from: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    valid_until: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    status: Mapped[RequirementStatus] = mapped_column(
        requirement_status_enum, server_default=text("'draft'")
    )
    notes: Mapped[str | None] = mapped_column(Text)


class Availability(UUIDPrimaryKeyMixin, TimestampMixin, Base):
    """A lot a seller offers: commodity, quality, quantity, asking price and terms, for a period."""

    __tablename__ = "availabilities"
    __table_args__ = (
        # The seller's "my lots", newest first; also serves the seller FK.
        Index("ix_availabilities_seller_id_created_at", "seller_id", "created_at"),
        Index("ix_availabilities_commodity_id", "commodity_id"),
        Index("ix_availabilities_variety_id", "variety_id"),
        Index("ix_availabilities_delivery_term_id", "delivery_term_id"),
        Index("ix_availabilities_payment_term_id", "payment_term_id"),
        Index("ix_availabilities_location_id", "location_id"),
        # Matching filters on quality with containment (quality_params @> '{...}').
        Index(
            "ix_availabilities_quality_params",
            "quality_params",
            postgresql_using="gin",
            postgresql_ops={"quality_params": "jsonb_path_ops"},
        ),
        # The matching engine's candidate scan: lots still on offer for a commodity, by expiry.
        Index(
            "ix_availabilities_live_commodity_valid_until",
            "commodity_id",
            "valid_until",
            postgresql_where=text("status IN ('available', 'reserved', 'partially_sold')"),
        ),
        CheckConstraint("quantity > 0", name="quantity_positive"),
        CheckConstraint(
            "remaining_quantity BETWEEN 0 AND quantity", name="remaining_within_quantity"
        ),
        CheckConstraint("asking_price >= 0", name="asking_price_non_negative"),
        CheckConstraint(UNIT_KNOWN, name="unit_known"),
        CheckConstraint("delivery_to >= delivery_from", name="delivery_window"),
        CheckConstraint("valid_until > valid_from", name="validity_window"),
    )

    availability_number: Mapped[str] = mapped_column(String(30), unique=True)
    # RESTRICT: partners with trading history are deactivated, never deleted.
    seller_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("business_partners.id", ondelete="RESTRICT")
    )
    commodity_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("commodities.id", ondelete="RESTRICT")
    )
    variety_id: Mapped[uuid.UUID | None] = mapped_column(
        UUID(as_uuid=True), ForeignKey("commodity_varieties.id", ondelete="RESTRICT")
    )
    # Lab results of the lot, keyed by commodity_parameters.code: {"micronaire": 4.1, ...}.
    quality_params: Mapped[dict[str, Any]] = mapped_column(
        JSONB, server_default=text("'{}'::jsonb")
    )
    quantity: Mapped[Decimal] = mapped_column(Numeric(18, 4))
    # Decreased as trades are booked against the lot; the row is locked while doing so.
    remaining_quantity: Mapped[Decimal] = mapped_column(Numeric(18, 4))
    unit: Mapped[str] = mapped_column(String(10), server_default=text("'candy'"))
    # NULL: the seller invites bids.
    asking_price: Mapped[Decimal | None] = mapped_column(Numeric(18, 4))
    currency: Mapped[str] = mapped_column(String(3), server_default=text("'INR'"))
    delivery_term_id: Mapped[uuid.UUID | None] = mapped_column(
        UUID(as_uuid=True), ForeignKey("delivery_terms.id", ondelete="RESTRICT")
    )
    payment_term_id: Mapped[uuid.UUID | None] = mapped_column(
        UUID(as_uuid=True), ForeignKey("payment_terms.id", ondelete="RESTRICT")
    )
    # Where the lot lies (ginning factory, godown).
    location_id: Mapped[uuid.UUID | None] = mapped_column(
        UUID(as_uuid=True), ForeignKey("partner_locations.id", ondelete="SET NULL")
    )
    crop_year: Mapped[str | None] = mapped_column(String(7))  # e.g. 2024-25
    lot_reference: Mapped[str | None] = mapped_column(String(50))
    delivery_from: Mapped[date] = mapped_column(Date)
    delivery_to: Mapped[date] = mapped_column(Date)
    valid_from: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    valid_until: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    status: Mapped[AvailabilityStatus] = mapped_column(
        availability_status_enum, server_default=text("'draft'")
    )
    notes: Mapped[str | None] = mapped_column(Text)


class RequirementEmbedding(UUIDPrimaryKeyMixin, TimestampMixin, Base):
    """The embedding of a requirement's description, for semantic matching to availabilities."""

    __tablename__ = "requirement_embeddings"
    __table_args__ = (
        # One embedding per requirement and model; also serves the requirement FK.
        UniqueConstraint("requirement_id", "model"),
        # Nearest availabilities by cosine distance (embedding <=> :query).
        Index(
            "ix_requirement_embeddings_embedding_hnsw",
            "embedding",
            postgresql_using="hnsw",
            postgresql_with={"m": 16, "ef_construction": 64},
            postgresql_ops={"embedding": "vector_cosine_ops"},
        ),
    )

    requirement_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("requirements.id", ondelete="CASCADE")
    )
    model: Mapped[str] = mapped_column(String(100), server_default=text(f"'{EMBEDDING_MODEL}'"))
    embedding: Mapped[Any] = mapped_column(Vector(EMBEDDING_DIMENSION))
    # Hash of the embedded text: unchanged text is not sent to the embedding API again.
    content_sha256: Mapped[str] = mapped_column(String(64))


class AvailabilityEmbedding(UUIDPrimaryKeyMixin, TimestampMixin, Base):
    """The embedding of an availability's description, for semantic matching to requirements."""

    __tablename__ = "availability_embeddings"
    __table_args__ = (
        # One embedding per availability and model; also serves the availability FK.
        UniqueConstraint("availability_id", "model"),
        # Nearest requirements by cosine distance (embedding <=> :query).
        Index(
            "ix_availability_embeddings_embedding_hnsw",
            "embedding",
            postgresql_using="hnsw",
            postgresql_with={"m": 16, "ef_construction": 64},
            postgresql_ops={"embedding": "vector_cosine_ops"},
        ),
    )

    availability_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("availabilities.id", ondelete="CASCADE")
    )
    model: Mapped[str] = mapped_column(String(100), server_default=text(f"'{EMBEDDING_MODEL}'"))
    embedding: Mapped[Any] = mapped_column(Vector(EMBEDDING_DIMENSION))
    # Hash of the embedded text: unchanged text is not sent to the embedding API again.
    content_sha256: Mapped[str] = mapped_column(String(64))


# --- Matching ---------------------------------------------------------------------------------


class MatchToken(UUIDPrimaryKeyMixin, TimestampMixin, Base):
    """A proposed pairing of a requirement with an availability, shown to both parties."""

    __tablename__ = "match_tokens"
    __table_args__ = (
        # A pair is proposed once; also serves the requirement FK and "matches for requirement X".
        UniqueConstraint("requirement_id", "availability_id"),
        Index("ix_match_tokens_availability_id", "availability_id"),
        # The sweeper expires proposals nobody acted on.
        Index(
            "ix_match_tokens_open_expires_at",
            "expires_at",
            postgresql_where=text("status IN ('proposed', 'viewed')"),
        ),
        CheckConstraint("score BETWEEN 0 AND 1", name="score_range"),
        CheckConstraint(
            "status IN ('proposed', 'viewed', 'accepted', 'rejected', 'expired')",
            name="status_known",
        ),
    )

    # Opaque and unguessable: it is the link in the e-mail/WhatsApp message to either party.
    token: Mapped[str] = mapped_column(String(64), unique=True)
    requirement_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("requirements.id", ondelete="CASCADE")
    )
    availability_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("availabilities.id", ondelete="CASCADE")
    )
    score: Mapped[Decimal] = mapped_column(Numeric(5, 4))
    # Per-criterion scores (quality, price, distance, semantic), shown as "why this match".
    score_breakdown: Mapped[dict[str, Any]] = mapped_column(
        JSONB, server_default=text("'{}'::jsonb")
    )
    status: Mapped[str] = mapped_column(String(20), server_default=text("'proposed'"))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class MatchOutcome(UUIDPrimaryKeyMixin, TimestampMixin, Base):
    """What became of a match; the labelled data that tunes the matching weights."""

    __tablename__ = "match_outcomes"
    __table_args__ = (
        Index("ix_match_outcomes_decided_by_id", "decided_by_id"),
        CheckConstraint(
            "outcome IN ('negotiation_started', 'trade_closed', 'rejected_by_buyer', "
            "'rejected_by_seller', 'expired')",
            name="outcome_known",
        ),
    )

    # Unique: one outcome per match; also serves the FK.
    match_token_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("match_tokens.id", ondelete="CASCADE"), unique=True
    )
    outcome: Mapped[str] = mapped_column(String(30))
    reason: Mapped[str | None] = mapped_column(Text)
    decided_by_id: Mapped[uuid.UUID | None] = mapped_column(
        UUID(as_uuid=True), ForeignKey("users.id", ondelete="SET NULL")
    )
    decided_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    feedback: Mapped[dict[str, Any]] = mapped_column(JSONB, server_default=text("'{}'::jsonb"))


# --- Negotiation ------------------------------------------------------------------------------


class Negotiation(UUIDPrimaryKeyMixin, TimestampMixin, Base):
    """A price and terms negotiation between one buyer and one seller, possibly via a broker."""

    __tablename__ = "negotiations"
    __table_args__ = (
        Index("ix_negotiations_requirement_id", "requirement_id"),
        Index("ix_negotiations_availability_id", "availability_id"),
        Index("ix_negotiations_match_token_id", "match_token_id"),
        Index("ix_negotiations_buyer_id", "buyer_id"),
        Index("ix_negotiations_seller_id", "seller_id"),
        Index("ix_negotiations_broker_id", "broker_id"),
        # The sweeper expires negotiations whose last offer lapsed.
        Index(
            "ix_negotiations_open_expires_at",
            "expires_at",
            postgresql_where=text("status IN ('open', 'countered')"),
        ),
        CheckConstraint("buyer_id <> seller_id", name="buyer_not_seller"),
    )

    negotiation_number: Mapped[str] = mapped_column(String(30), unique=True)
    # RESTRICT: requirements and lots are cancelled, not deleted, once negotiated on.
    requirement_id: Mapped[uuid.UUID | None] = mapped_column(
        UUID(as_uuid=True), ForeignKey("requirements.id", ondelete="RESTRICT")
    )
    availability_id: Mapped[uuid.UUID | None] = mapped_column(
        UUID(as_uuid=True), ForeignKey("availabilities.id", ondelete="RESTRICT")
    )
    # SET NULL: match tokens are purged after expiry; the negotiation stays.
    match_token_id: Mapped[uuid.UUID | None] = mapped_column(
        UUID(as_uuid=True), ForeignKey("match_tokens.id", ondelete="SET NULL")
    )
    buyer_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("business_partners.id", ondelete="RESTRICT")
    )
    seller_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("business_partners.id", ondelete="RESTRICT")
    )
    broker_id: Mapped[uuid.UUID | None] = mapped_column(
        UUID(as_uuid=True), ForeignKey("business_partners.id", ondelete="RESTRICT")
    )
    status: Mapped[NegotiationStatus] = mapped_column(
        negotiation_status_enum, server_default=text("'open'")
    )
    expires_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class NegotiationOffer(UUIDPrimaryKeyMixin, TimestampMixin, Base):
    """One offer or counter-offer in a negotiation; each round is one row."""

    __tablename__ = "negotiation_offers"
    __table_args__ = (
        # Rounds are numbered without gaps; also serves the negotiation FK and the thread order.
        UniqueConstraint("negotiation_id", "round_number"),
        Index("ix_negotiation_offers_offered_by_partner_id", "offered_by_partner_id"),
        Index("ix_negotiation_offers_offered_by_user_id", "offered_by_user_id"),
        CheckConstraint("round_number > 0", name="round_number_positive"),
        CheckConstraint("quantity > 0", name="quantity_positive"),
        CheckConstraint("price >= 0", name="price_non_negative"),
        CheckConstraint(UNIT_KNOWN, name="unit_known"),
        CheckConstraint("delivery_to >= delivery_from", name="delivery_window"),
        CheckConstraint(
            "status IN ('pending', 'accepted', 'rejected', 'countered', 'expired', 'withdrawn')",
            name="status_known",
        ),
    )

    negotiation_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("negotiations.id", ondelete="CASCADE")
    )
    round_number: Mapped[int] = mapped_column(Integer)
    offered_by_partner_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("business_partners.id", ondelete="RESTRICT")
    )
    offered_by_user_id: Mapped[uuid.UUID | None] = mapped_column(
        UUID(as_uuid=True), ForeignKey("users.id", ondelete="SET NULL")
    )
    price: Mapped[Decimal] = mapped_column(Numeric(18, 4))
    quantity: Mapped[Decimal] = mapped_column(Numeric(18, 4))
    unit: Mapped[str] = mapped_column(String(10), server_default=text("'candy'"))
    currency: Mapped[str] = mapped_column(String(3), server_default=text("'INR'"))
    quality_params: Mapped[dict[str, Any]] = mapped_column(
        JSONB, server_default=text("'{}'::jsonb")
    )
    # Term codes proposed in this round (delivery, payment, weightment, passing); they become
    # foreign keys on the trade once agreed.
    terms: Mapped[dict[str, Any]] = mapped_column(JSONB, server_default=text("'{}'::jsonb"))
    delivery_from: Mapped[date | None] = mapped_column(Date)
    delivery_to: Mapped[date | None] = mapped_column(Date)
    valid_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    status: Mapped[str] = mapped_column(String(20), server_default=text("'pending'"))
    responded_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class NegotiationMessage(UUIDPrimaryKeyMixin, TimestampMixin, Base):
    """A chat message in a negotiation, from a person or from the system."""

    __tablename__ = "negotiation_messages"
    __table_args__ = (
        # The chat thread in order; also serves the negotiation FK.
        Index("ix_negotiation_messages_negotiation_id_created_at", "negotiation_id", "created_at"),
        Index("ix_negotiation_messages_sender_user_id", "sender_user_id"),
        Index("ix_negotiation_messages_offer_id", "offer_id"),
        CheckConstraint("message_type IN ('text', 'system', 'offer')", name="message_type_known"),
    )

    negotiation_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("negotiations.id", ondelete="CASCADE")
    )
    # NULL for system messages.
    sender_user_id: Mapped[uuid.UUID | None] = mapped_column(
        UUID(as_uuid=True), ForeignKey("users.id", ondelete="SET NULL")
    )
    # The offer this message announces, when message_type is 'offer'.
    offer_id: Mapped[uuid.UUID | None] = mapped_column(
        UUID(as_uuid=True), ForeignKey("negotiation_offers.id", ondelete="SET NULL")
    )
    message_type: Mapped[str] = mapped_column(String(20), server_default=text("'text'"))
    body: Mapped[str] = mapped_column(Text)
    attachments: Mapped[list[Any]] = mapped_column(JSONB, server_default=text("'[]'::jsonb"))
    read_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


# --- Trades -----------------------------------------------------------------------------------


class Trade(UUIDPrimaryKeyMixin, TimestampMixin, Base):
    """A contract between a buyer and a seller, with the agreed quantity, price and terms."""

    __tablename__ = "trades"
    __table_args__ = (
        # The organization's trade book by date; also serves the organization FK.
        Index("ix_trades_organization_id_trade_date", "organization_id", "trade_date"),
        # Each party's contract ledger by date; also serves the buyer and seller FKs.
        Index("ix_trades_buyer_id_trade_date", "buyer_id", "trade_date"),
        Index("ix_trades_seller_id_trade_date", "seller_id", "trade_date"),
        Index("ix_trades_broker_id", "broker_id"),
        Index("ix_trades_commodity_id", "commodity_id"),
        Index("ix_trades_variety_id", "variety_id"),
        Index("ix_trades_delivery_term_id", "delivery_term_id"),
        Index("ix_trades_payment_term_id", "payment_term_id"),
        Index("ix_trades_weightment_term_id", "weightment_term_id"),
        Index("ix_trades_passing_term_id", "passing_term_id"),
        Index("ix_trades_bargain_type_id", "bargain_type_id"),
        Index("ix_trades_trade_type_id", "trade_type_id"),
        Index("ix_trades_delivery_location_id", "delivery_location_id"),
        # The delivery desk's due and overdue contracts.
        Index(
            "ix_trades_open_delivery_to",
            "delivery_to",
            postgresql_where=text("status IN ('confirmed', 'in_delivery')"),
        ),
        CheckConstraint("quantity > 0", name="quantity_positive"),
        CheckConstraint("price >= 0", name="price_non_negative"),
        CheckConstraint("brokerage_rate >= 0", name="brokerage_rate_non_negative"),
        CheckConstraint(UNIT_KNOWN, name="unit_known"),
        CheckConstraint("delivery_to >= delivery_from", name="delivery_window"),
        CheckConstraint("version > 0", name="version_positive"),
        CheckConstraint("buyer_id <> seller_id", name="buyer_not_seller"),
        CheckConstraint(
            "broker_id IS NULL OR broker_id NOT IN (buyer_id, seller_id)",
            name="broker_not_party",
        ),
    )

    # From the organization's contract document series; printed on the contract.
    trade_number: Mapped[str] = mapped_column(String(30), unique=True)
    # Every reference below is RESTRICT: a signed contract must keep pointing at what was agreed.
    organization_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("organizations.id", ondelete="RESTRICT")
    )
    # Unique: a negotiation closes into at most one trade; NULL for trades booked directly.
    negotiation_id: Mapped[uuid.UUID | None] = mapped_column(
        UUID(as_uuid=True), ForeignKey("negotiations.id", ondelete="RESTRICT"), unique=True
    )
    buyer_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("business_partners.id", ondelete="RESTRICT")
    )
    seller_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("business_partners.id", ondelete="RESTRICT")
    )
    broker_id: Mapped[uuid.UUID | None] = mapped_column(
        UUID(as_uuid=True), ForeignKey("business_partners.id", ondelete="RESTRICT")
    )
    commodity_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("commodities.id", ondelete="RESTRICT")
    )
    variety_id: Mapped[uuid.UUID | None] = mapped_column(
        UUID(as_uuid=True), ForeignKey("commodity_varieties.id", ondelete="RESTRICT")
    )
    quality_params: Mapped[dict[str, Any]] = mapped_column(
        JSONB, server_default=text("'{}'::jsonb")
    )
    quantity: Mapped[Decimal] = mapped_column(Numeric(18, 4))
    unit: Mapped[str] = mapped_column(String(10), server_default=text("'candy'"))
    price: Mapped[Decimal] = mapped_column(Numeric(18, 4))
    currency: Mapped[str] = mapped_column(String(3), server_default=text("'INR'"))
    # Brokerage per unit agreed for this trade (copied from the commission structure).
    brokerage_rate: Mapped[Decimal | None] = mapped_column(Numeric(18, 4))
    delivery_term_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("delivery_terms.id", ondelete="RESTRICT")
    )
    payment_term_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("payment_terms.id", ondelete="RESTRICT")
    )
    weightment_term_id: Mapped[uuid.UUID | None] = mapped_column(
        UUID(as_uuid=True), ForeignKey("weightment_terms.id", ondelete="RESTRICT")
    )
    passing_term_id: Mapped[uuid.UUID | None] = mapped_column(
        UUID(as_uuid=True), ForeignKey("passing_terms.id", ondelete="RESTRICT")
    )
    bargain_type_id: Mapped[uuid.UUID | None] = mapped_column(
        UUID(as_uuid=True), ForeignKey("bargain_types.id", ondelete="RESTRICT")
    )
    trade_type_id: Mapped[uuid.UUID | None] = mapped_column(
        UUID(as_uuid=True), ForeignKey("trade_types.id", ondelete="RESTRICT")
    )
    delivery_location_id: Mapped[uuid.UUID | None] = mapped_column(
        UUID(as_uuid=True), ForeignKey("partner_locations.id", ondelete="RESTRICT")
    )
    delivery_from: Mapped[date] = mapped_column(Date)
    delivery_to: Mapped[date] = mapped_column(Date)
    trade_date: Mapped[date] = mapped_column(Date)
    status: Mapped[TradeStatus] = mapped_column(trade_status_enum, server_default=text("'draft'"))
    # Increased by each accepted amendment; signatures are collected per version.
    version: Mapped[int] = mapped_column(Integer, server_default=text("1"))
    confirmed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    cancelled_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    cancellation_reason: Mapped[str | None] = mapped_column(Text)


class TradeAmendment(UUIDPrimaryKeyMixin, TimestampMixin, Base):
    """A proposed change to a signed trade; accepted amendments raise the trade's version."""

    __tablename__ = "trade_amendments"
    __table_args__ = (
        # Amendments are numbered per trade; also serves the trade FK.
        UniqueConstraint("trade_id", "amendment_number"),
        Index("ix_trade_amendments_proposed_by_user_id", "proposed_by_user_id"),
        CheckConstraint("amendment_number > 0", name="amendment_number_positive"),
        CheckConstraint(
            "status IN ('proposed', 'accepted', 'rejected', 'withdrawn')", name="status_known"
        ),
    )

    trade_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("trades.id", ondelete="CASCADE")
    )
    amendment_number: Mapped[int] = mapped_column(Integer)
    # {"field": {"old": ..., "new": ...}}, applied to the trade on acceptance.
    changes: Mapped[dict[str, Any]] = mapped_column(JSONB)
    reason: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), server_default=text("'proposed'"))
    proposed_by_user_id: Mapped[uuid.UUID | None] = mapped_column(
        UUID(as_uuid=True), ForeignKey("users.id", ondelete="SET NULL")
    )
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class TradeSignature(UUIDPrimaryKeyMixin, TimestampMixin, Base):
    """A party's signature on one version of a trade's contract."""

    __tablename__ = "trade_signatures"
    __table_args__ = (
        # Each party signs each version once; also serves the trade FK.
        UniqueConstraint("trade_id", "trade_version", "signer_role"),
        Index("ix_trade_signatures_partner_id", "partner_id"),
        Index("ix_trade_signatures_signer_user_id", "signer_user_id"),
        CheckConstraint("signer_role <> 'transporter'", name="signer_is_party"),
        CheckConstraint("method IN ('click', 'otp', 'dsc', 'aadhaar_esign')", name="method_known"),
    )

    trade_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("trades.id", ondelete="CASCADE")
    )
    trade_version: Mapped[int] = mapped_column(Integer)
    signer_role: Mapped[PartnerType] = mapped_column(partner_type_enum)
    partner_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("business_partners.id", ondelete="RESTRICT")
    )
    signer_user_id: Mapped[uuid.UUID | None] = mapped_column(
        UUID(as_uuid=True), ForeignKey("users.id", ondelete="SET NULL")
    )
    # Kept as signed even if the user account is later erased.
    signer_name: Mapped[str] = mapped_column(String(200))
    signed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    method: Mapped[str] = mapped_column(String(20))
    ip_address: Mapped[str | None] = mapped_column(INET)
    # Hash of the rendered contract PDF that was signed.
    document_sha256: Mapped[str] = mapped_column(String(64))
