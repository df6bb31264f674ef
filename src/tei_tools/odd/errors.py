"""The ODD processor's one error: located, naming the construct."""

from __future__ import annotations

from lxml import etree

from tei_tools.errors import XmlInputError


class OddError(XmlInputError):
    """An ODD the processor cannot compile (exit 1): unsupported or broken.

    The message reads ``file:line: error: … [ODD-…]`` so the author can go
    straight to the construct.
    """

    def __init__(self, file: str, message: str, line: int | None = None,
                 code: str = "ODD") -> None:
        super().__init__(file, message, line=line, code=code)


def located(el: etree._Element, file: str, message: str, code: str = "ODD") -> OddError:
    """An :class:`OddError` at ``el``'s start tag."""
    return OddError(file, message, line=el.sourceline, code=code)
