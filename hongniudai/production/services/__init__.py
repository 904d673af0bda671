"""Every write of production and sales: a planting, the work days villagers put in and the wages
accrued and paid for them, the harvest, a purchase contract and its deliveries and the buyer's
payments, processing, and the sale of products. Each checks ECONOMY_WRITE over the organisation,
every rule of the change, posts the money through the ledger (whose refusals, a closed month or a
missing account, pass through in Chinese so nothing is saved) and writes one named audit event."""

from .checks import figure, kg_text
from .contracts import amount_for, delivered_kg, outstanding, record_delivery, record_receipt, sign_contract
from .plantings import record_harvest, record_planting
from .products import record_processing, record_sale
from .work import pay_wages, record_work, wages_due

__all__ = [
    "amount_for",
    "delivered_kg",
    "figure",
    "kg_text",
    "outstanding",
    "pay_wages",
    "record_delivery",
    "record_harvest",
    "record_planting",
    "record_processing",
    "record_receipt",
    "record_sale",
    "record_work",
    "sign_contract",
    "wages_due",
]
