"""The database table of the ``throttle`` cache (settings.CACHES), so `migrate` alone leaves a working server."""
from django.core.management import call_command
from django.db import migrations


def create_cache_tables(apps, schema_editor) -> None:
    # Creates only the database caches settings name (none when REDIS_URL is set); idempotent.
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("careers", "0004_supervised_is_a_counsellors_choice")]
    operations = [migrations.RunPython(create_cache_tables, migrations.RunPython.noop)]
