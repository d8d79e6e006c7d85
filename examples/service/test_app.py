"""The service's own tests (run them from this folder with FastAPI and httpx installed: `pytest`)."""

from http import HTTPStatus

from app import app
from fastapi.testclient import TestClient

client = TestClient(app)


def test_an_order_is_created_and_shown():
    created = client.post("/orders", json={"sku": "mug-blue", "quantity": 2})
    assert created.status_code == 201
    shown = client.get(f"/orders/{created.json()['id']}")
    assert shown.status_code == HTTPStatus.OK
    assert shown.json()["quantity"] == 2


def test_an_unknown_order_is_not_found():
    assert client.get("/orders/nope").status_code == 404


def test_a_missing_quantity_is_unprocessable():
    assert client.post("/orders", json={"sku": "mug-blue"}).status_code == 422


def test_cancelling_answers_no_content():
    created = client.post("/orders", json={"sku": "mug-red", "quantity": 1}).json()
    cancelled = client.delete(f"/orders/{created['id']}")
    assert cancelled.status_code == HTTPStatus.NO_CONTENT
    assert cancelled.content == b""


def test_the_invoice_redirects_to_billing():
    created = client.post("/orders", json={"sku": "mug-red", "quantity": 1}).json()
    invoice = client.get(f"/orders/{created['id']}/invoice", follow_redirects=False)
    assert invoice.status_code == 307
    assert invoice.headers["location"].endswith(created["id"])
