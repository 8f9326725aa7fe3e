"""The "curator" group: review (view/change) indicator values; upload reports, correct their
metadata and sections and re-parse them; view everything else.

Only staff with the model permission (superusers, or users granted it) change the catalogue.
"""

from django.db import migrations

CURATOR = "curator"
ADD = {("reports", "report")}
CHANGE = {("indicators", "indicatorvalue"), ("reports", "report"), ("reports", "section")}
VIEW = {
    ("indicators", "indicatorvalue"),
    ("indicators", "indicatordefinition"),
    ("indicators", "curationevent"),
    ("reports", "report"),
    ("reports", "section"),
    ("reports", "ingestionjob"),
    ("reports", "ingestionoutcome"),
}


def create_curator_group(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():  # permissions normally appear after migrate
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    group_model = apps.get_model("auth", "Group")
    permission_model = apps.get_model("auth", "Permission")
    group, _ = group_model.objects.get_or_create(name=CURATOR)
    wanted = [("view", app, model) for app, model in VIEW]
    wanted += [("change", app, model) for app, model in CHANGE]
    wanted += [("add", app, model) for app, model in ADD]
    permissions = [
        permission_model.objects.get(
            content_type__app_label=app, codename=f"{verb}_{model}"
        )
        for verb, app, model in wanted
    ]
    group.permissions.add(*permissions)


def remove_curator_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=CURATOR).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("indicators", "0002_load_catalogue"),
        ("reports", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_curator_group, remove_curator_group)]
