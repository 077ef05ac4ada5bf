"""The built-in 24/7 calendar, which always exists."""

from django.db import migrations

ALWAYS = {day: [["00:00", "24:00"]] for day in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}


def create_builtin(apps, schema_editor):
    BusinessCalendar = apps.get_model("sla", "BusinessCalendar")
    if not BusinessCalendar.objects.filter(builtin=True).exists():
        BusinessCalendar.objects.create(name="24/7", time_zone="UTC", hours=ALWAYS, holidays=[], builtin=True)


class Migration(migrations.Migration):
    dependencies = [("sla", "0001_initial")]

    operations = [migrations.RunPython(create_builtin, migrations.RunPython.noop)]
