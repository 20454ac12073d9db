"""Rasa action server: thin adapters from Rasa trackers to the rules in ``bot``."""
