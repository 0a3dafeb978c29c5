"""The legal pages a German public body's site needs (issue 14): privacy statement, Easy
Language, German Sign Language, and the facts the accessibility statement (EU model) and the
imprint (§ 5 DDG, § 18 MStV) are built from; the office's e-mail becomes required (the contact
block shows it). The editors group may edit the new facts.

The pages themselves are content, like the existing ones: `load_demo` creates them, an editor
adds them in the admin.
"""

import django.db.models.deletion
from django.contrib.auth.management import create_permissions
from django.db import migrations, models

import partnerships.fields
import partnerships.images


GROUP_NAME = "Partnership editors"
EDITED_MODELS = ["accessibilitystatement", "inaccessiblepart", "imprint", "signlanguagevideo"]
ACTIONS = ["add", "change", "delete", "view"]


def grant(apps, schema_editor):
    app_config = apps.get_app_config("partnerships")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _created = Group.objects.get_or_create(name=GROUP_NAME)
    codenames = [f"{action}_{model}" for model in EDITED_MODELS for action in ACTIONS]
    group.permissions.add(
        *Permission.objects.filter(content_type__app_label="partnerships", codename__in=codenames)
    )


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    Permission.objects.filter(
        content_type__app_label="partnerships", content_type__model__in=EDITED_MODELS
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("partnerships", "0015_office_pages_polish"),
    ]

    operations = [
        migrations.CreateModel(
            name="Imprint",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "publisher",
                    models.CharField(
                        help_text="e.g. Landeshauptstadt Düsseldorf",
                        max_length=200,
                        verbose_name="name of the public body",
                    ),
                ),
                (
                    "publisher_de",
                    models.CharField(
                        help_text="e.g. Landeshauptstadt Düsseldorf",
                        max_length=200,
                        null=True,
                        verbose_name="name of the public body",
                    ),
                ),
                (
                    "publisher_en",
                    models.CharField(
                        help_text="e.g. Landeshauptstadt Düsseldorf",
                        max_length=200,
                        null=True,
                        verbose_name="name of the public body",
                    ),
                ),
                (
                    "publisher_he",
                    models.CharField(
                        help_text="e.g. Landeshauptstadt Düsseldorf",
                        max_length=200,
                        null=True,
                        verbose_name="name of the public body",
                    ),
                ),
                (
                    "legal_form",
                    models.CharField(
                        help_text="e.g. “Körperschaft des öffentlichen Rechts”",
                        max_length=200,
                        verbose_name="legal form",
                    ),
                ),
                (
                    "legal_form_de",
                    models.CharField(
                        help_text="e.g. “Körperschaft des öffentlichen Rechts”",
                        max_length=200,
                        null=True,
                        verbose_name="legal form",
                    ),
                ),
                (
                    "legal_form_en",
                    models.CharField(
                        help_text="e.g. “Körperschaft des öffentlichen Rechts”",
                        max_length=200,
                        null=True,
                        verbose_name="legal form",
                    ),
                ),
                (
                    "legal_form_he",
                    models.CharField(
                        help_text="e.g. “Körperschaft des öffentlichen Rechts”",
                        max_length=200,
                        null=True,
                        verbose_name="legal form",
                    ),
                ),
                (
                    "representative",
                    models.CharField(
                        help_text="Who represents the body, e.g. “Oberbürgermeister Dr. Stephan Keller”.",
                        max_length=200,
                        verbose_name="represented by",
                    ),
                ),
                (
                    "representative_de",
                    models.CharField(
                        help_text="Who represents the body, e.g. “Oberbürgermeister Dr. Stephan Keller”.",
                        max_length=200,
                        null=True,
                        verbose_name="represented by",
                    ),
                ),
                (
                    "representative_en",
                    models.CharField(
                        help_text="Who represents the body, e.g. “Oberbürgermeister Dr. Stephan Keller”.",
                        max_length=200,
                        null=True,
                        verbose_name="represented by",
                    ),
                ),
                (
                    "representative_he",
                    models.CharField(
                        help_text="Who represents the body, e.g. “Oberbürgermeister Dr. Stephan Keller”.",
                        max_length=200,
                        null=True,
                        verbose_name="represented by",
                    ),
                ),
                (
                    "department",
                    models.CharField(
                        blank=True,
                        help_text="The office that runs this website.",
                        max_length=200,
                        verbose_name="department",
                    ),
                ),
                (
                    "department_de",
                    models.CharField(
                        blank=True,
                        help_text="The office that runs this website.",
                        max_length=200,
                        null=True,
                        verbose_name="department",
                    ),
                ),
                (
                    "department_en",
                    models.CharField(
                        blank=True,
                        help_text="The office that runs this website.",
                        max_length=200,
                        null=True,
                        verbose_name="department",
                    ),
                ),
                (
                    "department_he",
                    models.CharField(
                        blank=True,
                        help_text="The office that runs this website.",
                        max_length=200,
                        null=True,
                        verbose_name="department",
                    ),
                ),
                ("street", models.CharField(max_length=200, verbose_name="street")),
                ("postal_code", models.CharField(max_length=20, verbose_name="postal code")),
                ("city", models.CharField(max_length=100, verbose_name="city")),
                ("email", models.EmailField(max_length=254, verbose_name="e-mail")),
                ("phone", models.CharField(max_length=50, verbose_name="phone")),
                (
                    "supervisory_authority",
                    models.CharField(
                        help_text="The authority that supervises the body, e.g. “Bezirksregierung Düsseldorf”.",
                        max_length=300,
                        verbose_name="supervisory authority",
                    ),
                ),
                (
                    "supervisory_authority_de",
                    models.CharField(
                        help_text="The authority that supervises the body, e.g. “Bezirksregierung Düsseldorf”.",
                        max_length=300,
                        null=True,
                        verbose_name="supervisory authority",
                    ),
                ),
                (
                    "supervisory_authority_en",
                    models.CharField(
                        help_text="The authority that supervises the body, e.g. “Bezirksregierung Düsseldorf”.",
                        max_length=300,
                        null=True,
                        verbose_name="supervisory authority",
                    ),
                ),
                (
                    "supervisory_authority_he",
                    models.CharField(
                        help_text="The authority that supervises the body, e.g. “Bezirksregierung Düsseldorf”.",
                        max_length=300,
                        null=True,
                        verbose_name="supervisory authority",
                    ),
                ),
                (
                    "supervisory_address",
                    models.TextField(verbose_name="supervisory authority's address"),
                ),
                (
                    "supervisory_address_de",
                    models.TextField(null=True, verbose_name="supervisory authority's address"),
                ),
                (
                    "supervisory_address_en",
                    models.TextField(null=True, verbose_name="supervisory authority's address"),
                ),
                (
                    "supervisory_address_he",
                    models.TextField(null=True, verbose_name="supervisory authority's address"),
                ),
                (
                    "responsible_for_content",
                    models.TextField(
                        help_text="Name and address of the person responsible for the journalistic content.",
                        verbose_name="responsible for the content (§ 18 (2) MStV)",
                    ),
                ),
                (
                    "responsible_for_content_de",
                    models.TextField(
                        help_text="Name and address of the person responsible for the journalistic content.",
                        null=True,
                        verbose_name="responsible for the content (§ 18 (2) MStV)",
                    ),
                ),
                (
                    "responsible_for_content_en",
                    models.TextField(
                        help_text="Name and address of the person responsible for the journalistic content.",
                        null=True,
                        verbose_name="responsible for the content (§ 18 (2) MStV)",
                    ),
                ),
                (
                    "responsible_for_content_he",
                    models.TextField(
                        help_text="Name and address of the person responsible for the journalistic content.",
                        null=True,
                        verbose_name="responsible for the content (§ 18 (2) MStV)",
                    ),
                ),
                (
                    "vat_id",
                    models.CharField(
                        blank=True, max_length=30, verbose_name="VAT identification number"
                    ),
                ),
                ("updated", models.DateTimeField(auto_now=True, verbose_name="last change")),
            ],
            options={
                "verbose_name": "imprint details",
                "verbose_name_plural": "imprint details",
            },
        ),
        migrations.CreateModel(
            name="SignLanguageVideo",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "video",
                    models.FileField(
                        help_text="MP4 (H.264) or WebM, at least 320 × 240 pixels and 25 frames per second (BITV 2.0, Annex 2).",
                        upload_to="sign-language/",
                        verbose_name="video",
                    ),
                ),
                (
                    "captions",
                    models.FileField(
                        blank=True,
                        help_text="Optional: a WebVTT file (.vtt) with the German captions.",
                        upload_to="sign-language/",
                        verbose_name="captions (WebVTT)",
                    ),
                ),
                (
                    "poster",
                    partnerships.images.ImageField(
                        blank=True,
                        height_field="poster_height",
                        upload_to="sign-language/",
                        verbose_name="poster image",
                        width_field="poster_width",
                    ),
                ),
                (
                    "poster_width",
                    models.PositiveIntegerField(blank=True, editable=False, null=True),
                ),
                (
                    "poster_height",
                    models.PositiveIntegerField(blank=True, editable=False, null=True),
                ),
                ("poster_renditions_ready", models.BooleanField(default=False, editable=False)),
                ("mime_type", models.CharField(blank=True, editable=False, max_length=30)),
                ("width", models.PositiveIntegerField(editable=False, null=True)),
                ("height", models.PositiveIntegerField(editable=False, null=True)),
                ("frame_rate", models.FloatField(editable=False, null=True)),
                (
                    "duration",
                    models.FloatField(editable=False, null=True, verbose_name="length in seconds"),
                ),
                (
                    "size",
                    models.PositiveBigIntegerField(
                        editable=False, null=True, verbose_name="file size in bytes"
                    ),
                ),
                ("updated", models.DateTimeField(auto_now=True, verbose_name="last change")),
            ],
            options={
                "verbose_name": "sign-language video",
                "verbose_name_plural": "sign-language video",
            },
        ),
        migrations.AlterField(
            model_name="office",
            name="email",
            field=models.EmailField(max_length=254, verbose_name="e-mail"),
        ),
        migrations.AlterField(
            model_name="page",
            name="key",
            field=models.CharField(
                choices=[
                    ("overview", "International relations (overview)"),
                    ("accessibility", "Accessibility statement"),
                    ("imprint", "Imprint"),
                    ("privacy", "Privacy statement"),
                    ("easy-language", "Easy Language"),
                    ("sign-language", "Sign language (DGS)"),
                ],
                max_length=30,
                unique=True,
                verbose_name="page",
            ),
        ),
        migrations.CreateModel(
            name="AccessibilityStatement",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("full", "fully compliant"),
                            ("partial", "partially compliant"),
                            ("none", "not compliant"),
                        ],
                        help_text="How far the website meets BITV 2.0 / EN 301 549.",
                        max_length=20,
                        verbose_name="compliance status",
                    ),
                ),
                ("prepared_on", models.DateField(verbose_name="statement made on")),
                (
                    "reviewed_on",
                    models.DateField(
                        help_text="Review the statement at least once a year.",
                        verbose_name="last reviewed on",
                    ),
                ),
                (
                    "method",
                    models.CharField(
                        choices=[
                            ("self", "self-assessment"),
                            ("third_party", "assessment by a third party"),
                        ],
                        max_length=20,
                        verbose_name="method",
                    ),
                ),
                (
                    "method_details",
                    models.TextField(
                        blank=True,
                        help_text="e.g. “Automated tests (axe, Nu HTML Checker) and a manual review.”",
                        verbose_name="how it was assessed",
                    ),
                ),
                (
                    "method_details_de",
                    models.TextField(
                        blank=True,
                        help_text="e.g. “Automated tests (axe, Nu HTML Checker) and a manual review.”",
                        null=True,
                        verbose_name="how it was assessed",
                    ),
                ),
                (
                    "method_details_en",
                    models.TextField(
                        blank=True,
                        help_text="e.g. “Automated tests (axe, Nu HTML Checker) and a manual review.”",
                        null=True,
                        verbose_name="how it was assessed",
                    ),
                ),
                (
                    "method_details_he",
                    models.TextField(
                        blank=True,
                        help_text="e.g. “Automated tests (axe, Nu HTML Checker) and a manual review.”",
                        null=True,
                        verbose_name="how it was assessed",
                    ),
                ),
                (
                    "feedback_email",
                    models.EmailField(
                        help_text="Where readers report barriers.",
                        max_length=254,
                        verbose_name="feedback e-mail",
                    ),
                ),
                (
                    "feedback_phone",
                    models.CharField(blank=True, max_length=50, verbose_name="feedback phone"),
                ),
                (
                    "arbitration_body",
                    models.CharField(
                        help_text="The Schlichtungsstelle nach § 16 BGG, or the state's equivalent, e.g. “Ombudsstelle für barrierefreie Informationstechnik des Landes NRW”.",
                        max_length=300,
                        verbose_name="arbitration body",
                    ),
                ),
                (
                    "arbitration_body_de",
                    models.CharField(
                        help_text="The Schlichtungsstelle nach § 16 BGG, or the state's equivalent, e.g. “Ombudsstelle für barrierefreie Informationstechnik des Landes NRW”.",
                        max_length=300,
                        null=True,
                        verbose_name="arbitration body",
                    ),
                ),
                (
                    "arbitration_body_en",
                    models.CharField(
                        help_text="The Schlichtungsstelle nach § 16 BGG, or the state's equivalent, e.g. “Ombudsstelle für barrierefreie Informationstechnik des Landes NRW”.",
                        max_length=300,
                        null=True,
                        verbose_name="arbitration body",
                    ),
                ),
                (
                    "arbitration_body_he",
                    models.CharField(
                        help_text="The Schlichtungsstelle nach § 16 BGG, or the state's equivalent, e.g. “Ombudsstelle für barrierefreie Informationstechnik des Landes NRW”.",
                        max_length=300,
                        null=True,
                        verbose_name="arbitration body",
                    ),
                ),
                (
                    "arbitration_address",
                    models.TextField(verbose_name="arbitration body's address"),
                ),
                (
                    "arbitration_address_de",
                    models.TextField(null=True, verbose_name="arbitration body's address"),
                ),
                (
                    "arbitration_address_en",
                    models.TextField(null=True, verbose_name="arbitration body's address"),
                ),
                (
                    "arbitration_address_he",
                    models.TextField(null=True, verbose_name="arbitration body's address"),
                ),
                (
                    "arbitration_email",
                    models.EmailField(
                        blank=True, max_length=254, verbose_name="arbitration body's e-mail"
                    ),
                ),
                (
                    "arbitration_phone",
                    models.CharField(
                        blank=True, max_length=50, verbose_name="arbitration body's phone"
                    ),
                ),
                (
                    "arbitration_website",
                    partnerships.fields.WebsiteField(
                        blank=True, verbose_name="arbitration body's website"
                    ),
                ),
                ("updated", models.DateTimeField(auto_now=True, verbose_name="last change")),
            ],
            options={
                "verbose_name": "accessibility statement",
                "verbose_name_plural": "accessibility statement",
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("reviewed_on__gte", models.F("prepared_on"))),
                        name="accessibility_reviewed_not_before_prepared",
                        violation_error_message="The review cannot be before the statement was made.",
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="InaccessiblePart",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "description",
                    models.TextField(
                        help_text="e.g. “The map cannot be used by keyboard.”",
                        verbose_name="what is not accessible",
                    ),
                ),
                (
                    "description_de",
                    models.TextField(
                        help_text="e.g. “The map cannot be used by keyboard.”",
                        null=True,
                        verbose_name="what is not accessible",
                    ),
                ),
                (
                    "description_en",
                    models.TextField(
                        help_text="e.g. “The map cannot be used by keyboard.”",
                        null=True,
                        verbose_name="what is not accessible",
                    ),
                ),
                (
                    "description_he",
                    models.TextField(
                        help_text="e.g. “The map cannot be used by keyboard.”",
                        null=True,
                        verbose_name="what is not accessible",
                    ),
                ),
                (
                    "reason",
                    models.CharField(
                        choices=[
                            ("non_compliance", "not compliant with the requirements"),
                            ("disproportionate_burden", "disproportionate burden"),
                            ("out_of_scope", "outside the scope of the legislation"),
                        ],
                        max_length=30,
                        verbose_name="reason",
                    ),
                ),
                (
                    "explanation",
                    models.TextField(blank=True, verbose_name="explanation of the reason"),
                ),
                (
                    "explanation_de",
                    models.TextField(
                        blank=True, null=True, verbose_name="explanation of the reason"
                    ),
                ),
                (
                    "explanation_en",
                    models.TextField(
                        blank=True, null=True, verbose_name="explanation of the reason"
                    ),
                ),
                (
                    "explanation_he",
                    models.TextField(
                        blank=True, null=True, verbose_name="explanation of the reason"
                    ),
                ),
                (
                    "alternative",
                    models.TextField(
                        blank=True,
                        help_text="e.g. “Every partner on the map is also in the list below it.”",
                        verbose_name="accessible alternative",
                    ),
                ),
                (
                    "alternative_de",
                    models.TextField(
                        blank=True,
                        help_text="e.g. “Every partner on the map is also in the list below it.”",
                        null=True,
                        verbose_name="accessible alternative",
                    ),
                ),
                (
                    "alternative_en",
                    models.TextField(
                        blank=True,
                        help_text="e.g. “Every partner on the map is also in the list below it.”",
                        null=True,
                        verbose_name="accessible alternative",
                    ),
                ),
                (
                    "alternative_he",
                    models.TextField(
                        blank=True,
                        help_text="e.g. “Every partner on the map is also in the list below it.”",
                        null=True,
                        verbose_name="accessible alternative",
                    ),
                ),
                ("order", models.PositiveSmallIntegerField(default=0, verbose_name="order")),
                (
                    "statement",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="parts",
                        to="partnerships.accessibilitystatement",
                        verbose_name="accessibility statement",
                    ),
                ),
            ],
            options={
                "verbose_name": "part not accessible",
                "verbose_name_plural": "parts not accessible",
                "ordering": ["order", "pk"],
            },
        ),
        migrations.RunPython(grant, revoke),
    ]
