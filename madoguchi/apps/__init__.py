"""The programs: kiosk, staff console, call board, admin console (Qt), and the whole-hall demo and soak runs.

Apps talk to the hall server through ``madoguchi.client`` only; they never import ``madoguchi.server``.
"""
