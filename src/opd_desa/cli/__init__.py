"""The command line: Typer apps, one module per command group. No SQL and no rules here.

Commands are defined inside each module's `register(app)`, so their help texts are translated
when the app is built in the chosen language. Typer reads the annotations at that moment, which
is why these modules do not use `from __future__ import annotations`.
"""
