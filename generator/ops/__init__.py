"""The operator's side of bring-up: everything that talks to a cluster, through kubectl.

``kubectl`` runs the commands (and is the only module that starts a process for them),
``argo`` reads Argo CD Application objects, ``actions`` turns a catalog cost action into the
kubectl command that performs it. The commands (generator/commands/cluster/root.py, cost.py,
doctor.py, smoke.py) build on these; none of them prints.
"""
