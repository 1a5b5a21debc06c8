from django.apps import AppConfig


class CareersConfig(AppConfig):
    name = "careers"
    verbose_name = "Careers"

    def ready(self) -> None:
        from django.db.backends.signals import connection_created

        from careers.folding import register_sqlite_functions

        connection_created.connect(register_sqlite_functions, dispatch_uid="careers-sqlite-functions")
