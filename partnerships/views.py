from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, render

from .models import ContentChange, Office, Page, Partner, Relationship, RelationshipKind


def overview(request):
    """The international-relations page: one section per kind, each listing its partners.

    Its number of queries is fixed, however many partners there are.
    """
    published = (
        Relationship.objects.filter(partner__is_published=True)
        .select_related("partner")
        .order_by("since", "pk")
    )
    kinds = RelationshipKind.objects.prefetch_related(
        Prefetch("relationships", queryset=published, to_attr="published_relationships")
    )
    sections = [kind for kind in kinds if kind.published_relationships]
    for kind in sections:
        kind.published_relationships.sort(key=lambda rel: str(rel.partner.name).casefold())
    return render(
        request,
        "partnerships/overview.html",
        {
            "page": Page.objects.filter(key=Page.Key.OVERVIEW).first(),
            "sections": sections,
            "office": Office.objects.prefetch_related("contacts").first(),
            "last_change": ContentChange.last(),
        },
    )


def partner_detail(request, slug):
    partner = get_object_or_404(Partner.objects.published().with_relationships(), slug=slug)
    return render(
        request,
        "partnerships/partner_detail.html",
        {"partner": partner, "last_change": ContentChange.last()},
    )


def legal_page(request, key):
    page = get_object_or_404(Page, key=key)
    return render(
        request,
        "partnerships/page.html",
        {"page": page, "last_change": ContentChange.last()},
    )
