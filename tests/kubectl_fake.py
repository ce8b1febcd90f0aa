"""The recording stand-in for kubectl: the only fake kubectl of the tests.

No Kubernetes API server or Argo CD runs where these tests run: this script stands in for
kubectl and the cluster behind it. The ``fake_kubectl`` fixture (tests/conftest.py) puts an
executable called ``kubectl`` first on PATH that runs this file: it appends its argv to
``calls.jsonl`` and answers with canned JSON from ``cluster.json``, the scenario the test
describes (the Application objects, the objects cost actions act on, and which verbs fail).

It understands exactly what the verbs send:

- ``get applications.argoproj.io NAME -n NS -o json`` (NotFound like kubectl when absent);
- ``get applications.argoproj.io -n NS -l SELECTOR -o json`` (``k=v`` and ``k in (a,b)``);
- ``get TYPE/NAME -n NS -o json`` for the objects under ``objects`` (keyed ``TYPE/NAME@NS``);
- ``scale`` and ``annotate``, which print what kubectl prints (or fail, if the test says so);
- ``apply -k DIR``: reads DIR's kustomization (relative to the folder it runs in, like kubectl)
  and prints a ``<resource>/<name> configured`` line per object, as kubectl does.

``--context C`` is accepted anywhere before the verb and recorded with the rest.
"""

from __future__ import annotations

import json
import os
import re
import sys
from pathlib import Path
from typing import Any

APPLICATIONS = "applications.argoproj.io"
STATE = "cluster.json"
CALLS = "calls.jsonl"


def application(
    name: str,
    *,
    env: str = "dev",
    layer: str = "base",
    group: str = "core",
    sync_mode: str = "auto",
    role: str = "workload",
    sync: str = "Synced",
    health: str = "Healthy",
    message: str = "",
    resources: list[dict[str, Any]] | None = None,
    namespace: str = "argocd",
) -> dict[str, Any]:
    """An Application object as ``kubectl get -o json`` prints it, with the status fields
    Argo CD sets. Like Argo CD 3.x by default, per-resource health is left out of
    ``status.resources`` (``resourceHealthSource: appTree``) unless a resource carries one."""
    entries = resources or []
    status: dict[str, Any] = {
        "sync": {"status": sync, "revision": "4f2a9c1"},
        "health": {"status": health, **({"message": message} if message else {})},
        "resources": entries,
        "reconciledAt": "2026-01-01T00:00:00Z",
        "sourceType": "Directory",
    }
    if not any("health" in entry for entry in entries):
        status["resourceHealthSource"] = "appTree"
    return {
        "apiVersion": "argoproj.io/v1alpha1",
        "kind": "Application",
        "metadata": {
            "name": name,
            "namespace": namespace,
            "labels": {
                "stagegen.dev/env": env,
                "stagegen.dev/layer": layer,
                "stagegen.dev/group": group,
                "stagegen.dev/sync": sync_mode,
                "stagegen.dev/role": role,
            },
        },
        "spec": {
            "project": layer,
            "source": {"repoURL": "https://example.com/gitops.git", "path": f"apps/{name}"},
            "destination": {"server": "https://kubernetes.default.svc", "namespace": name},
        },
        "status": status,
    }


def root_application(
    profile: str, *, env: str = "dev", name: str = "root", **status: Any
) -> dict[str, Any]:
    """An environment's root Application (``gen root``), syncing ``profile``'s folder."""
    app = application(name, env=env, layer=profile, **status)
    app["metadata"]["labels"] = {
        "stagegen.dev/env": env,
        "stagegen.dev/profile": profile,
        "stagegen.dev/role": "root",
    }
    app["spec"]["source"]["path"] = f"rendered/{env}/profiles/{profile}"
    return app


def resource(
    kind: str,
    name: str,
    namespace: str,
    *,
    group: str = "",
    health: str | None = None,
    status: str = "Synced",
) -> dict[str, Any]:
    """One entry of an Application's ``status.resources``; ``health`` only where Argo CD
    persists it (before 3.0, or with ``controller.resource.health.persist: true``)."""
    entry: dict[str, Any] = {
        "group": group,
        "version": "v1",
        "syncWave": 0,
        "kind": kind,
        "namespace": namespace,
        "name": name,
        "status": status,
    }
    if health is not None:
        entry["health"] = {"status": health}
    return entry


