"""Every finding id the project emits, with a one-line description: the registry.

A finding id names a kind of problem (``unknown-field``, ``duplicate-object``, ...). It is
printed after each message (``... [duplicate-object]``), carried in ``-o json`` and SARIF, and is
what ``gen validate --ignore ID`` and ``ignore:`` in ``.stagegen.yaml`` name. Ids are stable:
renaming one breaks the configuration of everyone who ignores it.

To add a finding: give its Problem (or Finding) an ``id="new-id"``, add one line here, and
describe it (an example and how to fix it) under "Finding ids" in docs/validation.md.
tests/core/test_finding_ids.py fails until all three agree: every id used is registered and
documented, and every registered id is used.
"""

from __future__ import annotations

from collections.abc import Mapping

#: id -> what it means, one line. Keep it sorted by id.
FINDINGS: Mapping[str, str] = {
    "app-of-apps": "a layer's or group's appOfApps settings are invalid",
    "app-of-apps-namespace": "an app-of-apps does not deploy into the Argo CD namespace",
    "app-of-apps-not-permitted": "an app-of-apps's AppProject does not allow Applications",
    "application-namespace": "a rendered Application is not in the Argo CD namespace",
    "bad-crd-file": "a file given to --crds is not a readable CustomResourceDefinition",
    "bad-setting-declaration": "a setting's declaration in catalog/settings.yaml is invalid",
    "cost-action-annotation": "a cost action's annotation key is not a valid annotation key",
    "cost-action-kind": "a cost action's kind does not exist, is in another group or cannot scale",
    "cost-action-name": "a cost action's object name is not a DNS-1123 subdomain",
    "cost-action-namespace": "a cost action has no namespace, or not a DNS-1123 label",
    "cost-action-replicas": "a cost action's down replicas are not below up",
    "cost-action-respect": "cost actions without RespectIgnoreDifferences=true in syncPolicy",
    "dependency-cycle": "requires or dependsOn loops back",
    "dependency-off": "an enabled group or app needs one that is off in that environment",
    "destination-not-permitted": "an Application's destination is not allowed by its AppProject",
    "dormant-group": "an enabled group needs a setting that is empty: its apps stay dormant",
    "duplicate-ignore-rule": "an ignoreDifferences rule repeats one derived from costActions",
    "duplicate-item": "a list that must hold distinct items repeats one",
    "duplicate-key": "a YAML mapping repeats a key (only one value would be kept)",
    "duplicate-name": "an app, group or AppProject name is defined twice",
    "duplicate-object": "two documents applied together define the same object",
    "empty-file": "a file holds no YAML document",
    "empty-path": "an in-repository source path holds nothing Argo CD would deploy",
    "empty-setting-reference": "a ${settings.x} reference to a setting that is empty",
    "feature-core-group": "a feature flag or key for a core group, which is always on",
    "file-exists": "gen init would overwrite a file",
    "file-missing": "a required file does not exist",
    "file-too-large": "a file is larger than gen reads",
    "file-unreadable": "a file cannot be read",
    "glob-matches-nothing": "a directory include/exclude glob matches no file",
    "go-template-delimiters": "a value that reaches the ApplicationSet template contains {{ or }}",
    "ignore-group-core": 'an ignoreDifferences rule names the API group "core"',
    "ignore-group-version": "an ignoreDifferences group includes a version",
    "ignore-matches-nothing": "an ignoreDifferences rule names no field to ignore",
    "ignore-wrong-group": "an ignoreDifferences kind is in another API group",
    "import-cannot-carry": "gen import cannot carry a field exactly",
    "import-conflict": "gen import finds two different definitions of one thing",
    "import-group-off": "an imported group is off in every environment",
    "import-kustomization": "gen import reads a kustomization's files without its changes",
    "import-note": "information from gen import (a rename, a duplicate kept once)",
    "import-round-trip": "an imported app would not render back as it was",
    "import-skipped": "gen import skips a document",
    "import-templated-value": "gen import carries a value that looks templated",
    "invalid-label-key": "a label or annotation key is not valid",
    "invalid-label-value": "a label value is not valid",
    "invalid-name": "a name is not a DNS-1123 label",
    "invalid-path": "a repository path is absolute, leaves the repository or is not normalised",
    "invalid-value": "a value is not one the schema allows (enum, pattern, bounds)",
    "json-pointer-no-such-field": "a JSON pointer names a field the kind does not have",
    "json-pointer-syntax": "a JSON pointer is not valid RFC 6901",
    "json-pointer-unescaped": 'a JSON pointer has an unescaped "/" inside a key',
    "kind-not-permitted": "an AppProject does not permit a kind an Application deploys",
    "kustomization-cycle": "a kustomization includes itself",
    "kustomize-build-failed": "kubectl kustomize cannot build a kustomization",
    "layer-project": "an app names another layer's AppProject",
    "live-object-fields": "status and server-set metadata of an exported object (accepted)",
    "long-form-conflict": "a catalog app mixes the short and the long sync form",
    "malformed-setting-reference": "a ${...} that is not a valid setting reference",
    "manual-app-automated": "a manual-sync (cost-gated) app has automated sync",
    "missing-field": "a required field is missing",
    "missing-namespace": "an app in its layer's AppProject has no destination namespace",
    "missing-path": "a path, value file or kustomization entry does not exist",
    "missing-reason": 'a manual-sync app has no "reason"',
    "name-conflict": "an AppProject name is also used for something else",
    "name-mismatch": "a name differs from its file name",
    "no-schema": "a kind gen has no schema for (not validated)",
    "not-an-object": "a document is not a Kubernetes object",
    "not-rendered": "gen plan needs a rendered file that does not exist",
    "not-utf8": "a file is not valid UTF-8",
    "one-of-fields": "two fields of which only one may be set are both set",
    "override-renames-app": "an environment override renames an app",
    "patch-target-missing": "a kustomization patch targets no resource of the kustomization",
    "path-and-chart": 'a source has both a "path" and a "chart"',
    "plan-unsupported": "gen plan cannot expand this",
    "profile-missing-dependency": "a profile brings a group up without the layer it needs",
    "profile-not-additive": "a profile lacks a layer of the profile before it",
    "profile-without-wanted-group": "a profile brings a group up without a group it wants",
    "reason-on-auto-app": 'an auto-sync app has a "reason"',
    "repo-not-permitted": "an Application's repository is not allowed by its AppProject",
    "reserved-key": "a key gen sets itself",
    "reserved-name": "a name gen reserves for itself",
    "respect-ignore-differences": "ignoreDifferences without RespectIgnoreDifferences=true",
    "root-name": "an environment's root name is not a DNS label or is taken",
    "schema-violation": "a value breaks a schema rule without a more specific id",
    "server-not-url": "a destination server is not a URL",
    "setting-reference-not-substituted": "a ${settings.x} where settings are not substituted",
    "setting-type": "a setting's value is not of its declared type or pattern",
    "smoke-duplicate-name": "two smoke checks of a profile share a name",
    "smoke-literal-secret": "a smoke check's command line holds what looks like a credential",
    "smoke-placeholder": "a smoke check's placeholder is malformed",
    "smoke-unknown-profile": "smoke checks for a profile that does not exist",
    "sync-option-value": "a sync option is not written Key=value with a value Argo CD knows",
    "template-error": "an ApplicationSet template cannot be evaluated",
    "toml-syntax": "pyproject.toml is not valid TOML",
    "undeclared-cluster-resource": "an AppProject allows a cluster-scoped kind no group declares",
    "unknown-app": "a reference to an app that does not exist",
    "unknown-feature": "a feature flag selects no group",
    "unknown-field": "a field the schema does not declare (a typo, or a wrong indentation)",
    "unknown-finding-id": "an ignore list names a finding id that does not exist",
    "unknown-group": "a reference to a group that does not exist",
    "unknown-kind": "an Argo CD kind (or a --crds kind) that does not exist",
    "unknown-layer": "a reference to a layer that does not exist",
    "unknown-project": "an Application's AppProject does not exist",
    "unknown-setting": "a reference to a setting that is not declared",
    "unknown-sync-option": "a sync option Argo CD does not know",
    "unknown-value-ref": "a $ref/... value file names no source ref",
    "unused-grant": "a rendered AppProject allows a repository or destination no app uses",
    "values-and-values-object": 'a Helm source sets both "values" and "valuesObject"',
    "wanted-group-off": "an enabled group wants a group that is off in that environment",
    "wave-order": "an explicit sync wave is not after a dependency's",
    "wildcard-cluster-resources": "a wildcard allows every matching cluster-scoped kind",
    "wildcard-destination": "a wildcard destination allows more than the apps use",
    "wildcard-source-repos": "a wildcard source repository allows more than the apps use",
    "wrong-api-version": "an Argo CD kind with another apiVersion than argoproj.io/v1alpha1",
    "wrong-type": "a value of the wrong type",
    "yaml-control-character": "a control character YAML does not allow",
    "yaml-recursive-alias": "a YAML alias contains itself",
    "yaml-second-document": 'a second YAML document ("---") in a one-document file',
    "yaml-syntax": "a YAML syntax error",
    "yaml-tab": "a tab where YAML expects spaces",
    "yaml-too-big": "a YAML document expands to too many values or nests too deep",
    "yaml-unsupported": "a YAML tag or key form gen does not read",
    "yaml11-value": "a value Kubernetes (YAML 1.1) reads differently than gen (YAML 1.2)",
}


def is_known(finding_id: str) -> bool:
    """Whether ``finding_id`` is a registered id."""
    return finding_id in FINDINGS


def describe_id(finding_id: str) -> str:
    """The one-line description of ``finding_id`` (empty when it is not registered)."""
    return FINDINGS.get(finding_id, "")
