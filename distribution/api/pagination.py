"""Keyset cursor pagination: newest first on (time, id), so page 1,000 costs what page 1 does.

The cursor is opaque to partners (base64 of the last row's time and id); a row inserted
while a partner pages never shifts or repeats what it already has.
"""

from __future__ import annotations

import base64
import json
import uuid
from datetime import datetime

from django.db.models import Q, QuerySet
from django.utils.dateparse import parse_datetime
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import BasePagination
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param

DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 100


class KeysetPagination(BasePagination):
    """Pages `queryset` ordered by (`time_field` desc, `id_field` desc), both never null."""

    time_field = "version_created_at"
    id_field = "id"
    cursor_param = "cursor"
    size_param = "page_size"

    def paginate_queryset(self, queryset: QuerySet, request, view=None) -> list:
        self.request = request
        self.page_size = self._page_size(request)
        after = self._decode(request.query_params.get(self.cursor_param))
        queryset = queryset.filter(**{f"{self.time_field}__isnull": False}).order_by(
            f"-{self.time_field}", f"-{self.id_field}"
        )
        if after is not None:
            moment, last_id = after
            # The redundant `<=` lets the (time, id) index start the scan at the cursor.
            queryset = queryset.filter(**{f"{self.time_field}__lte": moment}).filter(
                Q(**{f"{self.time_field}__lt": moment}) | Q(**{f"{self.id_field}__lt": last_id})
            )
        rows = list(queryset[: self.page_size + 1])
        self.has_next = len(rows) > self.page_size
        self.page = rows[: self.page_size]
        return self.page

    def get_paginated_response(self, data) -> Response:
        return Response({"next": self._next_link(), "results": data})

    def next_link(self) -> str | None:
        """The absolute URL of the page after the one just paginated; None on the last."""
        return self._next_link()

    def _next_link(self) -> str | None:
        if not self.has_next:
            return None
        last = self.page[-1]
        moment = getattr(last, self.time_field)
        last_id = getattr(last, self.id_field)
        token = json.dumps([moment.isoformat(), str(last_id)], separators=(",", ":"))
        cursor = base64.urlsafe_b64encode(token.encode()).decode().rstrip("=")
        return replace_query_param(self.request.build_absolute_uri(), self.cursor_param, cursor)

    def _page_size(self, request) -> int:
        raw = request.query_params.get(self.size_param)
        if raw is None:
            return DEFAULT_PAGE_SIZE
        if not raw.isdigit() or not 1 <= int(raw) <= MAX_PAGE_SIZE:
            raise ValidationError(
                {self.size_param: [f"Must be a whole number from 1 to {MAX_PAGE_SIZE}."]}
            )
        return int(raw)

    def _decode(self, raw: str | None) -> tuple[datetime, object] | None:
        if raw is None:
            return None
        try:
            padded = raw + "=" * (-len(raw) % 4)
            moment_text, last_id = json.loads(base64.urlsafe_b64decode(padded.encode()))
            moment = parse_datetime(moment_text)
            if moment is None or moment.tzinfo is None or not isinstance(last_id, str):
                raise ValueError
            last_id = self.parse_id(last_id)
        except (ValueError, TypeError, UnicodeError, AttributeError):
            raise ValidationError(
                {self.cursor_param: ["Not a cursor this API gave out; use the 'next' link."]}
            ) from None
        return moment, last_id

    def parse_id(self, value: str):
        if not value.isdigit():
            raise ValueError(value)
        return int(value)

    def get_schema_operation_parameters(self, view) -> list[dict]:
        return [
            {
                "name": self.cursor_param,
                "required": False,
                "in": "query",
                "description": "The opaque cursor from the previous page's `next` link.",
                "schema": {"type": "string"},
            },
            {
                "name": self.size_param,
                "required": False,
                "in": "query",
                "description": f"Items per page, 1 to {MAX_PAGE_SIZE} "
                f"(default {DEFAULT_PAGE_SIZE}).",
                "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE},
            },
        ]

    def get_paginated_response_schema(self, schema: dict) -> dict:
        return {
            "type": "object",
            "required": ["next", "results"],
            "properties": {
                "next": {"type": "string", "nullable": True, "format": "uri"},
                "results": schema,
            },
        }


class DeliveryPagination(KeysetPagination):
    time_field = "created_at"
    id_field = "id"

    def parse_id(self, value: str):
        return uuid.UUID(value)
