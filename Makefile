# stagegen bring-up verbs. `make` (or `make help`) lists them.
#
#   make render                              re-render rendered/ from config.yaml + catalog/
#   make root PROFILE=serving ENV=ai-dev     apply rendered/ai-dev/roots/serving: the root
#                                            Application then syncs the profile from git
#   make root PROFILE=serving ENV=ai-dev DRY_RUN=1   print what that would apply (no kubectl)
#   make root PROFILE=serving ENV=ai-dev CONFIRM=1   allow a narrower profile (Argo CD prunes;
#                                            without CONFIRM=1 it is refused, exit 2)
#   make wait PROFILE=serving ENV=ai-dev     argocd app wait on the profile's auto-sync apps
#   make sync APP=raw-vllm                   argocd app sync one manual-sync (cost-gated) app
#   make up APP=raw-vllm ENV=ai-dev          run the app's cost action up (scale to 1: costs money)
#   make down APP=raw-vllm ENV=ai-dev        and down again (scale to 0: $0 idle)
#   make doctor PROFILE=serving ENV=ai-dev   are the profile's Applications Synced and Healthy?
#   make smoke PROFILE=serving ENV=ai-dev    doctor, then the profile's smoke checks
#
# Valid PROFILE and ENV names come from the generator (`gen profile`), never from parsing YAML
# here, so a typo fails with the list of valid names.
# >>> development only: `gen init` leaves this out
#
# `gen init` writes this file into a new project without the parts fenced like this one
# (stagegen's own venv, test and lint targets), so that the two never drift apart.
# <<< development only

.DEFAULT_GOAL := help
.SUFFIXES:

# >>> development only: `gen init` leaves this out
# stagegen's own venv (python3 dev.py creates it) if present.
GEN ?= $(if $(wildcard .venv/bin/gen),.venv/bin/gen,gen)
PYTHON ?= $(if $(wildcard .venv/bin/python),.venv/bin/python,python3)
# <<< development only
# The generator: `gen` on PATH unless GEN=... says otherwise.
GEN ?= gen
KUBECTL ?= kubectl
ARGOCD ?= argocd
PROFILE ?= platform
ENV ?=
APP ?=
DRY_RUN ?=
ALLOW_SKIPPED ?=
CONFIRM ?=
CURRENT ?=
REPLICAS ?=
WAIT_TIMEOUT ?= 900

# `--env` only when ENV is set: a project with a single environment needs none.
env_arg = $(if $(strip $(ENV)),--env '$(strip $(ENV))')
dry_run = $(filter 1 yes true,$(DRY_RUN))
confirm = $(filter 1 yes true,$(CONFIRM))
# $(call need,<command>,<variable>): fail clearly when a CLI is missing.
need = command -v $(firstword $(1)) >/dev/null 2>&1 || { echo "make $@: $(firstword $(1)) not found on PATH (or set $(2)=...)" >&2; exit 127; }
# The cluster verbs run kubectl themselves (gen root/up/down/doctor/smoke): they get KUBECTL=
# as --kubectl and DRY_RUN=1 as --dry-run; APP= is required by up and down.
ops_flags = --kubectl '$(KUBECTL)' $(if $(dry_run),--dry-run)
need_app = if [ -z "$(strip $(APP))" ]; then echo "make $@: APP=<app> is required: an app with costActions (\`$(GEN) plan\` lists them)" >&2; exit 2; fi

.PHONY: help render check resolve-groups root wait sync plan up down doctor smoke
# >>> development only: `gen init` leaves this out
.PHONY: test lint
# <<< development only

help: ## List the targets (this text)
	@echo "usage: make <target> [PROFILE=<profile>] [ENV=<environment>] [APP=<app>] [DRY_RUN=1]"
	@echo
	@awk 'BEGIN {FS = ":.*## "} /^[a-z-]+:.*## / {printf "  %-16s %s\n", $$1, $$2}' $(MAKEFILE_LIST)
	@echo
	@echo "now: GEN=$(GEN) PROFILE=$(PROFILE) ENV=$(or $(ENV),(unset: fine if config.yaml has one environment))"

