"""ApplicationSets that make one app-of-apps per group, adopted as layers: their template read, and
the catalog/layers.yaml an import writes.
"""
