"""The project's own ODD processor: TEI customisations compiled without Java.

``compile_odd(path)`` reads an ODD, applies its ``schemaSpec`` to the TEI's
compiled specification (``p5subset.xml``, shipped) and returns a
:class:`CompiledOdd`: RELAX NG (XML syntax), ISO Schematron
(``queryBinding="xslt2"``) and the compiled ODD, all as bytes. Nothing here
prints or touches the network.
"""
