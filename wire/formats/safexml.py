"""Reading agency XML without trusting it.

Every XML format here (NewsML-G2, NITF, NewsML 1.2) is parsed through :func:`parse_xml`:
``defusedxml`` refuses a DTD, entity declarations (billion laughs) and external entities
(``file:`` or ``http:``); the size and element-depth limits refuse a runaway or hostile file
before it costs memory. Element names come back without namespaces, since real feeds send
the same document with, without, or with a wrong namespace.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from defusedxml import DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden
from defusedxml.ElementTree import DefusedXMLParser

from wire.formats import FormatError

MAX_XML_BYTES = 8 * 1024 * 1024
MAX_DEPTH = 64
_SPACE = re.compile(r"\s+")


class _Builder(ET.TreeBuilder):
    # Counts open elements so that a hostile nesting is refused while it is read.

    def __init__(self, format: str) -> None:
        super().__init__()
        self.depth, self.format = 0, format

    def start(self, tag, attrs):  # type: ignore[no-untyped-def]
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise FormatError(f"the XML nests elements over {MAX_DEPTH} deep", format=self.format)
        return super().start(tag, attrs)

    def end(self, tag):  # type: ignore[no-untyped-def]
        self.depth -= 1
        return super().end(tag)


class _Parser(DefusedXMLParser):
    # A document type that only names an external DTD (NITF files often do) is read without
    # loading it; one with declarations of its own (where entity bombs live) is refused.

    def defused_start_doctype_decl(self, name, sysid, pubid, has_internal_subset):  # type: ignore[no-untyped-def]
        if has_internal_subset:
            raise DTDForbidden(name, sysid, pubid)


def parse_xml(data: bytes, *, format: str, max_bytes: int = MAX_XML_BYTES) -> ET.Element:
    """The root element of ``data`` with namespace-free tags (``{ns}p`` becomes ``p``).

    Raises :class:`FormatError` for a document over ``max_bytes`` bytes or deeper than
    :data:`MAX_DEPTH` elements, one with DTD declarations, entity declarations or external
    entity references, and one that is not well-formed XML (the reason gives line and
    column). A document type naming an external DTD is allowed; the DTD is never loaded.
    """
    if len(data) > max_bytes:
        raise FormatError(
            f"the XML is {len(data):,} bytes, over the {max_bytes:,}-byte limit", format=format
        )
    parser = _Parser(target=_Builder(format), forbid_dtd=True, forbid_entities=True)
    try:
        parser.feed(data)
        root = parser.close()
    except DTDForbidden:
        raise FormatError(
            "XML with DTD declarations (a DOCTYPE with an internal subset) is refused",
            format=format,
        ) from None
    except EntitiesForbidden:
        raise FormatError("XML entity declarations are refused", format=format) from None
    except ExternalReferenceForbidden:
        raise FormatError("XML external entity references are refused", format=format) from None
    except ET.ParseError as exc:
        line, column = getattr(exc, "position", (0, 0))
        raise FormatError(
            f"not well-formed XML (line {line}, column {column})", format=format
        ) from None
    except (ValueError, LookupError, RecursionError) as exc:
        # A declared encoding Python does not know, or bytes that are not in it.
        raise FormatError(f"the XML cannot be read ({exc})", format=format) from None
    if not isinstance(root, ET.Element):
        raise FormatError("the XML has no root element", format=format)
    for element in root.iter():
        if isinstance(element.tag, str) and "}" in element.tag:
            element.tag = element.tag.rsplit("}", 1)[1]
    return root


def local(tag: object) -> str:
    """An element's name without namespace; "" for comments and processing instructions."""
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def text(element: ET.Element | None) -> str:
    """All text inside ``element``, whitespace runs folded to one space, stripped; "" for
    None."""
    if element is None:
        return ""
    return _SPACE.sub(" ", "".join(element.itertext())).strip()


def child(element: ET.Element | None, *path: str) -> ET.Element | None:
    """The first element down ``path`` (tag names) from ``element``, or None."""
    for name in path:
        if element is None:
            return None
        element = element.find(name)
    return element


def children(element: ET.Element | None, name: str) -> list[ET.Element]:
    """The direct children of ``element`` called ``name``; [] for None."""
    return [] if element is None else element.findall(name)
