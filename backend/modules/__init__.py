"""Domain modules; each owns its tables in ``<module>/models.py``."""
