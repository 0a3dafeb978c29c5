"""The open data's metadata in DCAT-AP.de, so that GovData and the city's open-data portal list
the datasets by themselves (they harvest the catalogue's address).

One catalogue with one dataset, the partnerships, in three distributions: the CSV, the JSON and
the GeoJSON files (`files.py`), each with its format (the EU file-type vocabulary), media type,
download address, licence and last change; titles and descriptions in German and English.

Built as an RDF graph with rdflib and serialised as RDF/XML (what GovData's harvester reads) or
Turtle: a template would have to get XML and Turtle escaping, language tags, datatypes and
namespaces right by hand, which is what rdflib is for.

The dataset's texts are written here in both languages, not through the translation catalogue:
the catalogue holds both at once, whatever the reader's language, and they are the publisher's
description of its data rather than the site's interface.
"""

from django.conf import settings
from django.urls import reverse
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, XSD

from ..models import ContentChange, Office
from . import files

DCATDE = Namespace("http://dcat-ap.de/def/dcatde/")
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
FILE_TYPE = Namespace("http://publications.europa.eu/resource/authority/file-type/")
LANGUAGE = Namespace("http://publications.europa.eu/resource/authority/language/")
DATA_THEME = Namespace("http://publications.europa.eu/resource/authority/data-theme/")
MEDIA_TYPE = Namespace("https://www.iana.org/assignments/media-types/")

FORMATS = {"rdf": ("xml", "application/rdf+xml"), "ttl": ("turtle", "text/turtle")}

DATASET_TEXTS = {
    "de": {
        "catalog": "Offene Daten: Internationale Beziehungen {city}",
        "title": "Städtepartnerschaften und internationale Beziehungen {city}",
        "description": (
            "Alle veröffentlichten Partnerstädte und -regionen der Stadt {city}: Art der "
            "Beziehung, Status, Beginn und Ende, Land und Lage, mit den Namen in jeder Sprache "
            "der Website."
        ),
        "keywords": ["Städtepartnerschaft", "Partnerstadt", "internationale Beziehungen"],
    },
    "en": {
        "catalog": "Open data: {city}'s international relations",
        "title": "{city}'s twin cities and international relations",
        "description": (
            "Every published partner city and region of {city}: kind of relationship, status, "
            "start and end, country and position, with the names in every language of the site."
        ),
        "keywords": ["twin city", "partner city", "international relations"],
    },
}

DISTRIBUTIONS = [
    # (document, route, file type, {language: title})
    (
        files.CSV,
        "open-data-csv",
        "CSV",
        {"de": "Partnerschaften (CSV)", "en": "Partnerships (CSV)"},
    ),
    (
        files.JSON,
        "open-data-json",
        "JSON",
        {"de": "Partnerschaften (JSON)", "en": "Partnerships (JSON)"},
    ),
    (
        files.GEOJSON,
        "open-data-geojson",
        "GEOJSON",
        {"de": "Lage der Partner (GeoJSON)", "en": "Partners' positions (GeoJSON)"},
    ),
]


def texts(language, key):
    value = DATASET_TEXTS[language][key]
    city = settings.CITY_NAME
    if isinstance(value, list):
        return value
    return value.format(city=city)


