from django.http import HttpRequest

from . import readers


def reader(request: HttpRequest) -> dict[str, str]:
    """The anonymous reader's key, so pages can mark what this reader wrote."""
    return {"reader_key": readers.reader_key(request)}
