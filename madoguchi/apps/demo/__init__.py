"""``make demo``: the whole hall on one machine with simulated devices and a traffic generator."""
