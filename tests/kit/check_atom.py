"""Reads an Atom feed as a feed reader would. Usage: check_atom.py FILE; prints one JSON
object: the format feedparser recognised, whether it found the feed malformed, and the
entries' ids, titles and links."""

import json
import sys

import feedparser


def main() -> int:
    parsed = feedparser.parse(sys.argv[1])
    print(
        json.dumps(
            {
                "version": parsed.version,
                "bozo": bool(parsed.bozo),
                "error": str(parsed.get("bozo_exception", "")),
                "title": parsed.feed.get("title"),
                "entries": [
                    {
                        "id": e.get("id"),
                        "title": e.get("title"),
                        "updated": e.get("updated"),
                        "links": [{"rel": l.get("rel"), "type": l.get("type"), "href": l.get("href")} for l in e.get("links", [])],
                    }
                    for e in parsed.entries
                ],
            }
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
