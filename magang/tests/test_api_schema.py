"""The published OpenAPI schema describes what the API really takes and answers."""

from __future__ import annotations

import json
from collections import defaultdict

from ninja import Schema

# Clashes between apps still being written, for the coordinator to resolve by renaming one
# class of each pair (then remove the name here). Keep empty in a finished tree.
PENDING_CLASHES: frozenset[str] = frozenset()


def _subclasses(cls: type) -> set[type]:
    found = set()
    for sub in cls.__subclasses__():
        found |= {sub} | _subclasses(sub)
    return found


def test_api_schema_names_are_unique() -> None:
    """Ninja names a schema by its class name and keeps only the last of two classes with the
    same name, so one operation would then publish another's body or answer."""
    import config.api  # noqa: F401 - every router and its schemas

    shapes: dict[str, dict[str, str]] = defaultdict(dict)
    for cls in _subclasses(Schema):
        if cls.__module__.startswith("magang."):
            shape = json.dumps(cls.model_json_schema(), sort_keys=True)
            shapes[cls.__name__][cls.__module__] = shape
    clashes = {
        name: sorted(modules)
        for name, modules in shapes.items()
        if len(set(modules.values())) > 1 and name not in PENDING_CLASHES
    }
    assert clashes == {}
