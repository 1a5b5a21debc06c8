"""Issue 15: the database table of the ``throttle`` cache (settings.CACHES), so `migrate` alone leaves a working
server, and the denylist of access tokens revoked at sign-out."""
from django.core.management import call_command
from django.db import migrations, models


def create_cache_tables(apps, schema_editor) -> None:
    # Creates only the database caches settings name (none when REDIS_URL is set); idempotent.
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("careers", "0005_programme_eligibility")]
    operations = [
        migrations.RunPython(create_cache_tables, migrations.RunPython.noop),
        migrations.CreateModel(
            name="RevokedAccessToken",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("jti", models.CharField(max_length=255, unique=True, verbose_name="token id")),
                ("expires_at", models.DateTimeField(db_index=True, verbose_name="expires at")),
            ],
            options={"verbose_name": "revoked access token", "verbose_name_plural": "revoked access tokens"},
        ),
    ]
