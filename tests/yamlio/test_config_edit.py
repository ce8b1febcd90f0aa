"""Editing one feature flag in config.yaml's text: exactly the one line changes, always."""

from __future__ import annotations

import difflib
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.core.errors import UsageError
from generator.yamlio.config_edit import set_flag, set_setting, split_lines
from generator.yamlio.source import parse_yaml

FIXTURES = Path(__file__).parents[1] / "fixtures"
DEFAULT = (Path(__file__).resolve().parents[2] / "config.yaml").read_text()
COMMENTED = (FIXTURES / "commented" / "config.yaml").read_text()
ORDER = [
    "observability",
    "identity",
    "dns",
    "gpu",
    "kserve",
    "coding-assistant",
    "llm-d",
    "inference-routing",
    "public-edge",
    "litellm",
    "tenants",
    "open-webui",
    "n8n",
    "demos",
]
SETTING_ORDER = ["gpu_stack", "domain", "dnsProvider"]


def changes(old: str, new: str) -> list[tuple[str, list[str], list[str]]]:
    """The differing line runs: (tag, old lines, new lines)."""
    a, b = split_lines(old), split_lines(new)
    matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    return [
        (tag, a[i1:i2], b[j1:j2]) for tag, i1, i2, j1, j2 in matcher.get_opcodes() if tag != "equal"
    ]


def section(text: str, name: str, env: str | None = None) -> dict[str, Any]:
    """config.yaml's ``name:`` mapping (global, or of environment ``env``) as ``text`` says."""
    data = parse_yaml(text, "config.yaml").data
    where = data if env is None else data["environments"][env]
    result: dict[str, Any] = where.get(name, {})
    return result


def features(text: str, env: str | None = None) -> dict[str, Any]:
    return section(text, "features", env)


# --- the repository's own (heavily commented) config.yaml -------------------------------------


def test_flipping_a_global_flag_changes_only_its_line_and_keeps_the_comment_aligned() -> None:
    edit = set_flag(DEFAULT, "gpu", True, order=ORDER)
    assert changes(DEFAULT, edit.text) == [
        (
            "replace",
            [
                "  gpu: false                 "
                "# platform GPU stack (by `gpu_stack`) + serving vllm (raw-vllm)\n"
            ],
            [
                "  gpu: true                  "
                "# platform GPU stack (by `gpu_stack`) + serving vllm (raw-vllm)\n"
            ],
        )
    ]
    assert (edit.key, edit.old, edit.new, edit.changed) == ("features.gpu", False, True, True)
    assert split_lines(edit.text)[edit.line - 1].startswith("  gpu: true")
    assert features(edit.text)["gpu"] is True


def test_flipping_an_environment_flag_changes_only_its_line() -> None:
    edit = set_flag(DEFAULT, "demos", False, env="ai-dev", order=ORDER)
    assert changes(DEFAULT, edit.text) == [
        ("replace", ["      demos: true\n"], ["      demos: false\n"])
    ]
    assert edit.key == "environments.ai-dev.features.demos"
    assert features(edit.text, "ai-dev")["demos"] is False
    assert features(edit.text, "prod") == features(DEFAULT, "prod")


def test_a_new_flag_is_one_line_in_bring_up_order_with_the_neighbours_indentation() -> None:
    # ai-dev sets gpu, coding-assistant, n8n, demos: kserve belongs between gpu and
    # coding-assistant, not after the comment block that introduces `prod:`.
    edit = set_flag(DEFAULT, "kserve", False, env="ai-dev", order=ORDER)
    assert changes(DEFAULT, edit.text) == [("insert", [], ["      kserve: false\n"])]
    lines = split_lines(edit.text)
    assert lines[edit.line - 2 : edit.line + 1] == [
        "      gpu: true\n",
        "      kserve: false\n",
        "      coding-assistant: true\n",
    ]
    assert edit.old is None
    assert list(features(edit.text, "ai-dev")) == [
        "identity",
        "dns",
        "gpu",
        "kserve",
        "coding-assistant",
        "llm-d",
        "public-edge",
        "n8n",
        "demos",
    ]


def test_a_flag_first_in_order_goes_right_below_features() -> None:
    edit = set_flag(DEFAULT, "observability", False, env="prod", order=ORDER)
    assert changes(DEFAULT, edit.text) == [("insert", [], ["      observability: false\n"])]
    assert next(iter(features(edit.text, "prod"))) == "observability"


