"""My Number card reading over PC/SC (pyscard), reader monitor, and the virtual card simulator."""
