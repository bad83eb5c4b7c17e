"""The JSON API under /api/v1, following OSDI (HAL+JSON): one module per resource, each
operation declared once for the blueprint and the OpenAPI document."""

from __future__ import annotations

from campaign.web.api import (  # noqa: F401  (each declares its operations)
    entry,
    people,
    petitions,
    record_signature_helper,
    signatures,
)
from campaign.web.api.operations import bp

__all__ = ["bp"]
