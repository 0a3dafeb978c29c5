"""The open data's addresses: the current files, streamed from disk, with their validators.

Every file holds every language, so each has one address for all (config/urls.py). Not in the
page cache (partnerships/caching.py): the file on disk is the cache, and a 42 MB entry in Redis
was what this replaced.
"""

import os

from django.http import FileResponse, HttpResponse
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date
from django.views.decorators.http import require_safe

from ..models import ContentChange
from ..transfer.export import licence
from . import dcat, files, tasks


@require_safe
def data_file(request, document):
    version = ContentChange.last()
    edition = files.current_edition()
    if edition is not None and edition.content_id != files.content_id(version):
        # Changed since they were written: the worker writes them again (this enqueues it, in
        # case the change's own write was lost); meanwhile readers get the previous files.
        tasks.try_schedule_write(version)
    edition, file = files.open_current(document)
    if file is None:
        # No files yet: a fresh install whose worker has not come to them, or an emptied
        # folder. Written here, once (requests at the same time wait for this write), so the
        # first reader does not get an error; at the size of a new site that is quick.
        files.write_current()
        edition, file = files.open_current(document)

    etag = f'"{edition.content_id}"'
    last_modified = int(os.fstat(file.fileno()).st_mtime)
    response = get_conditional_response(request, etag=etag, last_modified=last_modified)
    if response is None:
        response = FileResponse(
            file, content_type=document.content_type, filename=document.file_name
        )
    else:
        file.close()
    _name, url = licence()
    response["ETag"] = etag
    response["Last-Modified"] = http_date(last_modified)
    response["Link"] = f'<{url}>; rel="license"'
    response["Access-Control-Allow-Origin"] = "*"
    # Browsers and proxies may keep the file but must ask (and get a 304) before using it
    # again, so that a change shows on the very next download, as the pages do.
    patch_cache_control(response, no_cache=True, public=True)
    return response


@require_safe
def dcat_catalogue(request, serialisation):
    """The datasets' DCAT-AP.de metadata, as RDF/XML or Turtle (dcat.py), for data portals."""
    rdf_format, content_type = dcat.FORMATS[serialisation]
    body = dcat.catalogue(request).serialize(format=rdf_format, encoding="utf-8")
    response = HttpResponse(body, content_type=f"{content_type}; charset=utf-8")
    response["Access-Control-Allow-Origin"] = "*"
    patch_cache_control(response, no_cache=True, public=True)
    return response
