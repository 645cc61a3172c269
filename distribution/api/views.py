"""The partner API: thin views over `distribution.selectors`.

Every view authenticates a partner key, throttles per partner and reads items only through
`items_for_partner`, so an item outside a partner's entitlement is a 404 everywhere.
"""

from __future__ import annotations

import logging
import time
from typing import Literal

import orjson
from django.db.models import Subquery
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.cache import get_conditional_response
from django.utils.http import http_date
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.exceptions import (
    APIException,
    AuthenticationFailed,
    NotAuthenticated,
    ValidationError,
)
from rest_framework.generics import GenericAPIView
from rest_framework.mixins import ListModelMixin
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.reverse import reverse

from articles.models import Article
from distribution.api import pages
from distribution.api.authentication import (
    KeyRevised,
    PartnerKeyAuthentication,
    confirm_key,
    forget_key,
)
from distribution.api.exceptions import api_exception_handler
from distribution.api.filters import ItemFilter
from distribution.api.negotiation import PartnerContentNegotiation
from distribution.api.pagination import DeliveryPagination, KeysetPagination
from distribution.api.permissions import HasScope, IsPartner
from distribution.api.serializers import (
    DeliverySerializer,
    ErrorSerializer,
    NinjsItemSerializer,
    VersionListSerializer,
)
from distribution.api.throttling import PartnerRateThrottle, UnauthenticatedRateThrottle
from distribution.feeds.cache import body_etag
from distribution.models import APIScope, Delivery
from distribution.selectors import (
    Entitlements,
    deliveries_for_partner,
    entitlements_of,
    item_json,
    items_for_partner,
    next_embargo_end,
    present,
    versions_for_partner,
)

logger = logging.getLogger("distribution.api.requests")

ERRORS = {
    401: OpenApiResponse(
        response=ErrorSerializer,
        description="No key, or a key that is invalid, revoked or expired.",
    ),
    403: OpenApiResponse(
        response=ErrorSerializer, description="The key's scopes do not cover this endpoint."
    ),
    429: OpenApiResponse(
        response=ErrorSerializer, description="Too many requests; see Retry-After."
    ),
}
BAD_PARAMETER = {
    400: OpenApiResponse(
        response=ErrorSerializer, description="A parameter is invalid; `errors` says which and why."
    )
}
NOT_FOUND = {
    404: OpenApiResponse(
        response=ErrorSerializer, description="No such item that this partner may see."
    )
}
# The article fields views read besides the stored ninjs; the copy itself is not loaded.
ITEM_FIELDS = ("id", "guid", "slug", "headline", "status", "version", "version_created_at")


class PartnerView(GenericAPIView):
    authentication_classes = [PartnerKeyAuthentication]
    permission_classes = [IsPartner, HasScope]
    throttle_classes = [PartnerRateThrottle]
    content_negotiation_class = PartnerContentNegotiation
    required_scope: str | None = None

    def dispatch(self, request, *args, **kwargs):
        started = time.monotonic()
        response = super().dispatch(request, *args, **kwargs)
        # One line per request naming the key by its prefix (never the key) and its partner,
        # so the use of a revoked key can be traced to whoever still holds it.
        logger.info(
            "%s %s %s partner=%s key=%s %d ms",
            request.method,
            request.path,
            response.status_code,
            getattr(request, "api_partner_id", "-"),
            getattr(request, "api_key_prefix", "-"),
            (time.monotonic() - started) * 1000,
        )
        return response

    def initial(self, request: Request, *args, **kwargs) -> None:
        """DRF's checks (key, scope, throttle); a key this process remembered is used only
        once its revision is found current (`distribution.api.authentication`): when it is
        not, the checks run again with the key read from the database."""
        try:
            self._checks(request, *args, **kwargs)
            confirm_key(request._request)
            return
        except KeyRevised:
            pass
        except APIException:
            # A refusal (scope, rate) given on a remembered key stands only if it holds.
            try:
                confirm_key(request._request)
            except KeyRevised:
                pass
            else:
                raise
        forget_key(request._request)
        self.__dict__.pop("_entitlements", None)
        self.__dict__.pop("_page_key", None)
        request._request.api_prefetched = None
        # DRF authenticates again when the user is asked for next.
        for name in ("_user", "_auth"):
            request.__dict__.pop(name, None)
        self._checks(request, *args, **kwargs)

    def _checks(self, request: Request, *args, **kwargs) -> None:
        try:
            super().initial(request, *args, **kwargs)
        except (NotAuthenticated, AuthenticationFailed):
            # Authentication runs before DRF's throttles, so a refused key is counted here,
            # by client address: guessing keys is throttled too.
            throttle = UnauthenticatedRateThrottle()
            if not throttle.allow_request(request, self):
                self.throttled(request, throttle.wait())
            raise
        for name, value in request.query_params.items():
            # PostgreSQL refuses NUL in text; say so rather than fail on it.
            if "\x00" in value:
                raise ValidationError({name: ["Must not contain NUL characters."]})

    def get_exception_handler(self):
        return api_exception_handler

    def entitlements(self) -> Entitlements:
        """The partner's entitlements: read once per request, or remembered with the key
        (see `distribution.api.authentication`)."""
        if not hasattr(self, "_entitlements"):
            verified = getattr(self.request._request, "api_verified_key", None)
            if verified is not None and verified.entitlements is not None:
                self._entitlements = verified.entitlements
            else:
                self._entitlements = entitlements_of(self.request.user)
                if verified is not None:
                    verified.entitlements = self._entitlements
        return self._entitlements

    def items(self):
        return items_for_partner(self.request.user, entitlements=self.entitlements()).only(
            *ITEM_FIELDS, "kill_notice"
        )

    def item(self, guid: str) -> Article:
        return get_object_or_404(self.items(), guid=guid)


