"""The load bench's floor (bench/load.py, issue #19): a trivial Django view behind the whole
middleware stack — session, user, CSRF, CSP, axes, the same as every page — that renders no
template and runs no query of its own. The bench's ratio is the portal's page mix against this
view's throughput on the same server. Routed only when BENCH_TRIVIAL_VIEW is set (config/urls.py);
a production deployment never serves it."""

from django.http import HttpResponse


def trivial(request):
    return HttpResponse(b"ok", content_type="text/plain; charset=utf-8")
