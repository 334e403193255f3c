from django.http import Http404, HttpRequest, HttpResponseRedirect

from kepu.orgs.models import Unit


def unit_site_redirect(request: HttpRequest, code: str) -> HttpResponseRedirect:
    """/u/<code>/ → the unit's sub-site, wherever it sits in the tree."""
    unit = Unit.objects.filter(code=code, is_active=True).select_related("home_page").first()
    page = getattr(unit, "home_page", None) if unit else None
    if page is None or not page.live:
        raise Http404("no such unit")
    return HttpResponseRedirect(page.get_url(request))