def test_without_an_order_a_new_flag_goes_after_the_last_one_not_after_trailing_comments() -> None:
    edit = set_flag(DEFAULT, "zeta", True)
    assert changes(DEFAULT, edit.text) == [("insert", [], ["  zeta: true\n"])]
    lines = split_lines(edit.text)
    assert lines[edit.line - 2].startswith("  demos: false ")
    assert lines[edit.line] == "\n"  # the blank line before `# Environments:` stays after it


def test_setting_the_value_already_written_changes_nothing() -> None:
    edit = set_flag(DEFAULT, "kserve", True, order=ORDER)
    assert edit.text == DEFAULT
    assert not edit.changed
    assert split_lines(DEFAULT)[edit.line - 1].startswith("  kserve: true")


# --- a config written with every liberty people take --------------------------------------------


def test_aligned_capitalised_values_keep_their_style_and_alignment() -> None:
    edit = set_flag(COMMENTED, "litellm", False, order=ORDER)
    assert changes(COMMENTED, edit.text) == [
        (
            "replace",
            ["  litellm:            True    # capitalised on purpose (still a YAML 1.2 boolean)\n"],
            ["  litellm:            False   # capitalised on purpose (still a YAML 1.2 boolean)\n"],
        )
    ]
    edit = set_flag(COMMENTED, "gpu", True, order=ORDER)
    assert changes(COMMENTED, edit.text) == [
        (
            "replace",
            ["  gpu:                false   # gpu-node + vllm share this flag\n"],
            ["  gpu:                true    # gpu-node + vllm share this flag\n"],
        )
    ]


def test_an_insert_among_comment_blocks_keeps_them_in_place() -> None:
    # Global features are in bring-up order: n8n-less ordering puts "zeta" last; a known flag
    # between kserve and coding-assistant lands right after kserve, above coding-assistant.
    text = COMMENTED.replace("  coding-assistant:   false   # needs gpu\n", "")
    edit = set_flag(text, "coding-assistant", True, order=ORDER)
    assert changes(text, edit.text) == [("insert", [], ["  coding-assistant: true\n"])]
    lines = split_lines(edit.text)
    assert lines[edit.line - 2] == "  kserve:             true\n"
    assert lines[edit.line] == "\n"


def test_an_environment_without_features_gets_the_mapping_after_its_last_line() -> None:
    edit = set_flag(COMMENTED, "demos", True, env="prod", order=ORDER)
    assert changes(COMMENTED, edit.text) == [
        ("insert", [], ["    features:\n", "      demos: true\n"])
    ]
    lines = split_lines(edit.text)
    assert lines[edit.line - 3] == '    targetRevision: "v1.4.0"\n'
    assert lines[edit.line - 1] == "      demos: true\n"
    assert features(edit.text, "prod") == {"demos": True}


def test_a_flow_style_features_mapping_is_edited_on_its_line() -> None:
    text = DEFAULT.replace(
        "    destination:\n      name: prod-gke\n",
        "    destination:\n      name: prod-gke\n    features: {gpu: true, demos: false}  # flow\n",
    ).replace(
        "    features:\n      gpu: true\n      coding-assistant: false\n      n8n: false\n"
        "      demos: false\n",
        "",
    )
    assert features(text, "prod") == {"gpu": True, "demos": False}
    edit = set_flag(text, "demos", True, env="prod")
    assert changes(text, edit.text) == [
        (
            "replace",
            ["    features: {gpu: true, demos: false}  # flow\n"],
            ["    features: {gpu: true, demos: true}  # flow\n"],
        )
    ]
    edit = set_flag(text, "n8n", False, env="prod")
    assert changes(text, edit.text) == [
        (
            "replace",
            ["    features: {gpu: true, demos: false}  # flow\n"],
            ["    features: {gpu: true, demos: false, n8n: false}  # flow\n"],
        )
    ]
    empty = text.replace("{gpu: true, demos: false}", "{}")
    edit = set_flag(empty, "n8n", True, env="prod")
    assert features(edit.text, "prod") == {"n8n": True}
    assert len(changes(empty, edit.text)) == 1


def test_four_space_indentation_and_crlf_line_ends_are_kept() -> None:
    text = (
        "repoURL: https://example.com/repo.git\r\n"
        "features:\r\n"
        "    kserve: true\r\n"
        "environments:\r\n"
        "    dev:\r\n"
        "        destination:\r\n"
        "            server: https://kubernetes.default.svc\r\n"
    )
    edit = set_flag(text, "kserve", False)
    assert changes(text, edit.text) == [
        ("replace", ["    kserve: true\r\n"], ["    kserve: false\r\n"])
    ]
    edit = set_flag(text, "demos", True)
    assert changes(text, edit.text) == [("insert", [], ["    demos: true\r\n"])]
    edit = set_flag(text, "demos", True, env="dev")
    assert changes(text, edit.text) == [
        ("insert", [], ["        features:\r\n", "            demos: true\r\n"])
    ]


