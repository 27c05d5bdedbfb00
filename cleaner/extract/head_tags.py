"""The metadata a page states in its <head>, read from lexbor's attributes.

These are trafilatura's and htmldate's own readers (`trafilatura.metadata.examine_meta`,
`extract_opengraph`, `extract_url`; `htmldate.core.examine_header`; cleaner's
`html_meta.declared_language`) carried over from lxml elements to the attribute
mappings of lexbor nodes, step for step, so that the fast engine finds what the
trafilatura engine finds without a second parse of the page. They use the libraries'
own vocabularies and helpers (meta names, author normalisation, URL checks, date
parsing).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from courlan import is_valid_url, normalize_url, validate_url
from htmldate.core import (
    DATE_ATTRIBUTES,
    ITEMPROP_ATTRS,
    ITEMPROP_ATTRS_MODIFIED,
    ITEMPROP_ATTRS_ORIGINAL,
    NAME_MODIFIED,
    PROPERTY_MODIFIED,
)
from htmldate.extractors import extract_url_date, try_date_expr_opts
from htmldate.utils import Extractor
from htmldate.validators import is_valid_date
from selectolax.lexbor import LexborHTMLParser
from trafilatura.json_metadata import normalize_authors
from trafilatura.metadata import (
    METANAME_AUTHOR,
    METANAME_DESCRIPTION,
    METANAME_IMAGE,
    METANAME_PUBLISHER,
    METANAME_TAG,
    METANAME_TITLE,
    OG_AUTHOR,
    OG_PROPERTIES,
    PROPERTY_AUTHOR,
    TWITTER_ATTRS,
    normalize_tags,
)
from trafilatura.settings import Document
from trafilatura.utils import HTML_STRIP_TAGS, safe_base_url, trim

from .page_meta import LANGUAGE_TAG

Attrs = dict[str, Any]


@dataclass(slots=True)
class HeadTags:
    """The tags of a page the metadata readers look at, as attribute mappings."""

    metas: list[Attrs] = field(default_factory=list)  # <meta> children of <head>
    other_metas: list[Attrs] = field(default_factory=list)  # <meta> elsewhere
    links: list[Attrs] = field(default_factory=list)  # <link> in <head>
    bases: list[Attrs] = field(default_factory=list)  # <base> in <head>
    title: str = ""  # <title> in <head>
    html: Attrs = field(default_factory=dict)  # the <html> element's attributes


def read_head(tree: LexborHTMLParser) -> HeadTags:
    """The head's tags of a lexbor tree."""
    tags = HeadTags()
    root = tree.css_first("html")
    if root is not None:
        tags.html = root.attributes
    head = tree.head
    if head is not None:
        for node in head.css("meta, link, base, title"):
            tag = node.tag
            if tag == "meta":
                parent = node.parent
                (tags.metas if parent is not None and parent.tag == "head" else tags.other_metas).append(
                    node.attributes
                )
            elif tag == "link":
                tags.links.append(node.attributes)
            elif tag == "base":
                tags.bases.append(node.attributes)
            elif not tags.title:
                tags.title = trim(node.text(deep=True))
    body = tree.body
    if body is not None:
        tags.other_metas.extend(node.attributes for node in body.css("meta"))
    return tags


def examine_meta(tags: HeadTags) -> Document:
    """trafilatura's `examine_meta` (OpenGraph, then the other <meta> tags of the head)."""
    metadata = Document().from_dict(opengraph(tags))
    found_tags: list[str] = []
    backup_sitename = None
    for attrs in tags.metas:
        if attrs.get("content") is None:
            continue
        content_attr = HTML_STRIP_TAGS.sub("", attrs.get("content") or "").strip()
        if not content_attr:
            continue
        if "property" in attrs:
            property_attr = (attrs.get("property") or "").lower()
            if property_attr.startswith("og:"):
                continue
            if property_attr == "article:tag":
                found_tags.append(normalize_tags(content_attr))
            elif property_attr in PROPERTY_AUTHOR:
                metadata.author = normalize_authors(metadata.author, content_attr)
            elif property_attr == "article:publisher":
                metadata.sitename = metadata.sitename or content_attr
            elif property_attr in METANAME_IMAGE:
                metadata.image = metadata.image or content_attr
        elif "name" in attrs:
            name_attr = (attrs.get("name") or "").lower()
            if name_attr in METANAME_AUTHOR:
                metadata.author = normalize_authors(metadata.author, content_attr)
            elif name_attr in METANAME_TITLE:
                metadata.title = metadata.title or content_attr
            elif name_attr in METANAME_DESCRIPTION:
                metadata.description = metadata.description or content_attr
            elif name_attr in METANAME_PUBLISHER:
                metadata.sitename = metadata.sitename or content_attr
            elif name_attr in METANAME_IMAGE:
                metadata.image = metadata.image or content_attr
            elif name_attr in TWITTER_ATTRS or "twitter:app:name" in name_attr:
                backup_sitename = content_attr
            elif name_attr == "twitter:url" and not metadata.url and is_valid_url(content_attr):
                metadata.url = content_attr
            elif name_attr in METANAME_TAG:
                found_tags.append(normalize_tags(content_attr))
        elif "itemprop" in attrs:
            itemprop_attr = (attrs.get("itemprop") or "").lower()
            if itemprop_attr == "author":
                metadata.author = normalize_authors(metadata.author, content_attr)
            elif itemprop_attr == "description":
                metadata.description = metadata.description or content_attr
            elif itemprop_attr == "headline":
                metadata.title = metadata.title or content_attr
    metadata.sitename = metadata.sitename or backup_sitename
    metadata.tags = found_tags
    return metadata


