"""The project's RELAX NG validator (issue #10).

* :mod:`.simplify` reads a grammar (XML syntax) into simplified patterns;
* :mod:`.patterns` makes every pattern unique (hash-consing);
* :mod:`.derivative` takes derivatives (James Clark's algorithm), memoised;
* :mod:`.datatypes` and :mod:`.xsdregex` check values as jing does;
* :mod:`.validator` walks a document and records errors with what was expected;
* :mod:`.messages` words them.

:mod:`tei_tools.validation.relaxng` is the entry point the rest of the project uses.
"""
