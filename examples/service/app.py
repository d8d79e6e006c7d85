"""Orders: a small FastAPI service that takes, shows, cancels and invoices orders.

It is the example that `http-status-ls check examples/` runs on, so a few of its status codes are
wrong on purpose; examples/README.md lists them.
"""

from __future__ import annotations

import time
import uuid
from collections import defaultdict, deque

from fastapi import FastAPI, HTTPException, Request, Response, status
from fastapi.responses import JSONResponse, RedirectResponse
from pydantic import BaseModel

BILLING = "https://billing.internal.example/invoices"
REQUESTS_PER_MINUTE = 30

app = FastAPI(title="Orders", version="1.4.0")


class NewOrder(BaseModel):
    sku: str
    quantity: int


class Order(NewOrder):
    id: str
    state: str = "open"


class InventoryTimeout(Exception):
    """The inventory service did not answer in time."""


orders: dict[str, Order] = {}
recent_requests: defaultdict[str, deque[float]] = defaultdict(deque)


def reserve_stock(sku: str, quantity: int) -> None:
    """Stands in for a call to the inventory service."""
    if sku.startswith("slow-"):
        raise InventoryTimeout(sku)


def throttle(client: str) -> None:
    now = time.monotonic()
    window = recent_requests[client]
    while window and now - window[0] > 60:
        window.popleft()
    if len(window) >= REQUESTS_PER_MINUTE:
        raise HTTPException(status_code=420, detail="Enhance your calm", headers={"Retry-After": "60"})
    window.append(now)


@app.exception_handler(InventoryTimeout)
async def inventory_timed_out(request: Request, exc: InventoryTimeout) -> JSONResponse:
    return JSONResponse({"detail": "The inventory service did not answer in time."}, status_code=600)


@app.post("/orders", status_code=201)
def create_order(new: NewOrder, request: Request) -> Order:
    throttle(request.client.host if request.client else "unknown")
    if new.quantity < 1:
        raise HTTPException(status_code=status.HTTP_422_UNPROCESSABLE_ENTITY, detail="quantity must be at least 1")
    reserve_stock(new.sku, new.quantity)
    order = Order(id=uuid.uuid4().hex, **new.model_dump())
    orders[order.id] = order
    return order


def find(order_id: str) -> Order:
    order = orders.get(order_id)
    if order is None:
        raise HTTPException(status_code=status.HTTP_404_NOT_FOUND, detail="no such order")
    return order


@app.get("/orders/{order_id}")
def show_order(order_id: str) -> Order:
    return find(order_id)


@app.delete("/orders/{order_id}", status_code=204)
def cancel_order(order_id: str) -> Response:
    find(order_id).state = "cancelled"
    return Response(status_code=204)


@app.get("/orders/{order_id}/invoice")
def invoice(order_id: str) -> RedirectResponse:
    # Invoices live in the billing service; the client follows the redirect with the same method.
    return RedirectResponse(f"{BILLING}/{find(order_id).id}", status_code=status.HTTP_307_TEMPORARY_REDIRECT)
