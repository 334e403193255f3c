"""Kepu (科普): a platform for the science-communication work system."""
