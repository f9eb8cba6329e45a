"""`flask planner …`: the routing core on plain TSPTW instances."""

from flask.cli import AppGroup

planner_cli = AppGroup("planner", help="The planner of an edition's stops.")
