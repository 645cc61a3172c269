"""Content negotiation for the partner API: DRF's, with its commonest answer given at once."""

from __future__ import annotations

from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.renderers import BaseRenderer

# The Accept values that take anything: none sent, or the catch-all that HTTP clients send.
ANYTHING = frozenset({None, "*/*"})


class PartnerContentNegotiation(DefaultContentNegotiation):
    """DRF's DefaultContentNegotiation. For a request that accepts anything and asks for no
    format, DRF parses the Accept header only to pick the first renderer with its own media
    type; that answer is given here without parsing. Every other request is DRF's."""

    def select_renderer(
        self, request, renderers: list[BaseRenderer], format_suffix: str | None = None
    ) -> tuple[BaseRenderer, str]:
        """(renderer, media type) for `request`; raises NotAcceptable (406) or Http404 (an
        unknown format) as DRF does."""
        asked_format = format_suffix or request.query_params.get(self.settings.URL_FORMAT_OVERRIDE)
        if renderers and not asked_format and request.META.get("HTTP_ACCEPT") in ANYTHING:
            return renderers[0], renderers[0].media_type
        return super().select_renderer(request, renderers, format_suffix)
