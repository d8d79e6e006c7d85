"""What the web frameworks' calls mean for the status a handler sends: the response constructors
and their default codes, where their status argument goes, and the library exceptions and calls
with a fixed code that the knowledge base (``kb/libraries.py``) has no name row for.
"""

from __future__ import annotations

from collections.abc import Mapping

HTTP_EXCEPTIONS = frozenset({"HTTPException", "StarletteHTTPException", "FastAPIHTTPException"})
ABORTS = frozenset({"abort"})
# Response constructors and their default code; their status is the ``status_code=``/``status=``
# keyword, or the second positional argument where the signature puts it there.
RESPONSES: Mapping[str, int] = {
    "Response": 200,
    "JSONResponse": 200,
    "ORJSONResponse": 200,
    "UJSONResponse": 200,
    "HTMLResponse": 200,
    "PlainTextResponse": 200,
    "StreamingResponse": 200,
    "FileResponse": 200,
    "RedirectResponse": 307,
    "make_response": 200,
    "jsonify": 200,
    "json_response": 200,
    "redirect": 302,
    "HttpResponse": 200,
    "JsonResponse": 200,
    "HttpResponseRedirect": 302,
    "HttpResponsePermanentRedirect": 301,
}
SECOND_POSITIONAL = frozenset({"Response", "JSONResponse", "ORJSONResponse", "UJSONResponse", "HTMLResponse"}) | {
    "PlainTextResponse",
    "RedirectResponse",
    "make_response",
    "redirect",
}
NO_STATUS_ARGUMENT = frozenset({"jsonify"})
STATUS_KEYWORDS = ("status_code", "status", "code")
# Library exceptions and calls with a fixed code that the knowledge base has no name row for.
LIBRARY_EXCEPTIONS: Mapping[str, int] = {
    "rest_framework.exceptions.ParseError": 400,
    "rest_framework.exceptions.ValidationError": 400,
    "rest_framework.exceptions.AuthenticationFailed": 401,
    "rest_framework.exceptions.NotAuthenticated": 401,
    "rest_framework.exceptions.PermissionDenied": 403,
    "rest_framework.exceptions.NotFound": 404,
    "rest_framework.exceptions.MethodNotAllowed": 405,
    "rest_framework.exceptions.NotAcceptable": 406,
    "rest_framework.exceptions.UnsupportedMediaType": 415,
    "rest_framework.exceptions.Throttled": 429,
    "django.core.exceptions.PermissionDenied": 403,
    "django.core.exceptions.BadRequest": 400,
    "django.core.exceptions.SuspiciousOperation": 400,
}
LIBRARY_RAISING_CALLS: Mapping[str, int] = {
    "django.shortcuts.get_object_or_404": 404,
    "django.shortcuts.get_list_or_404": 404,
    "rest_framework.generics.get_object_or_404": 404,
}
