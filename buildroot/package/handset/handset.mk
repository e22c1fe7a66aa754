################################################################################
#
# handset
#
################################################################################

HANDSET_VERSION = 0.1.0
HANDSET_SITE = $(BR2_EXTERNAL_HANDSET_PATH)/..
HANDSET_SITE_METHOD = local
HANDSET_GOMOD = handset
HANDSET_BUILD_TARGETS = cmd/handset
HANDSET_LDFLAGS = -s -w -X main.version=$(HANDSET_VERSION)
HANDSET_GO_ENV = CGO_ENABLED=0
HANDSET_OVERRIDE_SRCDIR_RSYNC_EXCLUSIONS = \
	--exclude buildroot --exclude output --exclude dl

# A local source is only rsync'd: Buildroot vendors Go modules in its
# download step, which local packages skip, and then builds with
# -mod=vendor. So vendor here, once host-go exists (PRE_BUILD, not
# POST_RSYNC), and on every rebuild (not PRE_CONFIGURE), unless the tree
# carries its own vendor/. HANDSET_GOPROXY=off builds from a warm module
# cache without network.
HANDSET_GOPROXY ?= $(GOPROXY)
define HANDSET_GO_VENDOR
	if [ ! -d $(HANDSET_SITE)/vendor ]; then \
		cd $(@D) && $(HOST_GO_COMMON_ENV) GOFLAGS=-modcacherw \
			GOPROXY="$(HANDSET_GOPROXY)" $(GO_BIN) mod vendor; \
	fi
endef
HANDSET_PRE_BUILD_HOOKS += HANDSET_GO_VENDOR

$(eval $(golang-package))
