"""``gen validate PATH...``: manifest files as teams keep them (plain folders, kustomizations and
their builds, objects exported from a cluster) and the repository they point into.
"""
