"""Stored-file failures answered with a page that names them (common.uploads): a file the
record names but the storage no longer has (404, "文件已丢失"), or a storage that cannot be
read right now (503). Raised from any download view, so none of them repeats the handling."""

from django.shortcuts import render

from .uploads import FileMissing, StorageUnavailable


class StoredFileErrorsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, FileMissing):
            return render(request, "workflow/file_missing.html", status=404)
        if isinstance(exception, StorageUnavailable):
            return render(
                request,
                "workflow/storage_unavailable.html",
                {"message": "；".join(exception.messages)},
                status=503,
            )
        return None