class ItemListView(PartnerView, ListModelMixin):
    """Published items this partner may see, newest version first, as ninjs 2.2."""

    required_scope = APIScope.ITEMS
    serializer_class = NinjsItemSerializer
    pagination_class = KeysetPagination
    filterset_class = ItemFilter

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema generator has no partner
            return Article.objects.none()
        return self.items()

    @extend_schema(responses={200: NinjsItemSerializer(many=True), **BAD_PARAMETER, **ERRORS})
    def get(self, request: Request) -> Response:
        return self.list(request)

    def page_key(self) -> str:
        """This request's page's name in the cache (`pages.page_key`)."""
        if not hasattr(self, "_page_key"):
            self._page_key = pages.page_key(
                self.entitlements().key, self.request.build_absolute_uri()
            )
        return self._page_key

    def prefetch_keys(self) -> list[str]:
        """What the partner throttle reads back in its round trip: the items' generation
        and this page's validator (`pages.lookup`)."""
        return pages.lookup_keys(self.page_key())

    def list(self, request: Request, *args, **kwargs) -> HttpResponse:
        """The page from the cache while the items are unchanged (304 to a client that has
        it), else built from the database and stored; see `distribution.api.pages`."""
        key = self.page_key()
        try:
            generation, validator = pages.lookup(
                key, getattr(request._request, "api_prefetched", None)
            )
        except pages.CacheUnavailable:
            return _conditional(request, _json_response(self.page_json()[0]), None)
        if pages.servable(validator, generation):
            not_modified = get_conditional_response(
                request,
                etag=validator["etag"],
                last_modified=validator["last_modified"],
                response=None,
            )
            if not_modified is not None:
                return _page_headers(not_modified, validator["etag"], validator["last_modified"])
            try:
                stored = pages.body(key, validator)
            except pages.CacheUnavailable:
                stored = None
            if stored is not None:
                return _page_headers(_json_response(stored.body), stored.etag, stored.last_modified)
        content, until = self.page_json()
        if until is False:  # nothing on it says how long it holds
            return _conditional(request, _json_response(content), None)
        try:
            stored = pages.store(key, generation, content, validator, until=until)
        except pages.CacheUnavailable:
            return _conditional(request, _json_response(content), None)
        return _conditional(request, _json_response(stored.body), stored)

    def page_json(self) -> tuple[bytes, float | None | Literal[False]]:
        """This request's page as JSON bytes, `{"next": url|null, "results": [item, ...]}`
        with each item the stored ninjs text as it is (see `item_json`), and until when it
        holds without an event: the Unix time the next embargo ends for a partner without
        embargoed copy (None when no embargo is pending or the partner has embargoed copy;
        False for a page without items, which cannot carry it). One query, whatever the
        page size. Raises ValidationError for a bad parameter."""
        items = self.filter_queryset(self.get_queryset())
        embargoed = self.entitlements().embargoed
        if not embargoed:
            items = items.annotate(embargo_ends=Subquery(next_embargo_end()))
        page = self.paginate_queryset(items)
        results = b",".join(item_json(article) for article in page)
        content = b'{"next":%s,"results":[%s]}' % (
            orjson.dumps(self.paginator.next_link()),
            results,
        )
        if embargoed:
            return content, None
        if not page:
            return content, False
        ends = page[0].embargo_ends
        return content, ends.timestamp() if ends is not None else None