def _selector(text: str) -> list[tuple[str, set[str]]]:
    """``[(label, allowed values)]`` of a selector of ``k=v`` and ``k in (a,b)`` terms."""
    terms = re.findall(r"([^,=\s]+)\s*(?:=\s*([^,]+)|\s+in\s+\(([^)]*)\))", text)
    return [(key, {eq} if eq else set(options.split(","))) for key, eq, options in terms]


def _matches(item: dict[str, Any], selector: str) -> bool:
    labels = item.get("metadata", {}).get("labels", {})
    return all(labels.get(key) in allowed for key, allowed in _selector(selector))


def _option(args: list[str], flag: str) -> str | None:
    return args[args.index(flag) + 1] if flag in args else None


def _not_found(what: str, name: str) -> int:
    print(f'Error from server (NotFound): {what} "{name}" not found', file=sys.stderr)
    return 1


def _get(state: dict[str, Any], args: list[str]) -> int:
    namespace = _option(args, "-n") or "default"
    if args[1] == APPLICATIONS:
        apps = [a for a in state.get("applications", []) if a["metadata"]["namespace"] == namespace]
        selector = _option(args, "-l")
        if selector is not None:
            items = [a for a in apps if _matches(a, selector)]
            print(json.dumps({"apiVersion": "v1", "kind": "List", "items": items}))
            return 0
        name = args[2]
        found = [a for a in apps if a["metadata"]["name"] == name]
        if not found:
            return _not_found(APPLICATIONS, name)
        print(json.dumps(found[0]))
        return 0
    ref = args[1]
    obj = state.get("objects", {}).get(f"{ref}@{namespace}")
    if obj is None:
        kind, _, name = ref.partition("/")
        return _not_found(kind, name)
    print(json.dumps(obj))
    return 0


def _apply_kustomization(folder: Path) -> int:
    """What ``kubectl apply -k`` prints for a kustomization of plain resource files."""
    import yaml

    kustomization = folder / "kustomization.yaml"
    if not kustomization.is_file():
        print(f"error: unable to find one of 'kustomization.yaml' in directory '{folder}'",
              file=sys.stderr)  # fmt: skip
        return 1
    for name in yaml.safe_load(kustomization.read_text("utf-8")).get("resources") or []:
        for doc in yaml.safe_load_all((folder / name).read_text("utf-8")):
            if doc:
                group = doc["apiVersion"].rpartition("/")[0]
                resource = doc["kind"].lower() + (f".{group}" if group else "")
                print(f"{resource}/{doc['metadata']['name']} configured")
    return 0


def main(argv: list[str]) -> int:
    folder = Path(os.environ["FAKE_KUBECTL_DIR"])
    with (folder / CALLS).open("a", encoding="utf-8") as log:
        log.write(json.dumps(argv) + "\n")
    state = json.loads((folder / STATE).read_text("utf-8")) if (folder / STATE).exists() else {}
    args = list(argv)
    if args[:1] == ["--context"]:
        args = args[2:]
    verb = args[0] if args else ""
    failure = state.get("fail", {}).get(verb)
    if failure:
        print(failure, file=sys.stderr)
        return 1
    if verb == "get":
        return _get(state, args)
    if verb == "scale":
        print(f"{args[1].split('/')[0]}/{args[1].split('/')[1]} scaled")
        return 0
    if verb == "annotate":
        print(f"{args[1]} annotated")
        return 0
    if verb == "apply" and args[1:2] == ["-k"]:
        return _apply_kustomization(Path(args[2]))
    print(f"fake kubectl: unsupported command: {argv}", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))


class FakeKubectl:
    """The test's side of the fake: describe the cluster, then read back what was run."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    @property
    def executable(self) -> Path:
        """The fake's ``kubectl`` (for ``--kubectl PATH`` and ``KUBECTL=``)."""
        return self.folder / "bin" / "kubectl"

    def cluster(
        self,
        applications: list[dict[str, Any]] | None = None,
        objects: dict[str, dict[str, Any]] | None = None,
        fail: dict[str, str] | None = None,
    ) -> None:
        """What the cluster holds; ``fail`` maps a verb to the error kubectl prints for it."""
        state = {"applications": applications or [], "objects": objects or {}, "fail": fail or {}}
        (self.folder / STATE).write_text(json.dumps(state), "utf-8")

    def calls(self) -> list[str]:
        """Every kubectl command line run so far, as ``kubectl ARGS`` (shell-quoted)."""
        import shlex

        log = self.folder / CALLS
        if not log.exists():
            return []
        lines = log.read_text("utf-8").splitlines()
        return [shlex.join(["kubectl", *json.loads(line)]) for line in lines]
