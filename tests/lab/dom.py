#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""dom.py QUERY... < page.html: what a headless browser's DOM holds.

Queries: text:ID (the text inside the element with that id), attr:NAME
(every value of data-NAME, in order, space-separated), within:ID:NAME (the
same, only inside the element with that id). One line per query."""
import sys
from html.parser import HTMLParser


class Dom(HTMLParser):
    def __init__(self):
        super().__init__()
        self.stack = []           # ids of the open elements, or None
        self.text = {}            # id -> text
        self.attrs = []           # (name, value, ids open around it)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        for k, v in a.items():
            if k.startswith("data-"):
                self.attrs.append((k[5:], v, [i for i in self.stack if i]))
        if tag not in ("br", "img", "meta", "link", "input", "rect", "line"):
            self.stack.append(a.get("id"))
            if a.get("id"):
                self.text.setdefault(a["id"], "")

    def handle_endtag(self, tag):
        if self.stack and tag not in ("br", "img", "meta", "link", "input", "rect", "line"):
            self.stack.pop()

    def handle_data(self, data):
        for i in self.stack:
            if i:
                self.text[i] += " " + data


dom = Dom()
dom.feed(sys.stdin.read())
for q in sys.argv[1:]:
    kind, _, rest = q.partition(":")
    if kind == "text":
        print(" ".join(dom.text.get(rest, "").split()))
    elif kind == "attr":
        print(" ".join(v for k, v, _ in dom.attrs if k == rest))
    elif kind == "within":
        where, _, name = rest.partition(":")
        print(" ".join(v for k, v, ids in dom.attrs if k == name and where in ids))
