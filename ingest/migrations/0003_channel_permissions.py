"""Editors run the agency channels and take agency copy onto the desk; reporters see the
queue and may take from it; the log is read-only to both."""

from django.db import migrations

PERMISSIONS = {
    "Editor": [
        "add_ingestchannel", "change_ingestchannel", "view_ingestchannel",
        "view_ingestitem", "take_ingestitem", "view_ingestitemversion", "view_ingestlogentry",
    ],
    "Reporter": ["view_ingestitem", "take_ingestitem", "view_ingestitemversion"],
}


def grant(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    # Permissions are normally made after migrate; the groups need them now.
    app_config = apps.get_app_config("ingest")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, codenames in PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role)
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label="ingest", codename__in=codenames)
        )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, codenames in PERMISSIONS.items():
        for group in Group.objects.filter(name=role):
            group.permissions.remove(
                *Permission.objects.filter(
                    content_type__app_label="ingest", codename__in=codenames
                )
            )


class Migration(migrations.Migration):
    dependencies = [
        ("ingest", "0002_channels"),
        ("articles", "0003_roles"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]
    operations = [migrations.RunPython(grant, revoke)]
