"""The newsroom's roles as groups: Reporter, Editor, Standards."""

from django.db import migrations

ROLES = {
    "Reporter": [
        "articles.add_article", "articles.change_article", "articles.view_article",
        "articles.submit_article",
        "articles.add_credit", "articles.change_credit", "articles.delete_credit",
        "articles.view_credit",
        "articles.add_contributor", "articles.view_contributor",
        "articles.view_desk", "articles.view_topic", "articles.view_region",
        "articles.view_articleversion",
        "sources.add_source", "sources.view_source",
        "sources.add_attribution", "sources.change_attribution", "sources.delete_attribution",
        "sources.view_attribution", "sources.view_auditfinding",
    ],
    "Editor": [
        "articles.add_article", "articles.change_article", "articles.view_article",
        "articles.submit_article", "articles.publish_article", "articles.kill_article",
        "articles.override_audit",
        "articles.add_credit", "articles.change_credit", "articles.delete_credit",
        "articles.view_credit",
        "articles.add_contributor", "articles.change_contributor", "articles.view_contributor",
        "articles.add_desk", "articles.change_desk", "articles.view_desk",
        "articles.add_topic", "articles.change_topic", "articles.view_topic",
        "articles.add_region", "articles.change_region", "articles.view_region",
        "articles.view_articleversion", "articles.view_auditentry",
        "sources.add_source", "sources.change_source", "sources.view_source",
        "sources.add_attribution", "sources.change_attribution", "sources.delete_attribution",
        "sources.view_attribution",
        "sources.view_auditfinding", "sources.change_auditfinding",
    ],
    "Standards": [
        "articles.view_article", "articles.view_articleversion", "articles.view_auditentry",
        "articles.view_credit", "articles.view_contributor", "articles.view_desk",
        "sources.view_source", "sources.change_source", "sources.view_confidential_source",
        "sources.view_attribution", "sources.view_auditfinding", "sources.change_auditfinding",
    ],
}


def create_roles(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    # Permissions are normally made after migrate; the groups need them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, names in ROLES.items():
        group, _ = Group.objects.get_or_create(name=role)
        for name in names:
            app_label, codename = name.split(".")
            group.permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0002_version_invariants"),
        ("sources", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]
    operations = [migrations.RunPython(create_roles, remove_roles)]