def catalogue(request):
    """The catalogue as an rdflib Graph, with absolute addresses on the host of `request`.

    Two queries: the content's last change (every dataset's `modified`) and the office (the
    publisher and contact point).
    """
    graph = Graph()
    for prefix, namespace in [
        ("dcat", DCAT),
        ("dct", DCTERMS),
        ("dcatde", DCATDE),
        ("foaf", FOAF),
        ("vcard", VCARD),
    ]:
        graph.bind(prefix, namespace)

    def absolute(name):
        return URIRef(request.build_absolute_uri(reverse(name)))

    modified = ContentChange.last()
    office = Office.objects.first()
    catalog = URIRef(request.build_absolute_uri(reverse("open-data-dcat-rdf")) + "#catalog")
    dataset = URIRef(request.build_absolute_uri(reverse("open-data-json")) + "#dataset")
    licence = URIRef(settings.OPEN_DATA_LICENCE_DCAT)

    publisher = BNode("publisher")
    graph.add((publisher, RDF.type, FOAF.Organization))
    graph.add(
        (publisher, FOAF.name, Literal(office.name_de if office else settings.CITY_NAME, lang="de"))
    )
    if office and office.name_en:
        graph.add((publisher, FOAF.name, Literal(office.name_en, lang="en")))

    graph.add((catalog, RDF.type, DCAT.Catalog))
    graph.add((catalog, DCAT.dataset, dataset))
    graph.add((catalog, DCTERMS.publisher, publisher))
    graph.add((catalog, FOAF.homepage, absolute("partnerships:overview")))
    graph.add((dataset, RDF.type, DCAT.Dataset))
    graph.add((dataset, DCTERMS.identifier, Literal(str(dataset))))
    graph.add((dataset, DCTERMS.publisher, publisher))
    graph.add((dataset, DCAT.theme, DATA_THEME.GOVE))
    graph.add((dataset, DCAT.landingPage, absolute("partnerships:overview")))
    graph.add((dataset, DCTERMS.license, licence))
    for code in ("DEU", "ENG", "HEB"):
        graph.add((dataset, DCTERMS.language, LANGUAGE[code]))
    if settings.OPEN_DATA_CONTRIBUTOR_ID:
        graph.add((dataset, DCATDE.contributorID, URIRef(settings.OPEN_DATA_CONTRIBUTOR_ID)))
    if modified:
        graph.add((catalog, DCTERMS.modified, Literal(modified, datatype=XSD.dateTime)))
        graph.add((dataset, DCTERMS.modified, Literal(modified, datatype=XSD.dateTime)))
    for language in DATASET_TEXTS:
        graph.add((catalog, DCTERMS.title, Literal(texts(language, "catalog"), lang=language)))
        graph.add(
            (catalog, DCTERMS.description, Literal(texts(language, "description"), lang=language))
        )
        graph.add((dataset, DCTERMS.title, Literal(texts(language, "title"), lang=language)))
        graph.add(
            (dataset, DCTERMS.description, Literal(texts(language, "description"), lang=language))
        )
        for keyword in texts(language, "keywords"):
            graph.add((dataset, DCAT.keyword, Literal(keyword, lang=language)))

    if office:
        contact = BNode("contact")
        graph.add((dataset, DCAT.contactPoint, contact))
        graph.add((contact, RDF.type, VCARD.Organization))
        graph.add((contact, VCARD.fn, Literal(office.name_de, lang="de")))
        if office.email:
            graph.add((contact, VCARD.hasEmail, URIRef(f"mailto:{office.email}")))
        if office.phone:
            phone = "".join(c for c in office.phone.replace("(0)", "") if c.isdigit() or c == "+")
            graph.add((contact, VCARD.hasTelephone, URIRef(f"tel:{phone}")))

    for document, route, file_type, titles in DISTRIBUTIONS:
        address = absolute(route)
        distribution = URIRef(f"{address}#distribution")
        graph.add((dataset, DCAT.distribution, distribution))
        graph.add((distribution, RDF.type, DCAT.Distribution))
        graph.add((distribution, DCAT.accessURL, address))
        graph.add((distribution, DCAT.downloadURL, address))
        graph.add((distribution, DCTERMS.format, FILE_TYPE[file_type]))
        media_type = document.content_type.split(";")[0]
        graph.add((distribution, DCAT.mediaType, MEDIA_TYPE[media_type]))
        graph.add((distribution, DCTERMS.license, licence))
        for language, title in titles.items():
            graph.add((distribution, DCTERMS.title, Literal(title, lang=language)))
        if modified:
            graph.add((distribution, DCTERMS.modified, Literal(modified, datatype=XSD.dateTime)))
    return graph
