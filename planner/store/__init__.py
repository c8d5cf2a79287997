"""The store: the only way to the data. Sessions, connections, queries and commands
live here and nowhere else; `planner.core` supplies the models and the pure logic.

Import the parts you need (`planner.store.store.Store`, `planner.store.startup`);
this package imports nothing, so the first screen can be drawn with the driver alone.
"""
