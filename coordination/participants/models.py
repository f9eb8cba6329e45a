"""Participants of stops, workshops, waiting lists, questionnaires and answers."""
