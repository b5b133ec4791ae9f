"""One view, two answers: a fragment for an htmx request, the whole page (or a redirect)
for everyone else, so every inline action still works as a plain form without JavaScript."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_vary_headers


def wants_fragment(request: HttpRequest) -> bool:
    """An htmx swap wants a fragment. A history restore (Back after the page left htmx's
    cache) asks for the whole page, as does any request without htmx."""
    htmx = getattr(request, "htmx", None)
    return bool(htmx) and not htmx.history_restore_request


def render_page_or_fragment(
    request: HttpRequest, *, page: str, fragment: str, context: dict
) -> HttpResponse:
    response = render(request, fragment if wants_fragment(request) else page, context)
    # A browser or proxy must never answer a plain visit with a cached fragment.
    patch_vary_headers(response, ["HX-Request"])
    return response
