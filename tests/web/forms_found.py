"""The POST forms the app's pages show, read from their HTML: action, fields and current values.

Used by the bad-input suite to post to every form as a browser would, without a hand-written
list of forms or fields: a new page with a new form is found by crawling the app's GET routes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

#: Input types whose value the user types (and a refused form must show again).
TYPED = {"text", "email", "search", "tel", "url", "date", "number", ""}


@dataclass
class FormField:
    """One named control of a form."""

    name: str
    kind: str  # an input type, "select", "textarea"
    value: str = ""  # the value it would be sent with now
    options: list[str] = field(default_factory=list)  # select and radio/checkbox values
    multiple: bool = False

    @property
    def typed(self) -> bool:
        """Whether the user types this value (text inputs and text areas)."""
        return self.kind in TYPED or self.kind == "textarea"


@dataclass
class FoundForm:
    """A POST form: where it posts, and its fields by name."""

    action: str  # a path
    fields: dict[str, FormField] = field(default_factory=dict)

    def data(self) -> dict[str, object]:
        """The form as a browser would send it unchanged (multi-valued fields as lists)."""
        sent: dict[str, object] = {}
        for control in self.fields.values():
            if control.kind == "file":
                continue
            if control.multiple:
                sent[control.name] = [value for value in control.value.split("\n") if value]
            elif control.kind in ("checkbox", "radio") and not control.value:
                continue
            else:
                sent[control.name] = control.value
        return sent


class _FormParser(HTMLParser):
    def __init__(self, page_path: str):
        super().__init__(convert_charrefs=True)
        self.page_path = page_path
        self.forms: list[FoundForm] = []
        self._form: FoundForm | None = None
        self._select: FormField | None = None
        self._textarea: FormField | None = None

    def handle_starttag(self, tag, attrs):
        attrs = {key: value or "" for key, value in attrs}
        if tag == "form":
            if attrs.get("method", "get").lower() == "post":
                action = urlsplit(urljoin(self.page_path, attrs.get("action") or self.page_path)).path
                self._form = FoundForm(action)
            return
        if self._form is None or "name" not in attrs and tag != "option":
            return
        name = attrs.get("name", "")
        if tag == "input":
            kind = attrs.get("type", "text").lower()
            if kind in ("submit", "button", "reset", "image"):
                return
            control = self._form.fields.get(name)
            if kind in ("checkbox", "radio"):
                if control is None:
                    control = self._form.fields[name] = FormField(name, kind, multiple=kind == "checkbox")
                control.options.append(attrs.get("value", "on"))
                if "checked" in attrs:
                    chosen = attrs.get("value", "on")
                    control.value = chosen if not control.multiple else "\n".join(
                        [value for value in control.value.split("\n") if value] + [chosen])
            else:
                self._form.fields[name] = FormField(name, kind, attrs.get("value", ""))
        elif tag == "select":
            self._select = self._form.fields[name] = FormField(name, "select", multiple="multiple" in attrs)
        elif tag == "option" and self._select is not None:
            value = attrs.get("value", "")
            self._select.options.append(value)
            if "selected" in attrs:
                self._select.value = value
        elif tag == "textarea":
            self._textarea = self._form.fields[name] = FormField(name, "textarea")

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea.value += data

    def handle_endtag(self, tag):
        if tag == "form" and self._form is not None:
            self.forms.append(self._form)
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            self._textarea.value = self._textarea.value.removeprefix("\r\n").removeprefix("\n")
            self._textarea = None


def post_forms(html: str, page_path: str) -> list[FoundForm]:
    """The POST forms of a page (the language switch and the like included)."""
    parser = _FormParser(page_path)
    parser.feed(html)
    return parser.forms
