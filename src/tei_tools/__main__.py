from tei_tools.cli import run

run()
