"""A page's many rows' `{% blocktranslate %}` texts, written in Python: the message translated
once per page, each row only formatting its numbers into it.

A `{% blocktranslate %}` node costs ~20–30 µs a row (a context push and pop, the msgid rebuilt
from its tokens, a catalogue look-up, each variable resolved); a list page of 50 rows with
three of them spends several milliseconds on them (issue #19, "a CPU budget per page"). The
text is the same: the same msgid (the catalogue's entry), each value localized and escaped
as the template would (`render_value_in_context` under autoescape), the translated text
itself left as it is (the tag does not escape it either)."""

from collections.abc import Callable

from django.utils.safestring import SafeString
from django.utils.translation import gettext

from .renderers import as_text


def blocktranslated(msgid: str) -> Callable[..., SafeString]:
    """`{% blocktranslate with a=… b=… %}msgid{% endblocktranslate %}` for many rows of one
    page: `blocktranslated(gettext_noop("应开 %(req)s · 已开 %(held)s"))(req=3, held=1)`. Call
    it per page, in the language the page is in (the message is translated when it is called).
    Mark the msgid with `gettext_noop` where it is written, so makemessages keeps it."""
    text = gettext(msgid)

    def format_(**values) -> SafeString:
        # each value as the tag writes it (`as_text`: render_value_in_context, as the tag
        # does); the text is the catalogue's, as the tag writes it
        return SafeString(text % {n: as_text(v) for n, v in values.items()})  # nosec B703 B308

    return format_


def blocktranslated_count(
    translate: Callable[[int], str], counter: str
) -> Callable[..., SafeString]:
    """`{% blocktranslate count n=… %}singular{% plural %}plural{% endblocktranslate %}` for
    many rows of one page, the counter named `counter`; `translate` is
    `lambda n: ngettext(singular, plural, n)` (written so makemessages finds the message),
    called once per distinct count."""
    texts = {}

    def format_(**values) -> SafeString:
        count = values[counter]
        if count not in texts:
            texts[count] = translate(count)
        text = texts[count]  # as above: the values escaped, the catalogue's text as it is
        return SafeString(text % {n: as_text(v) for n, v in values.items()})  # nosec B703 B308

    return format_
