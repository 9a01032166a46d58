import pytest
from django.test import RequestFactory

from jingkai.redirects import next_or


@pytest.mark.parametrize(("given", "back"), [
    ("/chains/GS-NE/?zone=GS-LZ", "/chains/GS-NE/?zone=GS-LZ"),
    ("https://evil.example/", "/fallback/"),
    ("//evil.example/x", "/fallback/"),
    ("/\\evil.example", "/fallback/"),
    ("javascript:alert(1)", "/fallback/"),
    ("", "/fallback/"),
])
def test_next_only_to_a_page_of_this_site(given, back):
    request = RequestFactory().post("/x/", {"next": given})
    assert next_or(request, "/fallback/") == back
