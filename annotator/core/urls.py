"""A statement's URL (DESIGN.md §2.6) as the user types it: a web address (``http://``, ``https://``) or a
``file:`` address, spaces around it trimmed; anything else is refused with the reason, so a typo is caught when
typed, not found later in an export.

Nothing is fetched or opened (DESIGN.md §6): this only reads the text.
"""

from __future__ import annotations

import ipaddress
import re
from typing import Any
from urllib.parse import urlsplit

from annotator.core.variables import parse_text

#: the schemes kept; a ``javascript:`` or ``data:`` address is never a statement's source
SCHEMES = ("http", "https", "file")
MAX_URL = 2000

_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")
#: one label of a host name as DNS holds it (an international name in its IDNA form): letters, digits, hyphens inside
_LABEL = re.compile(r"^(?!-)[A-Za-z0-9-]{1,63}(?<!-)$")


def parse_url(raw: Any) -> str:
    """``raw`` trimmed, when it is an http(s) or file: address; "" for empty; ``www.…`` gets ``https://`` in front
    (as a browser's address bar reads it). Raises ValueError naming the problem."""
    text = parse_text(raw, "a URL").strip()  # text, storable: as every variable's value
    if not text:
        return ""
    shown = text if len(text) <= 80 else text[:79] + "…"
    if len(text) > MAX_URL:
        raise ValueError(f"the URL is longer than {MAX_URL} characters")
    if any(ch.isspace() or ord(ch) < 32 or ord(ch) == 127 for ch in text):
        raise ValueError(f"{shown!r} is not a URL: it contains a space or a line break (write a space as %20)")
    scheme = _SCHEME.match(text)
    if scheme is None:
        if text.lower().startswith("www."):
            text = "https://" + text
        else:
            raise ValueError(f"{shown!r} is not a URL: it should start with https:// or http:// (or file:)")
    elif scheme.group(1).lower() not in SCHEMES:
        raise ValueError(
            f"{shown!r} is not a web address: only https://, http:// and file: URLs are kept, not {scheme.group(0)}"
        )
    try:
        parts = urlsplit(text)
        port = parts.port  # a port that is not a number raises here
    except ValueError as exc:  # a port that is not a number, a broken [IPv6] host
        raise ValueError(f"{shown!r} is not a URL ({str(exc).lower()})") from None
    if parts.scheme.lower() == "file":
        if not (parts.path or parts.netloc):
            raise ValueError(f"{shown!r} is not a URL: a file: address names a file (file:///path/to/file)")
        return text
    if not text[len(parts.scheme) + 1 :].startswith("//"):
        raise ValueError(f"{shown!r} is not a URL: {parts.scheme}: is followed by // and a host name")
    host = parts.hostname or ""
    if not host:
        raise ValueError(f"{shown!r} is not a URL: it has no host name (https://www.example.org/…)")
    if not _host_ok(host):
        raise ValueError(f"{shown!r} is not a URL: {host!r} is not a host name")
    if port == 0:
        raise ValueError(f"{shown!r} is not a URL: port 0")
    return text


def _host_ok(host: str) -> bool:
    """A host name (``www.state.gov``, ``भारत.भारत``, ``intranet``) or an IP address. International names are
    checked in their IDNA form, as DNS holds them: letters with combining marks (Devanagari, Thai, Tamil, an accent
    typed apart) are letters there."""
    try:
        ipaddress.ip_address(host)
        return True
    except ValueError:
        pass
    try:
        ascii_host = host.rstrip(".").encode("idna").decode("ascii")
    except (UnicodeError, ValueError):
        return False
    labels = ascii_host.split(".")
    return all(_LABEL.match(label) for label in labels) and not labels[-1].isdigit()