render: ## Render rendered/ from config.yaml and catalog/ (gen render)
	@$(GEN) render

check: ## Fail with a diff when rendered/ is stale (gen check; the pre-commit hook)
	@$(GEN) check

# >>> development only: `gen init` leaves this out
test: ## Run the test suite
	@$(PYTHON) -m pytest

lint: ## ruff + mypy
	@$(PYTHON) -m ruff check . && $(PYTHON) -m mypy
# <<< development only

resolve-groups: ## After editing features: show which groups each environment gets, re-render
	@$(GEN) resolve-groups
	@$(GEN) render

root: ## Point ENV's root Application at PROFILE (DRY_RUN=1 prints it; CONFIRM=1 allows narrowing)
	@code=0; $(GEN) check --quiet || code=$$?; \
	if [ $$code -eq 1 ]; then echo "make root: rendered/ is stale; run \`make check\` to see the diff, \`make render\` to fix" >&2; exit 1; \
	elif [ $$code -ne 0 ]; then exit $$code; fi
	@$(GEN) root '$(PROFILE)' $(env_arg) $(ops_flags) $(if $(confirm),--confirm) $(if $(strip $(CURRENT)),--current '$(strip $(CURRENT))')

wait: ## argocd app wait on the profile's auto-sync apps (PROFILE=, ENV=)
	@selector="$$($(GEN) profile '$(PROFILE)' $(env_arg) --print selector)" || exit 2; \
	$(call need,$(ARGOCD),ARGOCD); \
	echo "+ $(ARGOCD) app wait -l '$$selector' --timeout $(WAIT_TIMEOUT)" >&2; \
	$(ARGOCD) app wait -l "$$selector" --timeout $(WAIT_TIMEOUT)

sync: ## argocd app sync one manual-sync app (APP=); see `make plan` for the list
	@if [ -z "$(strip $(APP))" ]; then \
	  echo "make sync: APP=<app> is required: the manual-sync (cost-gated) Application to deploy;" >&2; \
	  echo "  \`$(GEN) profile <profile> --env <env>\` lists a profile's manual apps" >&2; \
	  exit 2; \
	fi
	@$(call need,$(ARGOCD),ARGOCD)
	@echo "+ $(ARGOCD) app sync $(APP)" >&2
	@$(ARGOCD) app sync '$(strip $(APP))'

plan: ## What Argo CD will create for the profile (gen plan; PROFILE=, ENV=)
	@$(GEN) profile '$(PROFILE)' $(env_arg) --print path >/dev/null || exit 2
	@if ! $(GEN) plan --help >/dev/null 2>&1; then \
	  echo "make plan: this gen has no \`plan\` command yet (it comes with \`gen plan\`, issue 6);" >&2; \
	  echo "  meanwhile: $(GEN) profile '$(PROFILE)' $(env_arg)" >&2; \
	  exit 2; \
	fi
	@$(GEN) plan --profile '$(PROFILE)' $(env_arg)

up: ## Run an app's cost action up: scale to `up` replicas, or resume it (APP=, ENV=; REPLICAS=, DRY_RUN=1)
	@$(need_app)
	@$(GEN) up '$(strip $(APP))' $(env_arg) $(if $(strip $(REPLICAS)),--replicas '$(strip $(REPLICAS))') $(ops_flags)

down: ## Run an app's cost action down: scale to `down` replicas, or pause it (APP=, ENV=; DRY_RUN=1)
	@$(need_app)
	@$(GEN) down '$(strip $(APP))' $(env_arg) $(ops_flags)

doctor: ## Check the profile's Applications in the cluster against rendered/ (PROFILE=, ENV=)
	@$(GEN) doctor --profile '$(PROFILE)' $(env_arg) $(ops_flags)

smoke: ## gen doctor, then the profile's smoke checks from the catalog (PROFILE=, ENV=; ALLOW_SKIPPED=1)
	@$(GEN) smoke --profile '$(PROFILE)' $(env_arg) $(ops_flags) $(if $(filter 1 yes true,$(ALLOW_SKIPPED)),--allow-skipped)
