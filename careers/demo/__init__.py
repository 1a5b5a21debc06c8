"""The demo world: invented people, vacancies, applications and a feedback history on the reference data."""
from careers.demo.load import (
    DEMO_EMAIL_DOMAIN,
    DEMO_LOGINS,
    DEMO_PASSWORD,
    DemoDataMissing,
    DemoLogin,
    DemoReport,
    demo_load,
    demo_logins_table,
)

__all__ = [
    "DEMO_EMAIL_DOMAIN", "DEMO_LOGINS", "DEMO_PASSWORD", "DemoDataMissing", "DemoLogin", "DemoReport", "demo_load",
    "demo_logins_table",
]