def test_a_file_without_a_final_newline_stays_without_one() -> None:
    text = (
        "repoURL: r\nenvironments:\n  dev:\n    destination: {name: x}\n    features:\n"
        "      a: true"
    )
    edit = set_flag(text, "b", False, env="dev")
    assert edit.text == text + "\n      b: false"
    edit = set_flag(text, "a", False, env="dev")
    assert edit.text == text.replace("a: true", "a: false")


def test_missing_global_features_are_added_above_environments_and_its_comments() -> None:
    text = "repoURL: r\n\n# where it goes\nenvironments:\n  dev:\n    destination: {name: x}\n"
    edit = set_flag(text, "demos", True)
    assert edit.text == (
        "repoURL: r\n\nfeatures:\n  demos: true\n\n# where it goes\nenvironments:\n"
        "  dev:\n    destination: {name: x}\n"
    )
    assert features(edit.text) == {"demos": True}


def test_quoted_keys_and_values_elsewhere_are_untouched() -> None:
    text = (
        'repoURL: "r"\nfeatures:\n  "demos": false   # quoted key\n'
        "environments: {dev: {destination: {name: x}}}\n"
    )
    edit = set_flag(text, "demos", True)
    assert edit.text == text.replace('"demos": false  ', '"demos": true   ')


def test_anchors_and_merge_keys_are_refused_rather_than_edited_twice() -> None:
    text = (
        "repoURL: r\n"
        "features: &common\n"
        "  demos: false\n"
        "environments:\n"
        "  dev:\n"
        "    destination: {name: x}\n"
        "    features: *common\n"
    )
    with pytest.raises(UsageError, match=r"features uses a YAML anchor or merge key"):
        set_flag(text, "demos", True)
    with pytest.raises(UsageError, match=r"environments.dev.features uses a YAML anchor"):
        set_flag(text, "demos", True, env="dev")


def test_a_flow_style_environment_without_features_is_left_to_the_user() -> None:
    text = "repoURL: r\nenvironments:\n  dev: {destination: {name: x}}\n"
    with pytest.raises(UsageError, match=r"add `features: \{demos: true\}` to it by hand"):
        set_flag(text, "demos", True, env="dev")


NAMES = ["alpha", "beta", "gamma", "delta", "eps"]


@st.composite
def commented_configs(draw: st.DrawFn) -> tuple[str, dict[str, bool]]:
    """A features mapping with random alignment, comments, blank lines and boolean spellings."""
    flags = draw(st.lists(st.sampled_from(NAMES), min_size=1, max_size=5, unique=True))
    indent = draw(st.sampled_from([2, 4]))
    lines = ["# header comment\n", "repoURL: r\n", "features:   # the flags\n"]
    values = {}
    for name in flags:
        if draw(st.booleans()):
            lines.append(draw(st.sampled_from(["\n", " " * indent + "# a comment\n", "#\n"])))
        value = draw(st.booleans())
        values[name] = value
        word = draw(st.sampled_from(["true", "True", "TRUE"] if value else ["false", "False"]))
        pad = " " * draw(st.integers(0, 6))
        comment = draw(st.sampled_from(["", "  # why", " # x: y"]))
        lines.append(f"{' ' * indent}{name}:{pad} {word}{comment}\n")
    lines.append(draw(st.sampled_from(["", "\n", "# trailing\n", "\n# about environments\n"])))
    lines.append(f"environments:\n{' ' * indent}dev:\n{' ' * indent * 2}destination: {{name: x}}\n")
    return "".join(lines), values


@settings(max_examples=150, deadline=None)
@given(commented_configs(), st.sampled_from(NAMES), st.booleans())
def test_any_edit_changes_at_most_one_line_and_means_exactly_the_change(
    config: tuple[str, dict[str, bool]], flag: str, value: bool
) -> None:
    text, values = config
    edit = set_flag(text, flag, value, order=NAMES)
    assert features(edit.text) == {**values, flag: value}
    diff = changes(text, edit.text)
    if values.get(flag) == value:
        assert diff == []
    elif flag in values:
        assert [(tag, len(old), len(new)) for tag, old, new in diff] == [("replace", 1, 1)]
    else:
        assert [(tag, len(old), len(new)) for tag, old, new in diff] == [("insert", 0, 1)]
    assert split_lines(edit.text)[edit.line - 1].lstrip().startswith(f"{flag}:")