def opengraph(tags: HeadTags) -> dict[str, str | None]:
    """trafilatura's `extract_opengraph`: the og: properties of the head's <meta> tags."""
    result: dict[str, str | None] = dict.fromkeys(
        ("title", "author", "url", "description", "sitename", "image", "pagetype")
    )
    for attrs in tags.metas:
        property_name = attrs.get("property")
        if not property_name or not property_name.startswith("og:"):
            continue
        content = attrs.get("content")
        if content and not content.isspace():
            if property_name in OG_PROPERTIES:
                result[OG_PROPERTIES[property_name]] = content
            elif property_name == "og:url" and is_valid_url(content):
                result["url"] = content
            elif property_name in OG_AUTHOR:
                result["author"] = normalize_authors(None, content)
    return result


def page_url(tags: HeadTags, default_url: str | None = None) -> str | None:
    """trafilatura's `extract_url`: the canonical link (or <base>, or the x-default
    alternate) made absolute and normalised, else `default_url`."""
    url = None
    for candidates in (
        [a for a in tags.links if a.get("rel") == "canonical"],
        tags.bases,
        [a for a in tags.links if a.get("rel") == "alternate" and a.get("hreflang") == "x-default"],
    ):
        url = candidates[0].get("href") if candidates else None
        if url:
            break
    if url and url.startswith("//"):
        url = f"https:{url}"
    elif url and url.startswith("/"):
        for attrs in tags.metas:
            if attrs.get("content") is None:
                continue
            attrtype = attrs.get("name") or attrs.get("property") or ""
            if attrtype.startswith(("og:", "twitter:")):
                base_url = safe_base_url(attrs["content"])
                if base_url:
                    url = base_url + url
                    break
    if url:
        valid, parsed = validate_url(url)
        url = normalize_url(parsed) if valid and parsed else None
    return url or default_url


def declared_language(tags: HeadTags) -> str | None:
    """cleaner's `html_meta.declared_language`: <html lang>, then a content-language header."""
    values = [tags.html.get("lang"), tags.html.get("xml:lang")]
    values += [a.get("content") for a in tags.metas if a.get("http-equiv") == "content-language"]
    for value in values:
        if value is None:
            continue
        match = LANGUAGE_TAG.match(str(value))
        if match:
            return match.group(1).lower()
    return None


def header_date(tags: HeadTags, options: Extractor) -> str | None:
    """htmldate's `examine_header`: the date the <meta> tags state."""
    headerdate, reserve = None, None
    for attrs in tags.metas + tags.other_metas:
        if "content" not in attrs and "datetime" not in attrs:
            continue
        content = attrs.get("content")
        if "name" in attrs:
            attribute = (attrs.get("name") or "").lower()
            if attribute == "og:url":
                reserve = extract_url_date(content, options) or reserve
            elif attribute in DATE_ATTRIBUTES:
                headerdate = try_date_expr_opts(content, options)
            elif attribute in NAME_MODIFIED:
                if not options.original:
                    headerdate = try_date_expr_opts(content, options)
                else:
                    reserve = try_date_expr_opts(content, options) or reserve
        elif "property" in attrs:
            attribute = (attrs.get("property") or "").lower()
            if attribute in DATE_ATTRIBUTES or attribute in PROPERTY_MODIFIED:
                attempt = try_date_expr_opts(content, options)
                if attempt is not None:
                    if attribute in (DATE_ATTRIBUTES if options.original else PROPERTY_MODIFIED):
                        headerdate = attempt
                    else:
                        reserve = attempt
        elif "itemprop" in attrs:
            attribute = (attrs.get("itemprop") or "").lower()
            if attribute in ITEMPROP_ATTRS:
                attempt = try_date_expr_opts(attrs.get("datetime") or content, options)
                if attempt is not None and attribute in (
                    ITEMPROP_ATTRS_ORIGINAL if options.original else ITEMPROP_ATTRS_MODIFIED
                ):
                    headerdate = attempt
            elif attribute == "copyrightyear" and content is not None:
                attempt = f"{content}-01-01"
                if is_valid_date(attempt, "%Y-%m-%d", earliest=options.min, latest=options.max):
                    reserve = datetime(int(attempt[:4]), 1, 1).strftime(options.format)
        elif "pubdate" in attrs:
            if (attrs.get("pubdate") or "").lower() == "pubdate":
                headerdate = try_date_expr_opts(content, options)
        elif "http-equiv" in attrs:
            attribute = (attrs.get("http-equiv") or "").lower()
            if attribute in ("date", "last-modified"):
                attempt = try_date_expr_opts(content, options)
                if (attribute == "date") == options.original:
                    headerdate = attempt
                else:
                    reserve = attempt or reserve
        if headerdate is not None:
            break
    return headerdate if headerdate is not None else reserve
