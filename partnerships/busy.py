"""SQLite's one writer at a time, said in words: a save that waited for a long import's write
lock and gave up gets a page that says why and what to do, not a server error.

PostgreSQL never gets here: its writers wait for row locks, not for the whole database.
"""

from django.db import OperationalError
from django.template.response import TemplateResponse


class DatabaseBusyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, OperationalError) and "database is locked" in str(exception):
            response = TemplateResponse(request, "database_busy.html", status=503)
            response["Retry-After"] = "30"
            return response.render()
        return None
