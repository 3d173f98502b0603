"""Wait estimation: snapshot types, the simulation predictor, classical baselines, and the replay tool.

The public surface is re-exported by ``wait_range``; see its docstring for how to fill a snapshot.
"""
