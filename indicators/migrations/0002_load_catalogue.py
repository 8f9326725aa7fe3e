"""Load seeds/catalogue.json into IndicatorDefinition (an idempotent upsert keyed by code)."""

from django.db import migrations


def load_catalogue(apps, schema_editor):
    from indicators.services.catalogue import seeded_catalogue_rows, catalogue_upsert

    model = apps.get_model("indicators", "IndicatorDefinition")
    catalogue_upsert(model=model, rows=seeded_catalogue_rows())


class Migration(migrations.Migration):
    dependencies = [("indicators", "0001_initial")]

    operations = [migrations.RunPython(load_catalogue, migrations.RunPython.noop)]
