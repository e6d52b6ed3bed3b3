"""Reading the design system's form markup in tests: a field's block, its error message."""

from __future__ import annotations

import re
from html.parser import HTMLParser

_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class _Groups(HTMLParser):
    """Finds the innermost govuk-form-group that contains an element with a given id."""

    def __init__(self, page: str, field_id: str):
        super().__init__(convert_charrefs=False)
        self.page, self.field_id = page, field_id
        self.lines = [0]
        for line in page.splitlines(keepends=True):
            self.lines.append(self.lines[-1] + len(line))
        self.stack: list[tuple[str, int, bool]] = []  # (tag, start offset, is form group)
        self.found: list[tuple[int, int]] = []  # (depth, start) of groups holding the id
        self.result: str | None = None
        self.feed(page)

    def _offset(self) -> int:
        line, column = self.getpos()
        return self.lines[line - 1] + column

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        is_group = "govuk-form-group" in (values.get("class") or "").split()
        if values.get("id") == self.field_id and self.result is None:
            groups = [(depth, start) for depth, (_, start, group) in enumerate(self.stack) if group]
            if is_group:
                groups.append((len(self.stack), self._offset()))
            if groups:
                self.found = [groups[-1]]
        if tag not in _VOID:
            self.stack.append((tag, self._offset(), is_group))

    def handle_endtag(self, tag):
        while self.stack:
            open_tag, start, _ = self.stack.pop()
            if self.found and self.result is None and len(self.stack) == self.found[0][0]:
                end = self.page.index(">", self._offset()) + 1
                self.result = self.page[start:end]
            if open_tag == tag:
                break


def field_block(page: str, field_id: str) -> str:
    """The HTML of the form group (label, hint, error, input) that holds the element with this id."""
    block = _Groups(page, field_id).result
    assert block, f"no field {field_id}"
    return block


def error_for(page: str, field_id: str) -> str:
    """The error message shown next to a field (GOV.UK's error message, linked by id), or ""."""
    match = re.search(
        rf'<p id="{re.escape(field_id)}-error" class="govuk-error-message">'
        r'<span class="govuk-visually-hidden">[^<]*</span>\s*(.*?)</p>',
        page, re.S,
    )
    return match.group(1).strip() if match else ""


def has_error(block: str) -> bool:
    """Whether a field's block shows an error message."""
    return "govuk-error-message" in block
