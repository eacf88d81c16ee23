"""Reports made visible and forecasts made: PNG charts (matplotlib), Excel workbooks (openpyxl) and
Holt-Winters demand models (statsmodels).

Imports ``core`` only; the chat flows (``handlers``) and the admin dashboard (``admin``) both use it, which
is why it sits below them (next to ``storage`` and ``nlu``) rather than inside either.
"""
