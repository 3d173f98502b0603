"""What every process shares: hall configuration, API models, forms and 2D codes, hall time, logging set-up.

Pure Python: never Qt, never the database, never the network.
"""
