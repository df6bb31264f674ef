"""tei-tools: validate, publish and query TEI P5 documents.

Library first: every public function returns typed results and never prints;
:mod:`tei_tools.cli` turns them into output and exit codes.
"""

__version__ = "0.1.0"
