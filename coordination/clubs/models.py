"""Territorial clubs, partner organisations, memberships and club meetings."""
