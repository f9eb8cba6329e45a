"""Open programmes: a week of innovation made of partners' events, and one-day forums."""
