"""The planner's own tables (locks)."""
