"""carebridge: case management for adult social care in English councils."""

__version__ = "0.1.0"
