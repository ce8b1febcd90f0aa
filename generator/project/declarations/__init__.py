"""What the catalog declares beside its apps: the app-of-apps of each layer, the Source Hydrator
form, cost actions, smoke checks and accepted warnings.
"""
