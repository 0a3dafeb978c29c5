import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models, transaction
from django.db.models import Prefetch, Q
from django.db.models.functions import Substr
from django.dispatch import Signal
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from . import shared_cache
from . import video as video_checks
from .fields import PartialDateField, WebsiteField, format_partial_date, partial_date_year
from .images import ImageField, require_image_texts

wikidata_id_validator = RegexValidator(
    r"^Q[1-9][0-9]*$", _("A Wikidata id is a Q followed by digits, for example Q1718.")
)


class PartnerQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)

    def with_relationships(self):
        return self.prefetch_related(
            Prefetch(
                "relationships",
                queryset=Relationship.objects.select_related("kind", "contact").prefetch_related(
                    "milestones"
                ),
            )
        )


class Partner(models.Model):
    """A place the city has ties with: a city, a region, a prefecture, a municipality."""

    class Kind(models.TextChoices):
        CITY = "city", _("city")
        MUNICIPALITY = "municipality", _("municipality")
        REGION = "region", _("region")
        PREFECTURE = "prefecture", _("prefecture")
        STATE = "state", _("state")
        COUNTY = "county", _("county")

    name = models.CharField(_("name"), max_length=200)
    other_names = models.TextField(
        _("other names"),
        blank=True,
        help_text=_(
            "Further names the directory's search finds the partner by, one per line: its names "
            "in other languages, a former name (e.g. Warszawa, Varsovie, Karl-Marx-Stadt)."
        ),
    )
    slug = models.SlugField(
        _("slug"),
        max_length=100,
        unique=True,
        allow_unicode=False,
        help_text=_("The partner's address on the website, e.g. “warsaw”. Keep it stable."),
    )
    kind = models.CharField(_("kind of place"), max_length=20, choices=Kind, default=Kind.CITY)
    country = CountryField(_("country"))
    region = models.CharField(
        _("region or state"), max_length=200, blank=True, help_text=_("e.g. Mazovia, Liaoning")
    )
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=8,
        decimal_places=5,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=8,
        decimal_places=5,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    website = WebsiteField(_("website"), blank=True)
    population = models.PositiveBigIntegerField(_("population"), null=True, blank=True)
    wikidata_id = models.CharField(
        _("Wikidata id"),
        max_length=20,
        blank=True,
        validators=[wikidata_id_validator],
        help_text=_("e.g. Q270 for Warsaw; links the partner to open data."),
    )
    description = models.TextField(_("description"), blank=True)

    image = ImageField(
        _("image"),
        upload_to="partners/",
        blank=True,
        width_field="image_width",
        height_field="image_height",
        renditions_field="image_renditions_ready",
    )
    image_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    image_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    # Set by the background task once the renditions exist; until then pages show the image.
    image_renditions_ready = models.BooleanField(default=False, editable=False)
    image_alt = models.CharField(
        _("image description (alt text)"),
        max_length=300,
        blank=True,
        help_text=_("What the image shows, for readers who cannot see it."),
    )
    image_credit = models.CharField(
        _("image credit"), max_length=200, blank=True, help_text=_("e.g. “Photo: Jan Kowalski”")
    )
    image_licence = models.CharField(
        _("image licence"), max_length=200, blank=True, help_text=_("e.g. CC BY-SA 4.0")
    )
    coat_of_arms = ImageField(
        _("coat of arms"),
        upload_to="coats-of-arms/",
        blank=True,
        width_field="coat_of_arms_width",
        height_field="coat_of_arms_height",
        renditions_field="coat_of_arms_renditions_ready",
    )
    coat_of_arms_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    coat_of_arms_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    # Set by the background task once the renditions exist; until then pages show the image.
    coat_of_arms_renditions_ready = models.BooleanField(default=False, editable=False)
    coat_of_arms_alt = models.CharField(
        _("coat of arms description (alt text)"),
        max_length=300,
        blank=True,
        help_text=_("e.g. “Coat of arms of Warsaw: a mermaid with sword and shield”"),
    )
    coat_of_arms_credit = models.CharField(
        _("coat of arms credit"),
        max_length=200,
        blank=True,
        help_text=_("e.g. “Drawing: City of Warsaw”"),
    )
    coat_of_arms_licence = models.CharField(
        _("coat of arms licence"), max_length=200, blank=True, help_text=_("e.g. public domain")
    )

    is_published = models.BooleanField(_("published"), default=True)
    created = models.DateTimeField(_("created"), auto_now_add=True)
    updated = models.DateTimeField(_("last change"), auto_now=True)

    objects = PartnerQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("partner")
        verbose_name_plural = _("partners")
        # Who may load a file of many partners at once (IMPORT_EXPORT_IMPORT_PERMISSION_CODE).
        permissions = [("import_partner", _("Can import partners from a file"))]
        # For the public pages at tens of thousands of partners: the overview's count of
        # unpublished partnerships and its count of published partners per country, each read
        # from an index alone. (The names' sort indexes, one per language in its collation, are
        # PostgreSQL's alone and made with the search's: partnerships/search.py.)
        indexes = [
            models.Index(
                fields=["id"], condition=Q(is_published=False), name="partner_unpublished"
            ),
            models.Index(
                fields=["country", "latitude", "longitude"],
                condition=Q(is_published=True),
                name="partner_published_position",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["wikidata_id"],
                condition=~Q(wikidata_id=""),
                name="partner_wikidata_id_unique",
                violation_error_message=_("Another partner already has this Wikidata id."),
            ),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True) | Q(latitude__gte=-90, latitude__lte=90),
                name="partner_latitude_range",
                violation_error_message=_("Latitude must be between -90 and 90."),
            ),
            models.CheckConstraint(
                condition=Q(longitude__isnull=True) | Q(longitude__gte=-180, longitude__lte=180),
                name="partner_longitude_range",
                violation_error_message=_("Longitude must be between -180 and 180."),
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("partnerships:partner-detail", args=[self.slug])

    def clean(self):
        super().clean()
        errors = {}
        for image, alt, credit in [
            ("image", "image_alt", "image_credit"),
            ("coat_of_arms", "coat_of_arms_alt", "coat_of_arms_credit"),
        ]:
            try:
                require_image_texts(self, image, alt, credit)
            except ValidationError as error:
                errors.update(error.error_dict)
        if errors:
            raise ValidationError(errors)

    @property
    def has_position(self):
        return self.latitude is not None and self.longitude is not None


class RelationshipKind(models.Model):
    """A kind of tie (twin city, business partnership...). Data, so that the office can add one."""

    code = models.SlugField(
        _("code"),
        max_length=50,
        unique=True,
        help_text=_("A stable name for files and addresses, e.g. twin_city."),
    )
    name = models.CharField(_("name"), max_length=100)
    section_title = models.CharField(
        _("section heading"),
        max_length=200,
        blank=True,
        help_text=_("Heading of this kind's section on the overview; the name when empty."),
    )
    section_text = models.TextField(_("section text"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("relationship kind")
        verbose_name_plural = _("relationship kinds")

    def __str__(self):
        return self.name


class Relationship(models.Model):
    """The city's tie with one partner, of one kind."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("active")
        SUSPENDED = "suspended", _("suspended")
        ENDED = "ended", _("ended")

    partner = models.ForeignKey(
        Partner, on_delete=models.CASCADE, related_name="relationships", verbose_name=_("partner")
    )
    kind = models.ForeignKey(
        RelationshipKind,
        on_delete=models.PROTECT,
        related_name="relationships",
        verbose_name=_("kind of relationship"),
    )
    status = models.CharField(_("status"), max_length=20, choices=Status, default=Status.ACTIVE)
    since = PartialDateField(_("since"))
    until = PartialDateField(_("until"))
    summary = models.TextField(_("summary"), blank=True)
    contact = models.ForeignKey(
        "Contact",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="relationships",
        verbose_name=_("contact person"),
    )
    created = models.DateTimeField(_("created"), auto_now_add=True)
    updated = models.DateTimeField(_("last change"), auto_now=True)

    class Meta:
        ordering = ["kind__order", "partner__name"]
        verbose_name = _("relationship")
        verbose_name_plural = _("relationships")
        # The directory sorted by year reads its first page from here, not from every row.
        indexes = [models.Index(fields=["since"], name="relationship_since")]
        permissions = [("import_relationship", _("Can import relationships from a file"))]
        constraints = [
            models.UniqueConstraint(
                fields=["partner", "kind"],
                name="relationship_one_per_partner_and_kind",
                violation_error_message=_("This partner already has a relationship of this kind."),
            ),
            models.CheckConstraint(
                condition=Q(status__in=["active", "suspended", "ended"]),
                name="relationship_status_valid",
            ),
            models.CheckConstraint(
                # A year-only "since" compares by its year: since 2004-07-22, until 2004 is fine.
                condition=Q(since="") | Q(until="") | Q(until__gte=Substr("since", 1, 4)),
                name="relationship_until_not_before_since",
                violation_error_message=_("“Until” cannot be before “since”."),
            ),
        ]

    def __str__(self):
        return f"{self.partner} – {self.kind}"

    @property
    def since_year(self):
        return partial_date_year(self.since)

    @property
    def since_display(self):
        return format_partial_date(self.since)

    @property
    def status_milestone(self):
        """The latest milestone that set the current status (a suspension, an end), or None.

        Read from the prefetched milestones where there are some (the partner page's)."""
        found = [m for m in self.milestones.all() if m.sets_status == self.status]
        return found[-1] if found else None

    @property
    def until_display(self):
        return format_partial_date(self.until)


class Milestone(models.Model):
    """A dated step in a relationship: first contact, agreement signed, suspended..."""

    relationship = models.ForeignKey(
        Relationship,
        on_delete=models.CASCADE,
        related_name="milestones",
        verbose_name=_("relationship"),
    )
    date = PartialDateField(_("date"), blank=False)
    note = models.CharField(_("note"), max_length=500)
    # The partner page's status banner reads the date and the reason of a suspension or an end
    # from the milestone that made it.
    sets_status = models.CharField(
        _("changes the status to"),
        max_length=20,
        choices=Relationship.Status,
        blank=True,
        help_text=_("When this step suspended, ended or resumed the relationship."),
    )

    class Meta:
        ordering = ["date", "pk"]
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")

    def __str__(self):
        return f"{self.date_display}: {self.note}"

    @property
    def date_display(self):
        return format_partial_date(self.date)


class Office(models.Model):
    """The office that keeps the relations, as the contact block shows it."""

    name = models.CharField(_("name"), max_length=200)
    street = models.CharField(_("street"), max_length=200)
    postal_code = models.CharField(_("postal code"), max_length=20)
    city = models.CharField(_("city"), max_length=100)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    # Required: the contact block on the start page is where readers look for it first, and the
    # imprint's e-mail (§ 5 DDG) alone would be one page away.
    email = models.EmailField(_("e-mail"))
    updated = models.DateTimeField(_("last change"), auto_now=True)

    class Meta:
        verbose_name = _("office")
        verbose_name_plural = _("office")

    def __str__(self):
        return self.name


class Contact(models.Model):
    """A person in the office whom the public can call."""

    office = models.ForeignKey(
        Office, on_delete=models.CASCADE, related_name="contacts", verbose_name=_("office")
    )
    name = models.CharField(_("name"), max_length=200)
    role = models.CharField(_("role"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    photo = ImageField(
        _("photo"),
        upload_to="contacts/",
        blank=True,
        width_field="photo_width",
        height_field="photo_height",
        renditions_field="photo_renditions_ready",
    )
    photo_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    photo_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    # Set by the background task once the renditions exist; until then pages show the image.
    photo_renditions_ready = models.BooleanField(default=False, editable=False)
    photo_alt = models.CharField(_("photo description (alt text)"), max_length=300, blank=True)
    photo_credit = models.CharField(_("photo credit"), max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    updated = models.DateTimeField(_("last change"), auto_now=True)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("contact person")
        verbose_name_plural = _("contact people")

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        require_image_texts(self, "photo", "photo_alt", "photo_credit")


class Page(models.Model):
    """The editable texts of a public page: the overview and the legal pages."""

    class Key(models.TextChoices):
        OVERVIEW = "overview", _("International relations (overview)")
        ACCESSIBILITY = "accessibility", _("Accessibility statement")
        IMPRINT = "imprint", _("Imprint")
        PRIVACY = "privacy", _("Privacy statement")
        EASY_LANGUAGE = "easy-language", _("Easy Language")
        SIGN_LANGUAGE = "sign-language", _("Sign language (DGS)")

    # The pages every public page links to, in the footer's order: the footer
    # (templates/base.html) is made from this list, and these pages cannot be deleted, or every
    # page would link to a missing one. A later legal page is protected by adding its key here.
    LINKED_FROM_EVERY_PAGE = [
        Key.IMPRINT,
        Key.PRIVACY,
        Key.ACCESSIBILITY,
        Key.EASY_LANGUAGE,
        Key.SIGN_LANGUAGE,
    ]
    # Every page but the overview (which is the start page): the sitemap lists those that exist.
    LEGAL_PAGES = [
        Key.ACCESSIBILITY,
        Key.IMPRINT,
        Key.PRIVACY,
        Key.EASY_LANGUAGE,
        Key.SIGN_LANGUAGE,
    ]

    key = models.CharField(_("page"), max_length=30, choices=Key, unique=True)
    title = models.CharField(_("title"), max_length=200)
    subtitle = models.CharField(_("subtitle"), max_length=300, blank=True)
    meta_description = models.CharField(
        _("description for search engines"), max_length=300, blank=True
    )
    introduction = models.TextField(_("introduction"), blank=True)
    quote = models.TextField(_("quote"), blank=True)
    quote_author = models.CharField(_("quote by"), max_length=200, blank=True)
    body = models.TextField(_("text"), blank=True)
    updated = models.DateTimeField(_("last change"), auto_now=True)

    class Meta:
        ordering = ["key"]
        verbose_name = _("page text")
        verbose_name_plural = _("page texts")

    def __str__(self):
        return self.get_key_display()

    def get_absolute_url(self):
        return reverse(f"partnerships:{self.key}")

    @property
    def is_linked_from_every_page(self):
        return self.key in self.LINKED_FROM_EVERY_PAGE


class AccessibilityStatement(models.Model):
    """The accessibility statement's facts, after the EU's model statement (Implementing Decision
    (EU) 2018/1523): one row, from which the statement's page is built, so that none of its
    required parts can be left out. The page's own texts (title, introduction) are the
    accessibility Page's; the parts not yet accessible are `InaccessiblePart`s."""

    class Status(models.TextChoices):
        FULL = "full", _("fully compliant")
        PARTIAL = "partial", _("partially compliant")
        NONE = "none", _("not compliant")

    class Method(models.TextChoices):
        SELF_ASSESSMENT = "self", _("self-assessment")
        THIRD_PARTY = "third_party", _("assessment by a third party")

    status = models.CharField(
        _("compliance status"),
        max_length=20,
        choices=Status,
        help_text=_("How far the website meets BITV 2.0 / EN 301 549."),
    )
    prepared_on = models.DateField(_("statement made on"))
    reviewed_on = models.DateField(
        _("last reviewed on"), help_text=_("Review the statement at least once a year.")
    )
    method = models.CharField(_("method"), max_length=20, choices=Method)
    method_details = models.TextField(
        _("how it was assessed"),
        blank=True,
        help_text=_("e.g. “Automated tests (axe, Nu HTML Checker) and a manual review.”"),
    )
    feedback_email = models.EmailField(
        _("feedback e-mail"), help_text=_("Where readers report barriers.")
    )
    feedback_phone = models.CharField(_("feedback phone"), max_length=50, blank=True)
    arbitration_body = models.CharField(
        _("arbitration body"),
        max_length=300,
        help_text=_(
            "The Schlichtungsstelle nach § 16 BGG, or the state's equivalent, e.g. "
            "“Ombudsstelle für barrierefreie Informationstechnik des Landes NRW”."
        ),
    )
    arbitration_address = models.TextField(_("arbitration body's address"))
    arbitration_email = models.EmailField(_("arbitration body's e-mail"), blank=True)
    arbitration_phone = models.CharField(_("arbitration body's phone"), max_length=50, blank=True)
    arbitration_website = WebsiteField(_("arbitration body's website"), blank=True)
    updated = models.DateTimeField(_("last change"), auto_now=True)

    class Meta:
        verbose_name = _("accessibility statement")
        verbose_name_plural = _("accessibility statement")
        constraints = [
            models.CheckConstraint(
                condition=Q(reviewed_on__gte=models.F("prepared_on")),
                name="accessibility_reviewed_not_before_prepared",
                violation_error_message=_("The review cannot be before the statement was made."),
            ),
        ]

    def __str__(self):
        return str(_("Accessibility statement"))

    def clean(self):
        super().clean()
        if self.prepared_on and self.reviewed_on and self.reviewed_on < self.prepared_on:
            raise ValidationError(
                {"reviewed_on": _("The review cannot be before the statement was made.")}
            )

    @property
    def lists_barriers(self):
        return self.status != self.Status.FULL


class InaccessiblePart(models.Model):
    """A part of the website that is not (yet) accessible: why, and how to get it otherwise."""

    class Reason(models.TextChoices):
        NON_COMPLIANCE = "non_compliance", _("not compliant with the requirements")
        DISPROPORTIONATE_BURDEN = "disproportionate_burden", _("disproportionate burden")
        OUT_OF_SCOPE = "out_of_scope", _("outside the scope of the legislation")

    statement = models.ForeignKey(
        AccessibilityStatement,
        on_delete=models.CASCADE,
        related_name="parts",
        verbose_name=_("accessibility statement"),
    )
    description = models.TextField(
        _("what is not accessible"), help_text=_("e.g. “The map cannot be used by keyboard.”")
    )
    reason = models.CharField(_("reason"), max_length=30, choices=Reason)
    explanation = models.TextField(_("explanation of the reason"), blank=True)
    alternative = models.TextField(
        _("accessible alternative"),
        blank=True,
        help_text=_("e.g. “Every partner on the map is also in the list below it.”"),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("part not accessible")
        verbose_name_plural = _("parts not accessible")

    def __str__(self):
        return Truncator(self.description).chars(80)


class Imprint(models.Model):
    """What § 5 DDG and § 18 MStV require a public body's imprint to say: one row, from which the
    imprint's page is built. The page's own texts (title, further text) are the imprint Page's."""

    publisher = models.CharField(
        _("name of the public body"),
        max_length=200,
        help_text=_("e.g. Landeshauptstadt Düsseldorf"),
    )
    legal_form = models.CharField(
        _("legal form"),
        max_length=200,
        help_text=_("e.g. “Körperschaft des öffentlichen Rechts”"),
    )
    representative = models.CharField(
        _("represented by"),
        max_length=200,
        help_text=_("Who represents the body, e.g. “Oberbürgermeister Dr. Stephan Keller”."),
    )
    department = models.CharField(
        _("department"),
        max_length=200,
        blank=True,
        help_text=_("The office that runs this website."),
    )
    street = models.CharField(_("street"), max_length=200)
    postal_code = models.CharField(_("postal code"), max_length=20)
    city = models.CharField(_("city"), max_length=100)
    email = models.EmailField(_("e-mail"))
    phone = models.CharField(_("phone"), max_length=50)
    supervisory_authority = models.CharField(
        _("supervisory authority"),
        max_length=300,
        help_text=_("The authority that supervises the body, e.g. “Bezirksregierung Düsseldorf”."),
    )
    supervisory_address = models.TextField(_("supervisory authority's address"))
    responsible_for_content = models.TextField(
        _("responsible for the content (§ 18 (2) MStV)"),
        help_text=_("Name and address of the person responsible for the journalistic content."),
    )
    vat_id = models.CharField(_("VAT identification number"), max_length=30, blank=True)
    updated = models.DateTimeField(_("last change"), auto_now=True)

    class Meta:
        verbose_name = _("imprint details")
        verbose_name_plural = _("imprint details")

    def __str__(self):
        return self.publisher


class SignLanguageVideo(models.Model):
    """The video in German Sign Language (DGS) on the sign-language page: one row.

    Its upload is checked with ffprobe against BITV 2.0, Annex 2 (partnerships/video.py) in
    `clean()`, which the admin's form and `full_clean()` call; what ffprobe found (size, length,
    picture) is stored with it for the page's download link.
    """

    video = models.FileField(
        _("video"),
        upload_to="sign-language/",
        # The admin's form names the size and length limits too (settings, not the schema).
        help_text=_(
            "MP4 (H.264) or WebM, at least 320 × 240 pixels and 25 frames per second "
            "(BITV 2.0, Annex 2)."
        ),
    )
    captions = models.FileField(
        _("captions (WebVTT)"),
        upload_to="sign-language/",
        blank=True,
        help_text=_("Optional: a WebVTT file (.vtt) with the German captions."),
    )
    poster = ImageField(
        _("poster image"),
        upload_to="sign-language/",
        blank=True,
        width_field="poster_width",
        height_field="poster_height",
        renditions_field="poster_renditions_ready",
    )
    poster_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    poster_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    poster_renditions_ready = models.BooleanField(default=False, editable=False)
    # What ffprobe found when the video was uploaded.
    mime_type = models.CharField(max_length=30, blank=True, editable=False)
    width = models.PositiveIntegerField(null=True, editable=False)
    height = models.PositiveIntegerField(null=True, editable=False)
    frame_rate = models.FloatField(null=True, editable=False)
    duration = models.FloatField(_("length in seconds"), null=True, editable=False)
    size = models.PositiveBigIntegerField(_("file size in bytes"), null=True, editable=False)
    updated = models.DateTimeField(_("last change"), auto_now=True)

    class Meta:
        verbose_name = _("sign-language video")
        verbose_name_plural = _("sign-language video")

    def __str__(self):
        return str(_("Video in German Sign Language"))

    def save(self, *args, **kwargs):
        # A video assigned in a script without full_clean() is checked all the same.
        if (self.video and not self.video._committed) or (
            self.captions and not self.captions._committed
        ):
            self.clean()
        super().save(*args, **kwargs)

    def clean(self):
        super().clean()
        errors = {}
        if self.video and not self.video._committed:
            try:
                facts = video_checks.check_video(self.video.file, self.video.name)
            except ValidationError as error:
                errors["video"] = error.error_list
            else:
                self.mime_type = facts.mime_type
                self.width, self.height = facts.width, facts.height
                self.frame_rate, self.duration, self.size = (
                    facts.frame_rate,
                    facts.duration,
                    facts.size,
                )
        if self.captions and not self.captions._committed:
            try:
                video_checks.check_captions(self.captions.file)
            except ValidationError as error:
                errors["captions"] = error.error_list
        if errors:
            raise ValidationError(errors)

    @property
    def duration_display(self):
        return video_checks.format_duration(self.duration)


# Sent once a change to the content is committed, with its version (`changed_at`): what follows
# every change is connected to it in signals.py.
content_published = Signal()


def outermost_transaction(connection):
    """The atomic block whose commit makes a change visible: the outermost one, leaving out a test
    case's (which never commits, and stands for the database the test starts from)."""
    return next(block for block in connection.atomic_blocks if not block._from_testcase)


class ContentChange(models.Model):
    """When the public content last changed: one row, touched on every save, delete and import.

    A maximum over `updated` columns would miss deletions; this row does not, and it costs the
    public pages (and their caches and ETags) one query. With a shared cache (Redis) every change
    also publishes the new version there, and the cached pages read it from there instead
    (partnerships/shared_cache.py).

    The row also keeps the version before the last change: a cached page rendered at that one
    lacks only the last change, so the cache knows how long it has been out of date and may
    serve it while it is rendered again (partnerships/caching.py).
    """

    changed_at = models.DateTimeField(default=timezone.now)
    previous_changed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("content change")

    def __str__(self):
        return self.changed_at.isoformat()

    @classmethod
    def touch(cls):
        connection = transaction.get_connection()
        with transaction.atomic():
            # Under the row's lock, so that versions only ever grow, in the order of the commits:
            # a change that waited for another one's commit gets a later version than it.
            # (get_or_create also copes with two first changes racing to create the row.)
            changed_at = timezone.now()
            row, created = cls.objects.select_for_update().get_or_create(
                pk=1, defaults={"changed_at": changed_at}
            )
            previous = None
            committing = outermost_transaction(connection)
            if not created:
                changed_at = max(changed_at, row.changed_at + datetime.timedelta(microseconds=1))
                # Several changes in one transaction (a form and its inlines, an import) reach
                # readers as one: the version before them is the last one committed.
                if getattr(connection, "uncommitted_content_change", None) == (
                    committing,
                    row.changed_at,
                ):
                    previous = row.previous_changed_at
                else:
                    previous = row.changed_at
                cls.objects.filter(pk=1).update(changed_at=changed_at, previous_changed_at=previous)
            connection.uncommitted_content_change = (committing, changed_at)

        def committed():
            connection.uncommitted_content_change = None
            # Published only once the change is committed: a reader who saw the new version
            # earlier would render the old content and cache it as the new.
            cls.publish(changed_at, previous)

        transaction.on_commit(committed)

    @staticmethod
    def publish(changed_at, previous=None):
        """Tell every app server, through the shared cache (Redis), that the content changed,
        and whatever follows a committed change (`content_published`)."""
        if settings.PUBLIC_PAGE_CACHE_SHARED:
            shared_cache.publish(changed_at, previous)
        content_published.send(sender=ContentChange, changed_at=changed_at)

    @classmethod
    def last(cls):
        return cls.objects.filter(pk=1).values_list("changed_at", flat=True).first()


class OfficePageQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)


class OfficePage(models.Model):
    """A page of the office's own ("Förderung von Austauschen", "Schüleraustausch"...).

    One slug for every language, as partners have: the address is the same path under each
    language prefix, so the language switcher, the hreflang links and the 404 page's links
    find the page in the other language without a lookup, and an address stays stable when a
    translation's title changes. (Hebrew slugs would be percent-encoded in every link.)
    """

    class Placement(models.TextChoices):
        NAVIGATION = "navigation", _("in the main navigation of every page")
        OVERVIEW = "overview", _("linked from the overview")

    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(
        _("slug"),
        max_length=100,
        unique=True,
        help_text=_(
            "The page's address in every language, e.g. “exchange-funding”. Keep it stable."
        ),
    )
    meta_description = models.CharField(
        _("description for search engines"), max_length=300, blank=True
    )
    body = models.TextField(_("text"), blank=True)
    image = ImageField(
        _("image"),
        upload_to="pages/",
        blank=True,
        width_field="image_width",
        height_field="image_height",
        renditions_field="image_renditions_ready",
    )
    image_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    image_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    # Set by the background task once the renditions exist; until then pages show the image.
    image_renditions_ready = models.BooleanField(default=False, editable=False)
    image_alt = models.CharField(_("image description (alt text)"), max_length=300, blank=True)
    image_credit = models.CharField(_("image credit"), max_length=200, blank=True)
    placement = models.CharField(
        _("shown"), max_length=20, choices=Placement, default=Placement.OVERVIEW
    )
    is_published = models.BooleanField(_("published"), default=False)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    updated = models.DateTimeField(_("last change"), auto_now=True)

    objects = OfficePageQuerySet.as_manager()

    class Meta:
        ordering = ["order", "slug"]
        verbose_name = _("office page")
        verbose_name_plural = _("office pages")
        constraints = [
            models.CheckConstraint(
                condition=Q(placement__in=["navigation", "overview"]),
                name="office_page_placement_valid",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("partnerships:office-page", args=[self.slug])

    def clean(self):
        super().clean()
        require_image_texts(self, "image", "image_alt", "image_credit")


class PublishedFigures(models.Model):
    """The figures of the published content at one content version (partnerships/figures.py)."""

    version = models.DateTimeField(unique=True)
    # {kind pk (as text: JSON's keys are strings): its published partnerships}
    partnerships_per_kind = models.JSONField()
    # [[country code, published partners, mean latitude, mean longitude], ...]
    countries = models.JSONField()
    # {year (as text): [relationship pk, ...]}: the order of three years' jubilees.
    jubilees = models.JSONField(default=dict)

    class Meta:
        verbose_name = _("figures of the published content")

    def __str__(self):
        return self.version.isoformat()

    def figures(self):
        from .figures import CountryFigures, Figures

        return Figures(
            partnerships_per_kind={int(kind): n for kind, n in self.partnerships_per_kind.items()},
            countries=[CountryFigures(*country) for country in self.countries],
            jubilees={int(year): pks for year, pks in self.jubilees.items()},
        )
