"""The article's language becomes a choice (de, en, fr, …) instead of free text."""

from django.db import migrations, models

LANGUAGES = ["de", "en", "fr", "it", "es", "nl", "pl", "cs", "da", "tr", "ru", "uk", "ar", "und"]


def to_choices(apps, schema_editor):
    # "de-AT", "DE" or "deutsch" typed before: the listed language of its first part, or "und" (other).
    Article = apps.get_model("annotations", "Article")
    for code in Article.objects.exclude(language__in=LANGUAGES).values_list("language", flat=True).distinct():
        primary = code.strip().split("-")[0].split("_")[0].lower()
        Article.objects.filter(language=code).update(language=primary if primary in LANGUAGES else "und")


class Migration(migrations.Migration):
    dependencies = [
        ("annotations", "0006_search"),
    ]

    operations = [
        migrations.RunPython(to_choices, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="article",
            name="language",
            field=models.CharField(
                choices=[
                    ("de", "German"),
                    ("en", "English"),
                    ("fr", "French"),
                    ("it", "Italian"),
                    ("es", "Spanish"),
                    ("nl", "Dutch"),
                    ("pl", "Polish"),
                    ("cs", "Czech"),
                    ("da", "Danish"),
                    ("tr", "Turkish"),
                    ("ru", "Russian"),
                    ("uk", "Ukrainian"),
                    ("ar", "Arabic"),
                    ("und", "Other language"),
                ],
                default="de",
                max_length=12,
                verbose_name="language",
            ),
        ),
    ]
