"""Shapes of the partner API's answers, for the OpenAPI schema.

Items are built by `articles.ninjs` and `distribution.selectors` (a ninjs 2.2 object), not by
these serializers; the item serializer documents the fields a partner can rely on.
"""

from __future__ import annotations

from rest_framework import serializers

from distribution.models import Delivery, DeliveryAttempt


class _Text(serializers.Serializer):
    role = serializers.CharField(required=False)
    contenttype = serializers.CharField(required=False)
    value = serializers.CharField()


class _Named(serializers.Serializer):
    name = serializers.CharField(required=False)
    rel = serializers.CharField(required=False)
    role = serializers.CharField(required=False)
    literal = serializers.CharField(required=False)


class _AltId(serializers.Serializer):
    role = serializers.CharField(required=False)
    value = serializers.CharField(required=False)


class _Standard(serializers.Serializer):
    name = serializers.CharField(required=False)
    version = serializers.CharField(required=False)
    schema = serializers.CharField(required=False)


class NinjsItemSerializer(serializers.Serializer):
    """An IPTC ninjs 2.2 item (validates against ninjs-schema_2.2.json)."""

    uri = serializers.CharField(help_text="The item's guid, urn:newsroom:<uuid>.")
    type = serializers.CharField(help_text="Always text.")
    version = serializers.CharField(help_text="The published version, as a string.")
    pubstatus = serializers.ChoiceField(choices=["usable", "withheld", "canceled"])
    versioncreated = serializers.DateTimeField(required=False)
    firstcreated = serializers.DateTimeField(required=False)
    embargoed = serializers.DateTimeField(
        required=False, help_text="Present on embargoed copy: not for use before this time."
    )
    urgency = serializers.IntegerField(required=False, min_value=1, max_value=9)
    language = serializers.CharField(required=False)
    slugline = serializers.CharField(required=False)
    representationtype = serializers.CharField(required=False)
    profile = serializers.CharField(required=False)
    copyrightholder = serializers.CharField(required=False)
    headlines = _Text(many=True, required=False)
    descriptions = _Text(many=True, required=False)
    bodies = _Text(many=True, required=False)
    by = serializers.CharField(required=False, help_text="The byline as printed.")
    located = serializers.CharField(required=False, help_text="The dateline place.")
    ednote = serializers.CharField(required=False, help_text="Correction, kill or withhold note.")
    subjects = _Named(many=True, required=False)
    people = _Named(many=True, required=False, help_text="Public sources quoted (rel quoted).")
    organisations = _Named(many=True, required=False)
    infosources = _Named(many=True, required=False, help_text="Credits, role per credit.")
    altids = _AltId(many=True, required=False)
    standard = _Standard(required=False)


class VersionSummarySerializer(serializers.Serializer):
    version = serializers.IntegerField()
    event = serializers.ChoiceField(choices=["publish", "correct", "update", "kill"])
    versioncreated = serializers.DateTimeField()
    url = serializers.URLField()


class VersionListSerializer(serializers.Serializer):
    uri = serializers.CharField()
    results = VersionSummarySerializer(many=True)


class DeliveryAttemptSerializer(serializers.ModelSerializer):
    class Meta:
        model = DeliveryAttempt
        fields = ["number", "at", "status_code", "duration_ms", "error"]


class DeliverySerializer(serializers.ModelSerializer):
    endpoint = serializers.URLField(source="endpoint.url")
    attempts = DeliveryAttemptSerializer(source="attempt_log", many=True)

    class Meta:
        model = Delivery
        fields = [
            "id",
            "webhook_id",
            "event_type",
            "guid",
            "version",
            "endpoint",
            "status",
            "created_at",
            "delivered_at",
            "next_attempt_at",
            "attempts",
        ]


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        required=False,
        help_text="For a 400: each invalid parameter, with why.",
    )