# --- settings: the same one-line edits, for any scalar -----------------------------------------


def settings_of(text: str, env: str | None = None) -> dict[str, Any]:
    return section(text, "settings", env)


def test_setting_a_new_value_in_an_environment_adds_one_line_in_declaration_order() -> None:
    edit = set_setting(DEFAULT, "gpu_stack", "operator", env="ai-dev", order=SETTING_ORDER)
    assert changes(DEFAULT, edit.text) == [("insert", [], ["      gpu_stack: operator\n"])]
    assert list(settings_of(edit.text, "ai-dev")) == ["gpu_stack", "domain"]
    assert (edit.key, edit.old, edit.new, edit.changed) == (
        "environments.ai-dev.settings.gpu_stack",
        None,
        "operator",
        True,
    )


def test_a_global_setting_changes_in_place_keeping_its_aligned_comment() -> None:
    edit = set_setting(DEFAULT, "gpu_stack", "none", order=SETTING_ORDER)
    [(tag, old, new)] = changes(DEFAULT, edit.text)
    assert (tag, len(old), len(new)) == ("replace", 1, 1)
    assert old[0].startswith("  gpu_stack: gke-managed     # gke-managed | operator")
    assert new[0].startswith("  gpu_stack: none            # gke-managed | operator")
    assert settings_of(edit.text)["gpu_stack"] == "none"


@pytest.mark.parametrize(
    ("written", "value", "expected"),
    [
        ("domain: ai.example.com", "x.example.com", "domain: x.example.com"),
        ('domain: "ai.example.com"', "x.example.com", 'domain: "x.example.com"'),
        ("domain: 'ai.example.com'", "it's.example", "domain: 'it''s.example'"),
        ('domain: ""', "x.example.com", 'domain: "x.example.com"'),
        ("domain: ai.example.com", "", 'domain: ""'),
        ("domain: ai.example.com", "true", 'domain: "true"'),
        ("domain: ai.example.com", "a: b", 'domain: "a: b"'),
        ("replicas: 2   # two", 12, "replicas: 12  # two"),
        ("edge: false", True, "edge: true"),
        ("edge: False", True, "edge: True"),
    ],
)
def test_a_written_value_is_replaced_in_its_own_style(
    written: str, value: object, expected: str
) -> None:
    text = f"repoURL: r\nsettings:\n  {written}\nenvironments:\n  dev: {{destination: {{}}}}\n"
    name = written.split(":")[0]
    edit = set_setting(text, name, value)  # type: ignore[arg-type]
    assert edit.text == text.replace(written, expected)
    assert settings_of(edit.text)[name] == value


def test_a_flow_settings_mapping_gets_the_value_inside_it() -> None:
    text = "repoURL: r\nsettings: {domain: a.example, gpu_stack: none}\nenvironments: {}\n"
    edit = set_setting(text, "gpu_stack", "operator")
    assert edit.text == text.replace("gpu_stack: none", "gpu_stack: operator")
    edit = set_setting(text, "dnsProvider", "route53")
    assert edit.text == text.replace("none}", "none, dnsProvider: route53}")


def test_the_same_value_changes_nothing() -> None:
    edit = set_setting(DEFAULT, "domain", "dev.ai.example.com", env="ai-dev")
    assert (edit.text, edit.changed) == (DEFAULT, False)
    # Types are kept apart: the string "1" is not the integer 1.
    text = "repoURL: r\nsettings:\n  replicas: '1'\nenvironments: {}\n"
    assert set_setting(text, "replicas", 1).changed


def test_an_environment_without_settings_gets_a_mapping() -> None:
    text = "repoURL: r\nenvironments:\n  dev:\n    destination: {name: x}\n"
    edit = set_setting(text, "domain", "ai.example.com", env="dev")
    assert edit.text == text + "    settings:\n      domain: ai.example.com\n"


def test_a_block_scalar_is_left_to_the_user() -> None:
    text = "repoURL: r\nsettings:\n  domain: >-\n    ai.example.com\nenvironments: {}\n"
    with pytest.raises(UsageError, match=r"settings.domain: not a one-line value; edit it by hand"):
        set_setting(text, "domain", "x.example.com")
