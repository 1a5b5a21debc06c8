"""Invented demo data on top of the reference data: vacancies, candidates, staff, applications and demo logins.

`demo_load` reads what `load_reference` put in the database (towns, occupations with their ESCO skills, real
employers, institutions, intakes) and adds the demo world described by the curated files in ``fixtures/demo/``.

* Deterministic: every random draw comes from ``random.Random`` seeded per section, and every query that feeds a
  draw is ordered by a natural key (URI, name), so SQLite and PostgreSQL produce the same world.
* Dates are relative to ``today`` so the demo never goes stale: open vacancies were published in the last 30 days
  and expire 2–10 weeks ahead.
* Idempotent: rows are keyed on natural keys (users on username, vacancies on employer + title + town, applications
  on candidate + target) and brought to the planned state; a second run on the same day writes nothing new and the
  counts never change.
* A feedback history (``careers.demo.feedback``): jobs lists served to generated candidates and what they,
  employers and counsellors did with them, so that ``train_ranker`` learns in a fresh demo.
* All people are fictitious: random combinations of common Latvian names, e-mails under the reserved ``.example``
  top-level domain (RFC 2606), no phone numbers.

The parts: ``load`` (the entry point and the order of the steps), ``reference`` (what the demo reads and checks),
``common`` (seed, fixtures, draws), ``sync`` (bulk upserts on natural keys), ``users`` and ``logins``,
``employers``, ``vacancies``, ``staff``, ``candidates``, ``applications`` and ``feedback``.
"""
from careers.demo.load import DemoReport, demo_load
from careers.demo.logins import DEMO_EMAIL_DOMAIN, DEMO_LOGINS, DEMO_PASSWORD, DemoLogin, demo_logins_table
from careers.demo.reference import DemoDataMissing

__all__ = [
    "DEMO_EMAIL_DOMAIN", "DEMO_LOGINS", "DEMO_PASSWORD", "DemoDataMissing", "DemoLogin", "DemoReport", "demo_load",
    "demo_logins_table",
]
