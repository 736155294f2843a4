"""The wiring: settings, the dramatiq broker and actors that run the stages in order, and the CLI."""

__version__ = "0.1.0"
