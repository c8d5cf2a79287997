"""The schema revision this planner writes (a test keeps it equal to the migrations' head).

Kept apart from `migrate`, which loads SQLAlchemy: start-up compares it with the
database's before anything heavy is imported.
"""

HEAD = "0009"
