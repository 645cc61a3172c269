"""Webhook signing secrets move from clear text to Fernet tokens under the source key ring,
with room for the previous secret during a rotation's grace period.

Reversible: going back decrypts each secret into the clear column again (the previous
secret of a rotation in progress is dropped).
"""

from django.db import migrations, models

import distribution.models


def encrypt_secrets(apps, schema_editor):
    from sources import crypto

    Endpoint = apps.get_model("distribution", "WebhookEndpoint")
    for endpoint in Endpoint.objects.only("pk", "secret"):
        Endpoint.objects.filter(pk=endpoint.pk).update(
            secret_encrypted=crypto.encrypt(endpoint.secret)
        )


def decrypt_secrets(apps, schema_editor):
    from sources import crypto

    Endpoint = apps.get_model("distribution", "WebhookEndpoint")
    for endpoint in Endpoint.objects.only("pk", "secret_encrypted"):
        Endpoint.objects.filter(pk=endpoint.pk).update(
            secret=crypto.decrypt(endpoint.secret_encrypted)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("distribution", "0004_api_key_scopes_and_last_use"),
    ]

    operations = [
        migrations.AddField(
            model_name="webhookendpoint",
            name="secret_encrypted",
            field=models.TextField(
                default=distribution.models.new_encrypted_webhook_secret, editable=False
            ),
        ),
        migrations.AddField(
            model_name="webhookendpoint",
            name="previous_secret_encrypted",
            field=models.TextField(blank=True, editable=False),
        ),
        migrations.AddField(
            model_name="webhookendpoint",
            name="previous_secret_expires_at",
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
        migrations.RunPython(encrypt_secrets, decrypt_secrets),
        migrations.RemoveField(
            model_name="webhookendpoint",
            name="secret",
        ),
    ]
