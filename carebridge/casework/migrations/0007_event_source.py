from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("casework", "0006_event_method_of_assessment_review_outcomes"),
    ]

    operations = [
        migrations.AddField(
            model_name="event",
            name="source",
            field=models.CharField(
                choices=[
                    ("recorded", "Recorded in carebridge"),
                    ("cld_import", "Imported from a CLD file"),
                ],
                db_default="recorded",
                default="recorded",
                max_length=12,
            ),
        ),
    ]
