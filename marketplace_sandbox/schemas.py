"""Request bodies. Unknown members are rejected (422) so typos never pass silently."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, StringConstraints

Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Text = Annotated[str, StringConstraints(max_length=5000)]
ClientRef = Annotated[str, StringConstraints(min_length=1, max_length=64,
                                             pattern=r"^[A-Za-z0-9._:-]+$")]
Code = Annotated[str, StringConstraints(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.-]+$")]
Quantity = Annotated[str, StringConstraints(pattern=r"^-?\d{1,12}(\.\d{1,9})?$")]
ResourceId = Annotated[str, StringConstraints(min_length=1, max_length=40)]
Clock = Annotated[str, StringConstraints(pattern=r"^([01]\d|2[0-3]):[0-5]\d$|^24:00$")]
Day = Literal["MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN"]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Money(Strict):
    amount: Annotated[int, Field(ge=0, le=10**12)]
    currency: Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")]


class DeviceSignIn(Strict):
    api_key: Annotated[str, StringConstraints(max_length=200)] | None = None
    pairing_code: Annotated[str, StringConstraints(max_length=100)] | None = None
    device_name: Name = "Till"


class RefreshRequest(Strict):
    refresh_token: Annotated[str, StringConstraints(min_length=1, max_length=200)]


# --- vendor --------------------------------------------------------------------------------

class Delivery(Strict):
    enabled: bool = False
    radius_km: Annotated[float, Field(ge=0, le=500)] = 0
    fee: Money | None = None
    minimum_order: Money | None = None


class Fulfillment(Strict):
    pickup: bool = True
    delivery: Delivery = Field(default_factory=Delivery)


class VendorSettings(Strict):
    """The editable part of the vendor; PATCH bodies are merge patches over it."""

    name: Name
    timezone: Annotated[str, StringConstraints(min_length=1, max_length=64)]
    currency: Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")]
    fulfillment: Fulfillment
    accept_window_seconds: Annotated[int, Field(ge=60, le=3600)]


class OpeningHours(Strict):
    day: Day
    open: Clock
    close: Clock


class HoursBody(Strict):
    hours: Annotated[list[OpeningHours], Field(max_length=50)]


class SpecialHours(Strict):
    date: Annotated[str, StringConstraints(pattern=r"^\d{4}-\d{2}-\d{2}$")]
    closed: bool = False
    open: Clock | None = None
    close: Clock | None = None
    note: Annotated[str, StringConstraints(max_length=200)] | None = None


class SpecialHoursBody(Strict):
    special_hours: Annotated[list[SpecialHours], Field(max_length=400)]


class PauseBody(Strict):
    mode: Literal["PAUSED", "BUSY"] = "PAUSED"
    until: AwareDatetime | None = None
    reason: Code = "OTHER"
    extra_prep_minutes: Annotated[int, Field(ge=0, le=240)] = 0


class EmptyBody(Strict):
    pass


# --- catalog -------------------------------------------------------------------------------

class LocationBody(Strict):
    client_ref: ClientRef | None = None
    name: Name
    address: Annotated[str, StringConstraints(max_length=500)] | None = None


class LocationPatch(Strict):
    name: Name | None = None
    address: Annotated[str, StringConstraints(max_length=500)] | None = None


class CategoryFields(Strict):
    name: Name
    position: Annotated[int, Field(ge=0, le=1_000_000)] = 0
    parent_id: ResourceId | None = None


class CategoryCreate(CategoryFields):
    client_ref: ClientRef | None = None


class VariantFields(Strict):
    name: Name = "Default"
    options: Annotated[dict[str, Annotated[str, StringConstraints(max_length=100)]],
                       Field(max_length=10)] = Field(default_factory=dict)
    sku: Annotated[str, StringConstraints(max_length=100)] | None = None
    barcode: Annotated[str, StringConstraints(max_length=64)] | None = None
    price: Money
    compare_at_price: Money | None = None
    cost: Money | None = None
    tax_code: Code | None = None
    unit: Annotated[str, StringConstraints(min_length=1, max_length=16)] = "each"
    precision: Annotated[int, Field(ge=0, le=3)] = 0
    track_inventory: bool = False
    inventory_policy: Literal["DENY", "CONTINUE"] = "DENY"
    position: Annotated[int, Field(ge=0, le=1_000_000)] = 0


class VariantCreate(VariantFields):
    client_ref: ClientRef | None = None


class ProductFields(Strict):
    name: Name
    description: Text | None = None
    category_id: ResourceId | None = None
    visibility: Literal["VISIBLE", "HIDDEN"] = "VISIBLE"
    tags: Annotated[list[Annotated[str, StringConstraints(max_length=50)]],
                    Field(max_length=50)] = Field(default_factory=list)
    dietary_tags: Annotated[list[Annotated[str, StringConstraints(max_length=50)]],
                            Field(max_length=20)] = Field(default_factory=list)
    image_ids: Annotated[list[ResourceId], Field(max_length=20)] = Field(default_factory=list)


class ProductCreate(ProductFields):
    client_ref: ClientRef | None = None
    variants: Annotated[list[VariantCreate], Field(max_length=100)] = Field(
        default_factory=list)


class AvailabilityBody(Strict):
    status: Literal["AVAILABLE", "SOLD_OUT", "HIDDEN"]
    until: AwareDatetime | None = None


class BatchObject(Strict):
    type: Literal["CATEGORY", "PRODUCT", "VARIANT"]
    id: ResourceId | None = None
    client_ref: ClientRef | None = None
    version: Annotated[int, Field(ge=1)] | None = None
    product_id: ResourceId | None = None  # variants: the parent, by id …
    product_client_ref: ClientRef | None = None  # … or by the client_ref of the batch's product
    data: dict[str, Any]


class BatchUpsert(Strict):
    atomic: bool = True
    objects: Annotated[list[BatchObject], Field(min_length=1, max_length=100)]


# --- inventory and sales -------------------------------------------------------------------

class Reference(Strict):
    type: Code
    id: Annotated[str, StringConstraints(min_length=1, max_length=100)]


class InventoryChange(Strict):
    client_change_id: Annotated[str, StringConstraints(min_length=1, max_length=100)]
    type: Literal["ADJUSTMENT", "PHYSICAL_COUNT"]
    variant_id: ResourceId
    location_id: ResourceId
    delta: Quantity | None = None
    quantity: Quantity | None = None
    reason: Code | None = None
    occurred_at: AwareDatetime
    reference: Reference | None = None
    expected_on_hand: Quantity | None = None
    note: Annotated[str, StringConstraints(max_length=500)] | None = None


class InventoryChanges(Strict):
    atomic: bool = False
    changes: Annotated[list[InventoryChange], Field(min_length=1, max_length=100)]


class SaleLine(Strict):
    variant_id: ResourceId | None = None
    name: Name
    quantity: Quantity
    unit_price: Money
    total: Money | None = None
    tax_code: Code | None = None


class Tender(Strict):
    type: Code
    amount: Money


class Tax(Strict):
    code: Code
    amount: Money


class SaleBody(Strict):
    sale_id: Annotated[str, StringConstraints(min_length=1, max_length=100)]
    location_id: ResourceId
    occurred_at: AwareDatetime
    kind: Literal["SALE", "REFUND"] = "SALE"
    refund_of: Annotated[str, StringConstraints(min_length=1, max_length=100)] | None = None
    number: Annotated[str, StringConstraints(max_length=50)] | None = None
    lines: Annotated[list[SaleLine], Field(min_length=1, max_length=500)]
    tenders: Annotated[list[Tender], Field(max_length=20)] = Field(default_factory=list)
    taxes: Annotated[list[Tax], Field(max_length=20)] = Field(default_factory=list)
    total: Money


# --- orders --------------------------------------------------------------------------------

class AcceptBody(Strict):
    prep_minutes: Annotated[int, Field(ge=0, le=24 * 60)] | None = None
    estimated_ready_at: AwareDatetime | None = None
    note: Annotated[str, StringConstraints(max_length=500)] | None = None


class RejectBody(Strict):
    reason_code: Code
    explanation: Annotated[str, StringConstraints(max_length=500)] | None = None
    unavailable_items: Annotated[list[ResourceId], Field(max_length=100)] = Field(
        default_factory=list)
    mark_unavailable: bool = False


class CancelBody(Strict):
    reason_code: Code
    explanation: Annotated[str, StringConstraints(max_length=500)] | None = None


class CompleteBody(Strict):
    pickup_code: Annotated[str, StringConstraints(max_length=20)] | None = None


class DispatchBody(Strict):
    courier_name: Annotated[str, StringConstraints(max_length=100)] | None = None
    tracking_url: Annotated[str, StringConstraints(max_length=500)] | None = None


class AdjustReadyBody(Strict):
    estimated_ready_at: AwareDatetime | None = None
    prep_minutes: Annotated[int, Field(ge=0, le=24 * 60)] | None = None
    reason: Annotated[str, StringConstraints(max_length=200)] | None = None


class NoteBody(Strict):
    note: Annotated[str, StringConstraints(max_length=500)] | None = None


# --- customers (test mode and the simulator) -----------------------------------------------

class CustomerLine(Strict):
    variant_id: ResourceId
    quantity: Quantity = "1"
    note: Annotated[str, StringConstraints(max_length=200)] | None = None


class CustomerOrder(Strict):
    vendor_id: ResourceId
    lines: Annotated[list[CustomerLine], Field(min_length=1, max_length=50)]
    fulfillment_type: Literal["PICKUP", "DELIVERY"] = "PICKUP"
    customer_name: Name = "Ana P."
    note: Annotated[str, StringConstraints(max_length=500)] | None = None
    scheduled_for: AwareDatetime | None = None
    accept_window_seconds: Annotated[float, Field(gt=0, le=86_400)] | None = None
    location_id: ResourceId | None = None


class ReplyBody(Strict):
    text: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1,
                                           max_length=2000)]


class CustomerReview(Strict):
    vendor_id: ResourceId
    order_id: ResourceId | None = None
    rating: Annotated[int, Field(ge=1, le=5)]
    text: Annotated[str, StringConstraints(max_length=2000)] | None = None
    customer_name: Name = "Ana P."
