"""The datasets' DCAT-AP.de metadata: parsed back with rdflib, as GovData's harvester reads it."""

import pytest
from django.urls import reverse
from rdflib import Graph, Literal, URIRef, namespace

from partnerships.models import ContentChange, Partner
from tests.bulk import add_partners

FILE_TYPE = "http://publications.europa.eu/resource/authority/file-type/"


@pytest.mark.parametrize(("name", "rdf_format"), [("rdf", "xml"), ("ttl", "turtle")])
def test_the_catalogue_describes_every_distribution_in_german_and_english(
    client, demo, name, rdf_format
):
    response = client.get(reverse(f"open-data-dcat-{name}"))
    assert response.status_code == 200
    graph = Graph().parse(data=response.content, format=rdf_format)

    catalog = graph.value(predicate=namespace.RDF.type, object=namespace.DCAT.Catalog, any=False)
    dataset = graph.value(catalog, namespace.DCAT.dataset)
    assert (dataset, namespace.RDF.type, namespace.DCAT.Dataset) in graph
    for subject in (catalog, dataset):
        titles = {
            title.language: str(title) for title in graph.objects(subject, namespace.DCTERMS.title)
        }
        assert set(titles) == {"de", "en"}
        descriptions = {d.language for d in graph.objects(subject, namespace.DCTERMS.description)}
        assert descriptions == {"de", "en"}
    assert "Städtepartnerschaften" in str(
        graph.value(dataset, namespace.DCTERMS.title)
    )  # any language
    publisher = graph.value(dataset, namespace.DCTERMS.publisher)
    names = {str(n) for n in graph.objects(publisher, namespace.FOAF.name)}
    assert "Amt für Wirtschaftsförderung – Internationale Beziehungen" in names
    licence = URIRef("http://dcat-ap.de/def/licenses/dl-by-de/2.0")
    assert graph.value(dataset, namespace.DCTERMS.license) == licence
    modified = graph.value(dataset, namespace.DCTERMS.modified).toPython()
    assert modified == ContentChange.last()

    distributions = list(graph.objects(dataset, namespace.DCAT.distribution))
    formats = {}
    for distribution in distributions:
        download = str(graph.value(distribution, namespace.DCAT.downloadURL))
        formats[
            str(graph.value(distribution, namespace.DCTERMS.format)).removeprefix(FILE_TYPE)
        ] = download
        assert graph.value(distribution, namespace.DCTERMS.license) == licence
        assert graph.value(distribution, namespace.DCTERMS.modified) is not None
        assert {t.language for t in graph.objects(distribution, namespace.DCTERMS.title)} == {
            "de",
            "en",
        }
    assert formats == {
        "CSV": "http://testserver/data/partnerships.csv",
        "JSON": "http://testserver/data/partnerships.json",
        "GEOJSON": "http://testserver/data/partners.geojson",
    }
    # Each download address answers with its file.
    for download in formats.values():
        assert client.get(download.removeprefix("http://testserver")).status_code == 200


def test_the_open_data_section_links_the_catalogue(client, demo):
    html = client.get("/en/").content.decode()
    assert f'href="{reverse("open-data-dcat-rdf")}" type="application/rdf+xml"' in html
    assert f'href="{reverse("open-data-dcat-ttl")}" type="text/turtle"' in html


@pytest.fixture(params=[15, 2000], ids=["15-partners", "2000-partners"])
def partners(request, demo):
    add_partners(request.param - Partner.objects.count())
    assert Partner.objects.count() == request.param


@pytest.mark.parametrize(
    ("name", "rdf_format", "content_type"),
    [("ttl", "turtle", "text/turtle"), ("rdf", "xml", "application/rdf+xml")],
)
def test_the_catalogue_costs_two_queries_however_many_partners(
    client, partners, django_assert_num_queries, settings, name, rdf_format, content_type
):
    # The view's own queries, not a page-cache hit's.
    settings.PUBLIC_PAGE_CACHE = False
    with django_assert_num_queries(2):  # the last change, the office
        response = client.get(reverse(f"open-data-dcat-{name}"))
    assert response["Content-Type"] == f"{content_type}; charset=utf-8"
    graph = Graph().parse(data=response.content, format=rdf_format)
    assert (None, namespace.DCAT.keyword, Literal("Städtepartnerschaft", lang="de")) in graph
