"""API.md, Conventions: unknown query parameters are a 400 on every endpoint (the contract's error)."""

import re

import pytest


@pytest.fixture
def admin_token(api, make_user):
    return api.tokens(make_user(role="ADMIN"))["access_token"]


@pytest.mark.parametrize("path", ["/categories", "/products/{product}", "/users/{user}", "/admin/analytics"])
def test_unknown_query_parameter_is_a_400(api, make_product, admin_token, path):
    product = make_product()
    url = path.format(product=product.id, user=product.seller_id)
    assert api.get(url, token=admin_token).status_code == 200
    res = api.get(url + "?colour=red", token=admin_token)
    assert res.status_code == 400
    error = res.get_json()["error"]
    assert error["code"] == "validation_error" and "colour" in str(error["details"])


def test_no_get_endpoint_ignores_an_unknown_query_parameter(app, api, make_product, admin_token):
    """Every GET in the OpenAPI document, called with a parameter it does not know, answers 4xx."""
    product = make_product()
    spec = api.get("/openapi.json").get_json()
    ignored = []
    for path, operations in spec["paths"].items():
        if "get" not in operations or not path.startswith("/api/v1/") or path.endswith("openapi.json"):
            continue
        url = re.sub(r"\{[^}]+\}", str(product.id), path).removeprefix("/api/v1")
        res = api.get(url + "?no_such_parameter=1", token=admin_token)
        if res.status_code < 400:
            ignored.append(path)
    assert ignored == []
