"""What may be written about a partner's endpoint in logs and delivery errors.

Partners put tokens in query strings (`…/hook?token=…`) and credentials in the authority
(`https://user:pass@…`). A log line or a stored error keeps the scheme, host, port and path,
which is enough to tell endpoints apart, and never those.
"""

from __future__ import annotations

import re
from urllib.parse import unquote, urlsplit, urlunsplit

# A query string or fragment as it appears inside an error message: up to the next space,
# quote or closing bracket.
_QUERY_IN_TEXT = re.compile(r"[?#][^\s'\")\]]*")


def redacted_url(url: str) -> str:
    """`url` without credentials, query string or fragment."""
    try:
        parts = urlsplit(url)
        port = f":{parts.port}" if parts.port else ""
    except ValueError:
        return "<malformed URL>"
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"
    return urlunsplit((parts.scheme, f"{host}{port}", parts.path, "", ""))


def scrubbed(text: str, url: str) -> str:
    """`text` (an exception message naming `url` in any form) with the URL's query string,
    fragment and credentials taken out."""
    try:
        parts = urlsplit(url)
        secrets = [parts.query, parts.fragment, parts.username, parts.password]
    except ValueError:
        secrets = []
    for secret in filter(None, secrets):
        for form in {secret, unquote(secret)}:
            text = text.replace(form, "…")
    return _QUERY_IN_TEXT.sub("", text)
