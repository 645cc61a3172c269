"""Editors run the partner desk: partners, keys, endpoints; deliveries are read-only to all."""

from django.db import migrations

EDITOR_PERMISSIONS = [
    "add_partner", "change_partner", "view_partner",
    "add_partnerapikey", "change_partnerapikey", "view_partnerapikey",
    "add_webhookendpoint", "change_webhookendpoint", "delete_webhookendpoint",
    "view_webhookendpoint",
    "view_delivery", "view_deliveryattempt",
]


def grant(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    # Permissions are normally made after migrate; the group needs them now.
    app_config = apps.get_app_config("distribution")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    editor, _ = Group.objects.get_or_create(name="Editor")
    editor.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="distribution", codename__in=EDITOR_PERMISSIONS
        )
    )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for editor in Group.objects.filter(name="Editor"):
        editor.permissions.remove(
            *Permission.objects.filter(
                content_type__app_label="distribution", codename__in=EDITOR_PERMISSIONS
            )
        )


class Migration(migrations.Migration):
    dependencies = [
        ("distribution", "0002_partner_api_indexes"),
        ("articles", "0003_roles"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]
    operations = [migrations.RunPython(grant, revoke)]