def _json_response(content: bytes) -> HttpResponse:
    return HttpResponse(content, content_type="application/json")


def _page_headers(response: HttpResponse, etag: str, last_modified: int | None) -> HttpResponse:
    response["ETag"] = etag
    if last_modified is not None:
        response["Last-Modified"] = http_date(last_modified)
    # For this partner's key alone: no shared cache may keep it; clients revalidate.
    response["Cache-Control"] = "private, no-cache"
    response["Vary"] = "Authorization"
    return response


def _conditional(
    request: Request, response: HttpResponse, stored: pages.StoredPage | None
) -> HttpResponse:
    """`response` with its validators, or a 304 when the client already holds it. A page
    not stored has no Last-Modified: with no earlier one to follow, a date to the second
    could not tell it from a different page built in the same second."""
    if stored is None:
        etag, last_modified = body_etag(response.content), None
    else:
        etag, last_modified = stored.etag, stored.last_modified
    response = _page_headers(response, etag, last_modified)
    conditional = get_conditional_response(
        request, etag=etag, last_modified=last_modified, response=response
    )
    if conditional is response:
        return response
    return _page_headers(conditional, etag, last_modified)


class ItemDetailView(PartnerView):
    """One item, latest version; a killed item is its kill notice, a withheld one a stub."""

    required_scope = APIScope.ITEMS
    serializer_class = NinjsItemSerializer

    @extend_schema(responses={200: NinjsItemSerializer, **ERRORS, **NOT_FOUND})
    def get(self, request: Request, guid: str) -> HttpResponse:
        return _json_response(item_json(self.item(guid)))


class VersionListView(PartnerView):
    """Every version of an item that went out: number, event, time, and where to fetch it."""

    required_scope = APIScope.ITEMS
    serializer_class = VersionListSerializer

    @extend_schema(
        operation_id="items_versions_list",
        responses={200: VersionListSerializer, **ERRORS, **NOT_FOUND},
    )
    def get(self, request: Request, guid: str) -> Response:
        article = self.item(guid)
        results = [
            {
                "version": version.number,
                "event": version.event,
                "versioncreated": version.created_at,
                "url": reverse(
                    "api:item-version",
                    kwargs={"guid": article.guid, "number": version.number},
                    request=request,
                ),
            }
            for version in versions_for_partner(article).defer("ninjs")
        ]
        return Response(VersionListSerializer({"uri": article.guid, "results": results}).data)


class VersionDetailView(PartnerView):
    """Version `number` exactly as it was sent (copy removed if the story is now withheld
    or killed)."""

    required_scope = APIScope.ITEMS
    serializer_class = NinjsItemSerializer

    @extend_schema(responses={200: NinjsItemSerializer, **ERRORS, **NOT_FOUND})
    def get(self, request: Request, guid: str, number: int) -> Response:
        article = self.item(guid)
        version = get_object_or_404(versions_for_partner(article), number=number)
        return Response(present(version.ninjs, article))


class DeliveryListView(PartnerView, ListModelMixin):
    """This partner's own webhook deliveries, newest first, with every attempt."""

    required_scope = APIScope.DELIVERIES
    serializer_class = DeliverySerializer
    pagination_class = DeliveryPagination

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Delivery.objects.none()
        return deliveries_for_partner(self.request.user)

    @extend_schema(responses={200: DeliverySerializer(many=True), **BAD_PARAMETER, **ERRORS})
    def get(self, request: Request) -> Response:
        return self.list(request)

    def list(self, request: Request, *args, **kwargs) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(self.get_serializer(page, many=True).data)
