"""Acceptance 1: objects exported from a cluster validate (status and server-set metadata are
accepted, noted once); a typo next to them is still an error, with --crds too."""

from __future__ import annotations

import shutil
from pathlib import Path

from conftest import gen_outcome

LIVE = Path(__file__).parents[2] / "fixtures" / "live"


def gen(*args: str) -> tuple[int, str, str]:
    return gen_outcome(None, "validate", *args)


def test_exported_application_and_applicationset_validate(tmp_path: Path) -> None:
    shutil.copytree(LIVE, tmp_path / "live")
    code, out, err = gen(str(tmp_path / "live"))
    assert (code, out) == (0, "2 file(s) valid\n")
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith(f"{tmp_path}/live/application.yaml:59:1: note: 2 documents")
    assert "(metadata.creationTimestamp, metadata.generation, metadata.managedFields, " in err
    assert lines[0].endswith("[live-object-fields]")


def test_the_official_crds_accept_them_too(argo_crds_dir: Path) -> None:
    code, _, err = gen(str(LIVE), "--crds", str(argo_crds_dir))
    assert code == 0, err
    assert "(CRD)" not in err


def test_a_typo_next_to_live_fields_is_still_an_error(tmp_path: Path, argo_crds_dir: Path) -> None:
    folder = tmp_path / "live"
    shutil.copytree(LIVE, folder)
    app = folder / "application.yaml"
    app.write_text(app.read_text().replace("  syncPolicy:\n", "  syncPolicyy:\n", 1))
    spec = folder / "applicationset.yaml"
    spec.write_text(spec.read_text().replace("  uid: ", "  uuid: ", 1))
    code, _, err = gen(str(folder), "--crds", str(argo_crds_dir))
    assert code == 2
    assert f'{folder}/application.yaml:55:3: spec.syncPolicyy: unknown field "syncPolicyy" ' in err
    assert f'{folder}/applicationset.yaml:11:3: metadata.uuid: unknown field "uuid" ' in err
    assert "[unknown-field]" in err


def test_live_fields_in_the_rendered_output_are_still_errors() -> None:
    from generator.validation.output import OutputValidator
    from generator.yamlio.manifests import parse_manifests

    doc = parse_manifests((LIVE / "applicationset.yaml").read_text(), "x.yaml")[0]
    found = OutputValidator().document_findings(doc, standalone=False)
    assert {f.id for f in found} == {"unknown-field"}
