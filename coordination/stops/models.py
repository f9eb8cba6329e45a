"""Stops (étapes) of an edition: one day in one city of a territory."""
