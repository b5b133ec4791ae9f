"""The dashboard page: one panel per role the user holds that has one."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render

from .dashboards import dashboards_for


@login_required
def dashboard(request):
    dashboards = dashboards_for(user=request.user)
    if dashboards is None:
        raise PermissionDenied
    return render(request, "dashboards/page.html", {"d": dashboards})
