"""The compiled ODD document (``IDENT.compiled.odd``): the ODD with its schema resolved.

The ``schemaSpec`` is replaced by one that holds every spec the schema is made
of, as the TEI's ``odd2odd`` writes it; the rest of the ODD (header, prose) is
kept, so the documentation can be made from this one file.
"""

from __future__ import annotations

import copy

from lxml import etree

from tei_tools.odd.customise import Customisation
from tei_tools.odd.errors import located
from tei_tools.odd.names import t


def compiled_odd(custom: Customisation, consume: bool = False) -> etree._ElementTree:
    """The compiled ODD; with ``consume`` the customisation's specs are moved into it
    rather than copied (faster; the customisation is not usable afterwards)."""
    tree = copy.deepcopy(custom.odd_tree)
    root = tree.getroot()
    spec = next(s for s in root.iter(t("schemaSpec")) if s.get("ident") == custom.ident)
    holder = spec.getparent()
    # a schemaSpec that is the document itself keeps its namespace declarations
    new = etree.Element(t("schemaSpec"), dict(spec.attrib), nsmap=spec.nsmap if holder is None else None)
    new.set("source", custom.source.path.name)
    for item in custom.specs + custom.constraints:
        c = item if consume else copy.deepcopy(item)
        c.tail = None
        new.append(c)
    new.tail = spec.tail
    if holder is None:
        tree._setroot(new)
        return tree
    holder.replace(spec, new)
    for grp in list(root.iter(t("specGrp"))):
        outer = grp.getparent()
        if outer is None:
            raise located(grp, custom.file, "a <specGrp> cannot be the document element of an ODD "
                                            "(its specs are compiled into the schemaSpec)",
                          "ODD-SPECGRP")
        outer.remove(grp)  # applied above; a second copy would be read again
    return tree


def serialize(tree: etree._ElementTree) -> bytes:
    return etree.tostring(tree, xml_declaration=True, encoding="UTF-8")
