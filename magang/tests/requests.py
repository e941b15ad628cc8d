"""Requests for the access matrix and the field-level tests: one row, one role."""

from __future__ import annotations

import functools
import io
import json
from typing import Any
from urllib.parse import urlencode

from django.urls import reverse

from .access import Entry
from .conftest import client_as
from .world import World


@functools.cache
def openapi_schema() -> dict[str, Any]:
    from config.api import api

    return dict(api.get_openapi_schema())


def _example(schema: dict[str, Any], components: dict[str, Any]) -> Any:
    """A small value that satisfies ``schema``, so a refusal is about who, not what."""
    if "$ref" in schema:
        return _example(components[schema["$ref"].rsplit("/", 1)[1]], components)
    for key in ("anyOf", "oneOf", "allOf"):
        if key in schema:
            return _example(schema[key][0], components)
    if "enum" in schema:
        return schema["enum"][0]
    if "default" in schema:
        return schema["default"]
    kind = schema.get("type")
    if kind == "object" or "properties" in schema:
        return {
            name: _example(schema["properties"][name], components)
            for name in schema.get("required", [])
        }
    if kind == "array":
        return []
    if kind in ("integer", "number"):
        return max(1, schema.get("minimum", 1))
    if kind == "boolean":
        return True
    formats = {"date": "2027-01-05", "date-time": "2027-01-05T09:00:00+07:00"}
    return formats.get(schema.get("format", ""), "x")


def api_body(target: str) -> dict[str, Any] | None:
    method, path = target.split(" ", 1)
    schema = openapi_schema()
    operation = schema["paths"][path][method.lower()]
    body = operation.get("requestBody", {}).get("content", {})
    if "application/json" not in body:
        return None
    return _example(body["application/json"]["schema"], schema["components"]["schemas"])


def _multipart(target: str) -> bool:
    method, path = target.split(" ", 1)
    operation = openapi_schema()["paths"][path][method.lower()]
    return "multipart/form-data" in operation.get("requestBody", {}).get("content", {})


def _png_upload() -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from .world import PNG

    return SimpleUploadedFile("photo.png", PNG, content_type="image/png")


def request(world: World, entry: Entry, role: str, *, via: str = "session") -> Any:
    """``entry``'s request as ``role``: signed in by the browser session, or (``via="token"``,
    API entries) by the role's bearer token alone, as a partner's system is."""
    client = client_as(world, role if via == "session" else "anonymous")
    if via == "token" and role != "anonymous":
        client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {world.tokens[role]}"
    kwargs = entry.resolved_kwargs(world)
    payload = entry.payload(world)
    if entry.is_api:
        path = entry.target.split(" ", 1)[1]
        url = path.format(**kwargs)
        if payload is None and _multipart(entry.target):
            return client.post(url + entry.query_string(world), {"file": _png_upload()})
        body = payload if payload is not None else api_body(entry.target)
        return client.generic(
            entry.method,
            url + entry.query_string(world),
            data=json.dumps(body) if body is not None else "",
            content_type="application/json",
        )
    url = reverse(entry.target, kwargs=kwargs or None) + entry.query_string(world)
    if entry.method == "GET":
        return client.get(url)
    return client.generic(entry.method, url, data=_form(payload or {}),
                          content_type="application/x-www-form-urlencoded")  # fmt: skip


def _form(data: Any) -> str:
    return urlencode(data, doseq=True)


def body_text(response: Any) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode(errors="replace")
    return str(response.content.decode(errors="replace"))


def readable(response: Any) -> str:
    """The text a person would read in the response, spreadsheets and JSON included."""
    text = body_text(response)
    content_type = response.get("Content-Type", "")
    if "spreadsheetml" in content_type:
        from openpyxl import load_workbook

        raw = b"".join(response.streaming_content) if response.streaming else response.content
        book = load_workbook(io.BytesIO(raw), read_only=True)
        cells = [
            str(value)
            for sheet in book.worksheets
            for row in sheet.iter_rows(values_only=True)
            for value in row
            if value is not None
        ]
        return " ".join(cells)
    if "json" in content_type:
        return json.dumps(json.loads(text), ensure_ascii=False)
    return text
