"""catalog/layers.yaml edited in place (generator/yamlio/layers_edit.py) and config.yaml's
top-level scalars (generator/yamlio/config_edit.py set_top_level): comments kept, a file that
already says it all unchanged byte for byte."""

from __future__ import annotations

import textwrap

from generator.yamlio.config_top import set_top_level
from generator.yamlio.layers_edit import edit_layers

LAYERS = textwrap.dedent(
    """\
    # The bring-up order.
    layers:
      - apps   # the scaffold's layer
    profiles:
      all: [apps]
    # Smoke checks stay.
    smoke:
      all:
        - {name: up, run: [true]}
    """
)
COMMON = {
    "name": "layer-{layer}",
    "appName": "group-{group}",
    "syncOptions": ["ServerSideApply=true"],
}


def test_layers_profiles_and_app_of_apps_are_set_keeping_the_rest() -> None:
    text = edit_layers(
        LAYERS,
        ["platform", "serving"],
        {"platform": ["platform"], "serving": ["platform", "serving"]},
        COMMON,
        {},
        "From the ApplicationSets.",
    )
    assert text == textwrap.dedent(
        """\
        # The bring-up order.
        layers:
          - platform
          - serving
        profiles:
          platform: [platform]
          serving: [platform, serving]
        # Smoke checks stay.
        smoke:
          all:
            - {name: up, run: [true]}
        # From the ApplicationSets.
        appOfApps:
          name: layer-{layer}
          appName: group-{group}
          syncOptions: [ServerSideApply=true]
        """
    )
    again = edit_layers(
        text,
        ["platform", "serving"],
        {"platform": ["platform"], "serving": ["platform", "serving"]},
        COMMON,
        {},
        "From the ApplicationSets.",
    )
    assert again is text


def test_a_layer_of_its_own_shape() -> None:
    text = edit_layers(LAYERS, ["apps"], {"all": ["apps"]}, None, {"apps": {"name": "x-{layer}"}})
    assert "layers:\n  - name: apps\n    appOfApps:\n      name: x-{layer}\nprofiles:" in text


CONFIG = textwrap.dedent(
    """\
    repoURL: https://github.com/example-org/gitops.git
    targetRevision: 'HEAD'   # every environment
    # Environments.
    environments:
      dev:
        destination: {server: https://kubernetes.default.svc}
    """
)


def test_a_top_level_scalar_is_replaced_in_place_or_added_above_environments() -> None:
    edit = set_top_level(CONFIG, "targetRevision", "main")
    assert edit.text == CONFIG.replace("'HEAD'   #", "'main'   #")
    edit = set_top_level(edit.text, "rootName", "stagegen-root", "Why this name.")
    assert edit.text.endswith(
        "# Why this name.\nrootName: stagegen-root\n\n# Environments.\nenvironments:\n"
        "  dev:\n    destination: {server: https://kubernetes.default.svc}\n"
    )
    assert set_top_level(edit.text, "rootName", "stagegen-root").text == edit.text
