"""What counts as a credential in a setting value (generator/project/settings/credentials.py): the
known token shapes and long random strings are refused; domains, words, URLs, digests and CamelCase
identifiers are not (a false alarm teaches people to ignore the check)."""

from __future__ import annotations

import random
import string

import pytest

from generator.project.settings.credentials import credential_kind

# Built from parts so that no literal token sits in the repository for scanners to flag.
RNG = random.Random(12)
ALNUM = string.ascii_letters + string.digits


def _random(n: int, alphabet: str = ALNUM) -> str:
    while True:
        text = "".join(RNG.choice(alphabet) for _ in range(n))
        if alphabet != ALNUM or (
            any(c.isupper() for c in text)
            and any(c.islower() for c in text)
            and any(c.isdigit() for c in text)
        ):
            return text


CREDENTIALS = [
    ("gh" + "p_" + _random(36), "a GitHub token"),
    ("github_" + "pat_" + _random(22) + "_" + _random(59), "a GitHub token"),
    ("glp" + "at-" + _random(20), "a GitLab token"),
    ("xox" + "b-123456789012-123456789012-" + _random(24), "a Slack token"),
    ("AKI" + "AIOSFODNN7EXAMPLE", "an AWS access key id"),
    ("AIz" + "a" + _random(35), "a Google API key"),
    ("sk" + "_live_" + _random(24), "a Stripe secret key"),
    ("np" + "m_" + _random(36), "an npm token"),
    ("sk-" + "proj-" + _random(48), "an API secret key (sk-...)"),
    ("sk-" + "ant-api03-" + _random(80), "an API secret key (sk-...)"),
    ("hf" + "_" + _random(34, string.ascii_letters), "a Hugging Face token"),
    ("eyJhbGciOiJIUzI1NiJ9" + ".eyJzdWIiOiIxMjM0NTY3ODkwIn0." + _random(43), "a JSON Web Token"),
    ("-----BEGIN " + "OPENSSH PRIVATE KEY-----", "a private key"),
    ("postgres://app:" + "s3cr3t-pw@db.example.com:5432/app", "a URL with a password in it"),
    (_random(20) + "/" + _random(19), "a long random string (an API key or a password?)"),
    (_random(40), "a long random string (an API key or a password?)"),
]

ORDINARY = [
    "ai.example.com",
    "dev.ai.example.com",
    "verylongsubdomainnamethatkeepsgoing.example-company.co.uk",
    "operator",
    "gke-managed",
    "cloudflare",
    "",
    "https://github.com/example-org/ai-platform-gitops.git",
    "postgres://app@db.example.com:5432/app",
    "https://host.example.com:8443/path@v2",
    "git@github.com:example-org/gitops.git",
    "ghcr.io/example-org/image:v1.2.3",
    "registry.k8s.io/pause@sha256:" + "0123456789abcdef" * 4,
    "5f2b9c1a7e3d4f6a8b0c2d4e6f8a0b1c",
    "123e4567-e89b-12d3-a456-426614174000",
    "arn:aws:iam::123456789012:role/PlatformDeployer",
    "platform@my-project-123456.iam.gserviceaccount.com",
    "projects/my-project/secrets/cloudflare-api-token/versions/latest",
    "ClusterIssuerLetsEncryptProduction2024",
    "MyApplicationServiceAccountName2025X",
    "ProductionKubernetesClusterEuropeWest4A",
    "kubePrometheusStackGrafanaDashboards01",
    "sk-learn-model-serving-cluster",
    "hf_hub_download_cache_directory_path",
    "AKIA-is-not-a-key",
    "0123456789" * 4,
]


@pytest.mark.parametrize(("value", "kind"), CREDENTIALS, ids=[k for _, k in CREDENTIALS])
def test_credentials_are_recognised(value: str, kind: str) -> None:
    assert credential_kind(value) == kind


@pytest.mark.parametrize("value", ORDINARY)
def test_ordinary_values_are_not(value: str) -> None:
    assert credential_kind(value) is None


def test_a_token_inside_a_longer_value_is_still_found() -> None:
    assert credential_kind("token=" + "gh" + "p_" + _random(36)) == "a GitHub token"
