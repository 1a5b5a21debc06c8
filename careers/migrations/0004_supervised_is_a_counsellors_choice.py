"""``CandidateProfile.supervised`` now means only "a counsellor chose to supervise this adult".

Until now registration (and the demo) stored ``supervised = is_minor``, so a person stayed supervised after their 18th
birthday. Minors are supervised by age (``is_supervised`` is ``supervised or is_minor``), so the stored flag is
cleared for everyone who is a minor now; nothing they see changes until they turn 18.

Adults are left as they are, because their flag is ambiguous: ``True`` may be a copy of ``is_minor`` stored when they
registered as minors, or a counsellor's choice (given then or since); the database cannot tell the two apart. Keeping
it errs on the side of oversight: their counsellor (or an administrator) turns it off where it was only the copy.
"""
from django.db import migrations
from django.utils import timezone

ADULT_AGE = 18  # careers.models.people.ADULT_AGE at the time of writing (a migration must not import the model)


def _minors(apps):
    profile = apps.get_model("careers", "CandidateProfile")
    # The same rule as CandidateProfile.is_minor: the age reached in the current year, from the birth year.
    return profile.objects.filter(birth_year__gt=timezone.localdate().year - ADULT_AGE)


def clear_for_minors(apps, schema_editor):
    _minors(apps).filter(supervised=True).update(supervised=False)


def set_for_minors(apps, schema_editor):
    # Back to the old rule (minors stored supervised); is_supervised is the same either way.
    _minors(apps).filter(supervised=False).update(supervised=True)


class Migration(migrations.Migration):

    dependencies = [
        ("careers", "0003_ranker_versions"),
    ]

    operations = [
        migrations.RunPython(clear_for_minors, set_for_minors),
    ]
