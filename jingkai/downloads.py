"""Word and Excel outputs handed to the browser as downloads under their Chinese names (RFC 6266 `filename*`,
built by Django). Every app's export views use this one helper."""

from django.http import HttpResponse
from django.utils.http import content_disposition_header

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def download(blob: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(blob, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response
