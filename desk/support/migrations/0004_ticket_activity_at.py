"""Staff-side activity time: `activity_at` moves on every change, `updated_at` only on those the
customer can see. Existing tickets start with the two equal."""

import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("support", "0003_postgres_search"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="ticket",
            name="activity_at",
            field=models.DateTimeField(default=django.utils.timezone.now),
        ),
        migrations.RunSQL(
            "UPDATE support_ticket SET activity_at = updated_at", reverse_sql=migrations.RunSQL.noop, elidable=True
        ),
        migrations.AddIndex(
            model_name="ticket",
            index=models.Index(fields=["-activity_at", "-id"], name="ticket_activity_idx"),
        ),
    ]
