"""Domain events, sent inside the transaction of the change (before the caller commits).

Receivers (the calendar's invitations, for instance) write their rows in that same
transaction, so a change and what it causes are committed, or rolled back, together.
"""

from blinker import Namespace

events = Namespace()

#: A stop was created, confirmed, rescheduled, cancelled or changed in a way calendars
#: care about. Sent with the Stop as sender and `now=`, `change=` ("confirmed",
#: "rescheduled", "cancelled", "updated"), `by=` (the User or None) and `fields=` (the
#: names of the stop's columns that changed, when the service knows them).
stop_changed = events.signal("stop-changed")

#: The same for a club meeting (sender: the ClubMeeting).
meeting_changed = events.signal("meeting-changed")
