"""Translated, missing and outdated, per language, counted by the database.

A text counts where its German source is not empty. In a target language it is
- missing when its copy there is empty (the site shows the German text);
- outdated when the stamp of its copy there names another German text than the current one
  (SHA-256 computed by the database, `TextSHA256`);
- translated otherwise.

Each model costs one query, whatever its number of objects and languages.
"""

from dataclasses import dataclass, field

from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.db.models import BooleanField, Count, Exists, ExpressionWrapper, OuterRef, Q
from django.db.models.functions import SHA256
from django.urls import NoReverseMatch, reverse

from .fields import fields_of, target_languages, translated_models
from .models import TranslationStamp


class TextSHA256(SHA256):
    """SHA-256 (hex) of a text column, as stamps.fingerprint computes it.

    Django's SHA256 calls pgcrypto's digest() on PostgreSQL, an extension the site would need
    to install; PostgreSQL 11 and later have sha256() built in. (On SQLite Django registers the
    function itself.)"""

    def as_postgresql(self, compiler, connection, **extra_context):
        return super().as_sql(
            compiler,
            connection,
            template="ENCODE(SHA256(CONVERT_TO(%(expressions)s, 'UTF8')), 'hex')",
            **extra_context,
        )


MISSING = "missing"
OUTDATED = "outdated"
STATES = (MISSING, OUTDATED)


def has_text(column):
    return ~Q(**{column: ""}) & Q(**{f"{column}__isnull": False})


def missing_q(translated, language):
    return has_text(translated.source_column) & ~has_text(translated.column(language))


def outdated_q(translated, language):
    stale_stamp = (
        TranslationStamp.objects.filter(
            content_type=ContentType.objects.get_for_model(translated.model),
            object_id=OuterRef("pk"),
            field=translated.name,
            language=language,
            target_sha256=TextSHA256(OuterRef(translated.column(language))),
        )
        .exclude(source_sha256=TextSHA256(OuterRef(translated.source_column)))
        .values("pk")
    )
    return (
        has_text(translated.source_column)
        & has_text(translated.column(language))
        & Q(Exists(stale_stamp))
    )


def state_q(translated, language, state):
    return missing_q(translated, language) if state == MISSING else outdated_q(translated, language)


def needing_work_q(model, language, states=STATES):
    """Objects with at least one text in one of `states` in `language`."""
    condition = Q(pk__in=[])
    for translated in fields_of(model):
        for state in states:
            condition |= state_q(translated, language, state)
    return condition


@dataclass
class FieldCount:
    translated_field: object
    language: str
    total: int
    missing: int
    outdated: int

    @property
    def translated(self):
        return self.total - self.missing - self.outdated


@dataclass
class LanguageStatus:
    language: str
    counts: list = field(default_factory=list)  # FieldCount, per model and field

    def total(self, attribute):
        return sum(getattr(count, attribute) for count in self.counts)

    @property
    def texts(self):
        return self.total("total")

    @property
    def translated(self):
        return self.total("translated")

    @property
    def missing(self):
        return self.total("missing")

    @property
    def outdated(self):
        return self.total("outdated")


def language_statuses(languages=None):
    """[LanguageStatus] for each target language: one query per translated model."""
    languages = languages or target_languages()
    statuses = {language: LanguageStatus(language) for language in languages}
    for model, fields in translated_models().items():
        aggregates = {}
        for index, translated in enumerate(fields):
            aggregates[f"total_{index}"] = Count("pk", filter=has_text(translated.source_column))
            for language in languages:
                aggregates[f"missing_{index}_{language}"] = Count(
                    "pk", filter=missing_q(translated, language)
                )
                aggregates[f"outdated_{index}_{language}"] = Count(
                    "pk", filter=outdated_q(translated, language)
                )
        values = model._base_manager.aggregate(**aggregates)
        for index, translated in enumerate(fields):
            for language in languages:
                statuses[language].counts.append(
                    FieldCount(
                        translated,
                        language,
                        values[f"total_{index}"],
                        values[f"missing_{index}_{language}"],
                        values[f"outdated_{index}_{language}"],
                    )
                )
    return list(statuses.values())


# --- what is left to do, object by object ---

# How an object's name is made without a query per object (its __str__ follows these).
LABEL_RELATED = {
    "partnerships.relationship": ("partner", "kind"),
    "partnerships.milestone": ("relationship__partner", "relationship__kind"),
    "partnerships.contact": (),
}


@dataclass
class WorkItem:
    obj: object
    texts: list  # (TranslatedField, state)
    url: str


def annotated(queryset, model, language, states=STATES):
    """`queryset` with a boolean `_<state>_<field>` per translated field and state."""
    return queryset.annotate(
        **{
            f"_{state}_{translated.name}": ExpressionWrapper(
                state_q(translated, language, state), output_field=BooleanField()
            )
            for translated in fields_of(model)
            for state in states
        }
    )


def states_of(obj, language, states=STATES):
    """[(TranslatedField, state)] of an object annotated by `annotated`."""
    return [
        (translated, state)
        for translated in fields_of(type(obj))
        for state in states
        if getattr(obj, f"_{state}_{translated.name}", False)
    ]


def work_list(language, states=STATES, limit=50):
    """{model: (objects needing work, at most `limit`, as WorkItem; how many there are)}.
    Two queries per model."""
    work = {}
    for model in translated_models():
        queryset = model._base_manager.filter(needing_work_q(model, language, states))
        related = LABEL_RELATED.get(model._meta.label_lower)
        if related:
            queryset = queryset.select_related(*related)
        count = queryset.count()
        if not count:
            continue
        items = []
        for obj in annotated(queryset.order_by("pk"), model, language, states)[:limit]:
            texts = states_of(obj, language, states)
            # At the tab of the first text to do.
            items.append(WorkItem(obj, texts, change_url(obj, language, texts[0][0])))
        work[model] = (items, count)
    return work


def admin_owner(obj):
    """The object whose admin form edits `obj`: itself, or (for an inline such as a
    milestone) the first object it belongs to that has an admin."""
    seen = 0
    while obj is not None and seen < 5:
        if admin.site.is_registered(type(obj)):
            return obj
        parent = None
        for model_field in type(obj)._meta.concrete_fields:
            if model_field.many_to_one:
                parent = getattr(obj, model_field.name)
                break
        obj, seen = parent, seen + 1
    return None


def change_url(obj, language, translated=None):
    """The admin form of `obj`, at the language's tab of its (first) translated field."""
    owner = admin_owner(obj)
    if owner is None:
        return ""
    meta = owner._meta
    try:
        url = reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[owner.pk])
    except NoReverseMatch:
        return ""
    if owner is obj:
        translated = translated or fields_of(type(obj))[0]
        # modeltranslation's tabs are jQuery UI tabs, which open the one the address names.
        url += f"#tab_id_{translated.column(language)}"
    return url
