"""``make demo``: the whole hall in one process with simulated devices and a traffic generator."""
