"""The toolkit every app builds on, at the bottom of the layers: the one scoped door
(scoping.py, views_base.py, api.py), query parameters, lists, exports and imports.
It imports no app of Baolei; what it logs goes through ``security_log``."""
