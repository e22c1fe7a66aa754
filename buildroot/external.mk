include $(sort $(wildcard $(BR2_EXTERNAL_HANDSET_PATH)/package/*/*.mk))
